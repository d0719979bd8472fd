"""Giao Hàng Tiết Kiệm (GHTK): a thin httpx client for its shipment API (specs/couriers.md 2).

Protocol facts this module relies on:

- Every call carries the headers `Token` and `X-Client-Source`; answers are JSON envelopes
  `{"success": true, ...}` or `{"success": false, "message", "error_code", "log_id"}`, except
  the label, which is a PDF. Timeouts, network failures, HTTP 429 and 5xx, unreadable answers and
  GHTK's own incident code 10103 are retryable; every other refusal is not and carries GHTK's
  message and `error_code`.
- Our shipment code ("<order number>-<sequence>") is GHTK's `order.id`, echoed as `partner_id`.
  Submitting the same `order.id` again is refused with `error{code, partner_id, ghtk_label,
  created, status}`: `create` then returns that existing label, so a retry after a timeout never
  books twice (spec 6). If that existing order is cancelled (-1) the code is spent: a new booking
  needs the next shipment sequence, so that case is an error, not a booking.
- The tracking code we store is GHTK's label (`S1.A1.12345678`); status, cancel and label calls
  take it in the path.

Addresses. Ours are post-2025 units (province + commune GSO codes, names from
`vietnam-provinces`); GHTK takes names and resolves them itself (spec 8.3). We send the province
name without the "Thành phố " prefix of the six centrally-run cities ("Hà Nội", as GHTK's own
examples write it), the commune name ("Xã Đồng Phúc") as `ward`, the street as `address`, and
`hamlet` "Khác" (GHTK's value for "none given"; the hamlet, if any, is part of our street text).
GHTK still requires `district`/`pick_district` and does not document what to send for a
two-level address. We send **the commune name again**: the district tier no longer exists, an
empty value fails GHTK's required-field check and a placeholder such as "-" names nothing GHTK
could match, whereas the commune name is a real unit inside the province that GHTK's name
matcher can place whichever tier it looks it up in. `district_name` is the one place to change
if GHTK's sandbox shows a better value.

Money. Shipping is charged to the shop (`is_freeship=1`): our COD amount already holds the
cooperative's share of goods plus shipping, so GHTK collects exactly `pick_money` from the
receiver.

Webhooks. GHTK signs nothing; the only proof is the secret we put in the callback URL's query
(`.../logistics/webhooks/ghtk/?hash=<secret>`), compared in constant time. The body is
form-encoded in GHTK's sample and JSON elsewhere: both are read. GHTK counts only HTTP 200 as
delivered, so the view should answer 200 to anything it has stored.

Shipper reports (123, 127, 128, 45, 49, 410) are provisional: they are kept in the timeline but
must not move the parcel on their own (spec 2.4, 5). They come back as `TrackingUpdate` with
`provisional=True` and, as `state`, the state the parcel is normally in when the shipper sends
them: `AWAITING_PICKUP` for the pickup reports and `OUT_FOR_DELIVERY` for the delivery reports.
An applier that honours `provisional` stores them unapplied; one that ignores it moves the parcel
at most into that same non-final phase, never to delivered or failed. They are not `UNKNOWN`
(which alerts staff), since the codes are known.
"""

from __future__ import annotations

import hmac
import json
import re
from collections.abc import Mapping
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, quote

import httpx
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from logistics import states
from shop.addresses import units

from .base import (
    Address,
    Booking,
    BookingRequest,
    CourierError,
    Label,
    Parcel,
    Quote,
    Service,
    TrackingUpdate,
    WebhookAuthError,
    WebhookPayloadError,
)

#: GHTK's times carry +07:00 or, in the status API, no zone at all (Vietnam has no DST).
VIETNAM_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

CREATE_PATH = "/services/shipment/order/?ver=1.5"
FEE_PATH = "/services/shipment/fee"
STATUS_PATH = "/services/shipment/v2/{code}"
CANCEL_PATH = "/services/shipment/cancel/{code}"
LABEL_PATH = "/services/label/{code}"

#: GHTK's error code for "an incident on GHTK's side": worth another try.
INCIDENT = 10103
#: Status id of a cancelled order.
CANCELLED = -1
#: `order.id` must stay under 250 characters (error 30102).
MAX_ORDER_ID = 249
MAX_WEBHOOK_BYTES = 64 * 1024
NO_HAMLET = "Khác"

STATES = {
    -1: states.CANCELLED,
    1: states.AWAITING_PICKUP,
    2: states.AWAITING_PICKUP,
    12: states.AWAITING_PICKUP,
    8: states.AWAITING_PICKUP,
    7: states.PICKUP_PROBLEM,
    3: states.IN_TRANSIT,
    4: states.OUT_FOR_DELIVERY,
    10: states.OUT_FOR_DELIVERY,
    9: states.DELIVERY_FAILED,
    5: states.DELIVERED,
    6: states.DELIVERED,
    20: states.RETURNING,
    21: states.RETURNED,
    11: states.RETURNED,
    13: states.LOST_DAMAGED,
}

#: Shipper reports: known, stored, never moving the parcel; the phase each is reported in.
REPORTS = {
    123: states.AWAITING_PICKUP,
    127: states.AWAITING_PICKUP,
    128: states.AWAITING_PICKUP,
    45: states.OUT_FOR_DELIVERY,
    49: states.OUT_FOR_DELIVERY,
    410: states.OUT_FOR_DELIVERY,
}

#: Status 6: GHTK has reconciled the order, the COD money is on its way to us (spec 5).
COD_SETTLED = 6

#: What each status id means, for the timeline's description when GHTK gives no reason.
MEANINGS = {
    -1: _("Cancelled"),
    1: _("Created, not yet received by GHTK"),
    2: _("Received by GHTK"),
    3: _("Picked up"),
    4: _("Out for delivery"),
    5: _("Delivered, not yet reconciled"),
    6: _("Delivered and reconciled"),
    7: _("Could not pick up"),
    8: _("Pickup postponed"),
    9: _("Could not deliver"),
    10: _("Delivery delayed"),
    11: _("Return reconciled"),
    12: _("Picking up"),
    13: _("Compensation case (lost or damaged)"),
    20: _("Returning to seller"),
    21: _("Returned to seller"),
    123: _("Shipper reports: picked up"),
    127: _("Shipper reports: could not pick up"),
    128: _("Shipper reports: pickup delayed"),
    45: _("Shipper reports: delivered"),
    49: _("Shipper reports: could not deliver"),
    410: _("Shipper reports: delivery delayed"),
}


def map_status(status_id: int) -> tuple[str, bool]:
    """(shopper-facing state, provisional) for a GHTK status id; unknown ids -> UNKNOWN."""
    if status_id in REPORTS:
        return REPORTS[status_id], True
    return STATES.get(status_id, states.UNKNOWN), False


def province_name(address: Address) -> str:
    """GHTK's spelling of the province: the package name without "Thành phố "."""
    name = address.province_name
    if not name:
        unit = units.province(address.province_code)
        name = unit.name if unit else ""
    if not name:
        raise CourierError(f"Unknown province code {address.province_code!r}", code="address")
    return name.removeprefix("Thành phố ").strip()


def commune_name(address: Address) -> str:
    name = address.commune_name
    if not name:
        unit = units.commune(address.commune_code)
        name = unit.name if unit else ""
    if not name:
        raise CourierError(f"Unknown commune code {address.commune_code!r}", code="address")
    return name


def district_name(address: Address) -> str:
    """What fills GHTK's still-required district for a two-level address (see module doc)."""
    return commune_name(address)


def phone(number: str) -> str:
    """GHTK wants national numbers: "+84 912 345 678" -> "0912345678"."""
    digits = re.sub(r"[^\d+]", "", number or "")
    if digits.startswith("+84"):
        return "0" + digits[3:]
    if digits.startswith("84") and len(digits) == 11:
        return "0" + digits[2:]
    return digits.lstrip("+")


def _dong(amount: Decimal | int) -> int:
    return int(Decimal(amount).to_integral_value())


def _money(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _kg(grams: int) -> float:
    return round(max(int(grams), 0) / 1000, 3)


def _expected(text: Any) -> datetime | None:
    """GHTK's estimate reads "Chiều 2024-11-27": the end of that part of that day."""
    if not isinstance(text, str):
        return None
    found = re.search(r"(\d{4})-(\d{2})-(\d{2})", text)
    if not found:
        return None
    hour = {"sáng": 12, "chiều": 18}.get(text.split(" ", 1)[0].strip().lower(), 21)
    try:
        return datetime(*map(int, found.groups()), hour, tzinfo=VIETNAM_TZ)
    except ValueError:
        return None


def _time(value: Any) -> datetime:
    """An ISO-8601 time; without an offset it is Vietnam time ("2024-11-25 22:03:35")."""
    if not isinstance(value, str) or not value.strip():
        raise ValueError("missing time")
    moment = datetime.fromisoformat(value.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=VIETNAM_TZ)


def _header(headers: Mapping[str, str], name: str) -> str:
    """Case-insensitive lookup in a dict, Django's request.headers or request.META."""
    wanted = name.lower()
    names = {wanted, "http_" + wanted.replace("-", "_"), wanted.replace("-", "_")}
    for key, value in headers.items():
        if isinstance(key, str) and isinstance(value, str) and key.lower() in names:
            return value
    return ""


class GHTK:
    """The GHTK courier; options come from settings.COURIERS["ghtk"]["OPTIONS"]."""

    name = "Giao Hàng Tiết Kiệm"
    has_webhooks = True

    def __init__(
        self,
        code: str = "ghtk",
        TOKEN: str = "",
        CLIENT_SOURCE: str = "",
        BASE_URL: str = "https://services-staging.ghtklab.com",
        WEBHOOK_SECRET: str = "",
        TIMEOUT: float = 15.0,
        TAGS: tuple[int, ...] | list[int] = (),
        LABEL_PAPER_SIZE: str = "A6",
        LABEL_ORIENTATION: str = "portrait",
        PICK_OPTION: str = "cod",
    ):
        self.code = code
        self.token = TOKEN
        self.client_source = CLIENT_SOURCE
        self.base_url = BASE_URL.rstrip("/")
        self.webhook_secret = WEBHOOK_SECRET
        self.timeout = float(TIMEOUT)
        #: GHTK surcharge tags, e.g. 7 = farm produce / dry food; the same in quote and create.
        self.tags = [int(tag) for tag in TAGS]
        self.paper_size = LABEL_PAPER_SIZE
        self.orientation = LABEL_ORIENTATION
        self.pick_option = PICK_OPTION  # "cod": GHTK picks up; "post": dropped at a post office

    # --- HTTP -----------------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {
            "Token": self.token,
            "X-Client-Source": self.client_source,
            "Accept": "application/json",
        }

    def _send(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            with httpx.Client(
                base_url=self.base_url, headers=self._headers(), timeout=self.timeout
            ) as client:
                return client.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise CourierError(
                f"GHTK did not answer in time ({exc.__class__.__name__})",
                retryable=True,
                code="timeout",
            ) from exc
        except httpx.HTTPError as exc:
            raise CourierError(
                f"GHTK could not be reached: {exc}", retryable=True, code="network"
            ) from exc

    @staticmethod
    def _json(response: httpx.Response) -> dict | None:
        try:
            data = response.json()
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def _error(self, response: httpx.Response, data: dict | None) -> CourierError:
        """The CourierError for a failed answer: GHTK's message, retryable when transient."""
        status = response.status_code
        transient = status == 429 or status >= 500
        if data is None:
            return CourierError(
                f"GHTK answered HTTP {status} with an unreadable body",
                retryable=transient or response.is_success,
                code=f"http_{status}",
            )
        message = str(data.get("message") or f"GHTK answered HTTP {status}")
        error_code = data.get("error_code")
        if error_code is None and isinstance(data.get("error"), dict):
            error_code = data["error"].get("code")
        try:
            incident = int(error_code) == INCIDENT
        except (TypeError, ValueError):
            incident = False
        return CourierError(
            message,
            retryable=transient or incident,
            code=str(error_code) if error_code is not None else f"http_{status}",
        )

    def _call(self, method: str, path: str, **kwargs) -> dict:
        """One JSON call; returns the envelope when `success` is true, else raises."""
        response = self._send(method, path, **kwargs)
        data = self._json(response)
        if response.status_code == 429 or response.status_code >= 500:
            raise self._error(response, data)
        if data is None or data.get("success") is not True:
            raise self._error(response, data)
        return data

    # --- Courier protocol -----------------------------------------------------------------------

    def services(self) -> list[Service]:
        return [
            Service("road", gettext("GHTK road (standard)")),
            Service("fly", gettext("GHTK air (express)")),
        ]

    def quote(self, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        """One fee call per transport; routes GHTK does not serve (`delivery: false`) left out."""
        quotes = []
        for service in self.services():
            params: list[tuple[str, str | int]] = [
                ("pick_province", province_name(origin)),
                ("pick_district", district_name(origin)),
                ("pick_ward", commune_name(origin)),
                ("pick_address", origin.street),
                ("province", province_name(destination)),
                ("district", district_name(destination)),
                ("ward", commune_name(destination)),
                ("address", destination.street),
                ("weight", max(int(parcel.weight_grams), 1)),
                ("value", _dong(parcel.value)),
                ("transport", service.code),
                ("deliver_option", "none"),
                *(("tags[]", tag) for tag in self.tags),
            ]
            data = self._call("GET", FEE_PATH, params=params)
            fee = data.get("fee")
            if not isinstance(fee, dict):
                raise CourierError("GHTK's fee answer has no fee", retryable=True, code="fee")
            if fee.get("delivery") is False:
                continue
            amount = _money(fee.get("fee"))
            if amount is None:
                raise CourierError("GHTK's fee answer has no amount", retryable=True, code="fee")
            quotes.append(Quote(self.code, service.code, service.name, amount))
        return quotes

    def _order(self, request: BookingRequest) -> dict:
        origin, destination, parcel = request.origin, request.destination, request.parcel
        if not request.code or len(request.code) > MAX_ORDER_ID:
            raise CourierError(f"Unusable GHTK order id {request.code!r}", code="30102")
        if parcel.items:
            products = [
                {
                    "name": item.name,
                    "weight": _kg(item.weight_grams),
                    "quantity": int(item.quantity),
                    "price": _dong(item.price),
                }
                for item in parcel.items
            ]
        else:
            products = [
                {
                    "name": request.code,
                    "weight": _kg(parcel.weight_grams),
                    "quantity": 1,
                    "price": _dong(parcel.value),
                }
            ]
        order = {
            "id": request.code,
            "pick_name": origin.name,
            "pick_tel": phone(origin.phone),
            "pick_address": origin.street or commune_name(origin),
            "pick_province": province_name(origin),
            "pick_district": district_name(origin),
            "pick_ward": commune_name(origin),
            "name": destination.name,
            "tel": phone(destination.phone),
            "address": destination.street or commune_name(destination),
            "province": province_name(destination),
            "district": district_name(destination),
            "ward": commune_name(destination),
            "hamlet": NO_HAMLET,
            "pick_money": _dong(parcel.cod_amount),
            "value": _dong(parcel.value),
            "total_weight": _kg(parcel.weight_grams),
            "is_freeship": 1,
            "note": request.note,
            "pick_option": self.pick_option,
            "transport": request.service or "road",
            "deliver_option": "none",
        }
        if self.tags:
            order["tags"] = self.tags
        return {"products": products, "order": order}

    def create(self, request: BookingRequest) -> Booking:
        """Book once per `request.code`: a duplicate submit yields the label already booked."""
        response = self._send("POST", CREATE_PATH, json=self._order(request))
        data = self._json(response)
        if response.status_code == 429 or response.status_code >= 500:
            raise self._error(response, data)
        if data is not None and data.get("success") is True:
            order = data.get("order")
            label = order.get("label") if isinstance(order, dict) else None
            if not isinstance(label, str) or not label:
                raise CourierError("GHTK booked but sent no label", retryable=True, code="label")
            return Booking(
                tracking_code=label,
                fee=_money(order.get("fee")),
                expected_delivery=_expected(order.get("estimated_deliver_time")),
            )
        existing = data.get("error") if data is not None else None
        if isinstance(existing, dict):
            label = existing.get("ghtk_label")
            partner_id = existing.get("partner_id")
            same = partner_id in (None, "") or str(partner_id) == request.code
            if isinstance(label, str) and label and same:
                if str(existing.get("status")) == str(CANCELLED):
                    raise CourierError(
                        f"GHTK order {request.code} exists and is cancelled ({label}); "
                        "book it under the next shipment code",
                        code=str(existing.get("code") or "duplicate_cancelled"),
                    )
                return Booking(tracking_code=label)
        raise self._error(response, data)

    def cancel(self, tracking_code: str) -> None:
        """Cancel (GHTK allows it in statuses 1, 2, 12); an already cancelled order is fine."""
        try:
            self._call("POST", CANCEL_PATH.format(code=quote(tracking_code, safe="")))
        except CourierError as exc:
            if exc.retryable:
                raise
            try:
                current = self._status(tracking_code)
            except CourierError:
                raise exc from None
            if current.get("status") != CANCELLED:
                raise

    def label(self, tracking_codes: list[str]) -> Label:
        """GHTK's PDF for one label (GHTK prints one order per request)."""
        if len(tracking_codes) != 1:
            raise CourierError(
                "GHTK prints one label per request; ask for each parcel on its own",
                code="label_count",
            )
        response = self._send(
            "GET",
            LABEL_PATH.format(code=quote(tracking_codes[0], safe="")),
            params={"original": self.orientation, "paper_size": self.paper_size},
            headers={"Accept": "application/pdf"},
        )
        content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if response.is_success and (
            content_type == "application/pdf" or response.content.startswith(b"%PDF")
        ):
            return Label(content=response.content, content_type="application/pdf")
        raise self._error(response, self._json(response))

    def _status(self, tracking_code: str) -> dict:
        data = self._call("GET", STATUS_PATH.format(code=quote(tracking_code, safe="")))
        order = data.get("order")
        if not isinstance(order, dict):
            raise CourierError("GHTK's status answer has no order", retryable=True, code="status")
        try:
            order["status"] = _int(order.get("status"))
        except ValueError:
            raise CourierError(
                "GHTK's status answer has no usable status", retryable=True, code="status"
            ) from None
        return order

    def track(self, tracking_code: str) -> list[TrackingUpdate]:
        """The current status (GHTK publishes no history), as one update at its `modified` time."""
        order = self._status(tracking_code)
        try:
            event_time = _time(order.get("modified") or order.get("created"))
        except ValueError:
            raise CourierError(
                "GHTK's status answer has no usable time", retryable=True, code="status"
            ) from None
        status_id = order["status"]
        state, provisional = map_status(status_id)
        label = order.get("label_id")
        return [
            TrackingUpdate(
                courier=self.code,
                tracking_code=label if isinstance(label, str) and label else tracking_code,
                raw_status=str(status_id),
                state=state,
                event_time=event_time,
                client_code=_text(order.get("partner_id")),
                description=_text(order.get("status_text"))[:500],
                cod_settled=status_id == COD_SETTLED,
                cod_amount=_money(order.get("pick_money")),
                provisional=provisional,
                raw=order,
            )
        ]

    # --- webhook --------------------------------------------------------------------------------

    def parse_webhook(
        self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes
    ) -> list[TrackingUpdate]:
        """Check the URL secret, then read one status event (form-encoded or JSON)."""
        self._verify(query)
        payload = _payload(headers, body)
        try:
            label = _required_text(payload, "label_id")
            partner_id = _text(payload.get("partner_id"), strict=True)
            status_id = _int(payload.get("status_id"))
            event_time = _time(payload.get("action_time"))
            reason = _text(payload.get("reason"), strict=True)
            _text(payload.get("reason_code"), strict=True)
            cod_amount = _optional_money(payload, "pick_money")
            _optional_money(payload, "fee")
            _optional_money(payload, "weight")
        except (ValueError, TypeError) as exc:
            raise WebhookPayloadError(f"GHTK webhook: {exc}") from None
        state, provisional = map_status(status_id)
        meaning = MEANINGS.get(status_id)
        description = ": ".join(part for part in (str(meaning or ""), reason) if part)
        return [
            TrackingUpdate(
                courier=self.code,
                tracking_code=label,
                raw_status=str(status_id),
                state=state,
                event_time=event_time,
                client_code=partner_id,
                description=description[:500],
                cod_settled=status_id == COD_SETTLED,
                cod_amount=cod_amount,
                provisional=provisional,
                raw=payload,
            )
        ]

    def _verify(self, query: Mapping[str, str]) -> None:
        received = query.get("hash") if hasattr(query, "get") else None
        if isinstance(received, list):  # a parse_qs-style mapping
            received = received[-1] if received else None
        if not self.webhook_secret:
            raise WebhookAuthError("GHTK webhook secret is not configured")
        if not isinstance(received, str) or not hmac.compare_digest(
            self.webhook_secret.encode(), received.encode("utf-8", errors="surrogatepass")
        ):
            raise WebhookAuthError("GHTK webhook secret missing or wrong")


# --- webhook body ------------------------------------------------------------------------------


def _payload(headers: Mapping[str, str], body: bytes) -> dict[str, Any]:
    """The event as a dict, from JSON or form-encoded bytes; anything else is a payload error."""
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise WebhookPayloadError("GHTK webhook: body must be bytes")
    body = bytes(body)
    if len(body) > MAX_WEBHOOK_BYTES:
        raise WebhookPayloadError("GHTK webhook: body too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookPayloadError("GHTK webhook: body is not UTF-8") from None
    content_type = _header(headers, "Content-Type").split(";")[0].strip().lower()
    as_json = content_type == "application/json" or (
        content_type != "application/x-www-form-urlencoded" and text.lstrip().startswith("{")
    )
    if as_json:
        try:
            data = json.loads(text, parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            raise WebhookPayloadError("GHTK webhook: body is not valid JSON") from None
    else:
        try:
            data = dict(parse_qsl(text, keep_blank_values=True, strict_parsing=True))
        except ValueError:
            raise WebhookPayloadError("GHTK webhook: body is not a form") from None
    if not isinstance(data, dict):
        raise WebhookPayloadError("GHTK webhook: body is not an object")
    return data


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def _int(value: Any) -> int:
    """An integer from JSON (int) or a form (digits, maybe signed); bools and floats refused."""
    if isinstance(value, bool):
        raise ValueError("status_id is not an integer")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,7}\s*", value):
        number = int(value)
    else:
        raise ValueError("status_id is not an integer")
    if abs(number) > 10**6:
        raise ValueError("status_id out of range")
    return number


def _text(value: Any, *, strict: bool = False) -> str:
    """Text fields: str (or a number GHTK may send for ids); null/absent is ""."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if strict:
        raise ValueError("a text field has the wrong type")
    return ""


def _required_text(payload: Mapping[str, Any], name: str) -> str:
    value = _text(payload.get(name), strict=True).strip()
    if not value or len(value) > 64:
        raise ValueError(f"{name} missing or too long")
    return value


def _optional_money(payload: Mapping[str, Any], name: str) -> Decimal | None:
    value = payload.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(f"{name} is not a number")
    amount = _money(value)
    if amount is None or abs(amount) > 10**12:
        raise ValueError(f"{name} is not a number")
    return amount
