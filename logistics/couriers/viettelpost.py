"""Viettel Post (VTP) over its partner API (couriers.md sections 3, 5-8), with httpx.

- Authentication: `POST /v2/user/Login` gives a short JWT, `POST /v2/user/ownerconnect` trades it
  for a long-lived one (the short one is used when that fails). The token is kept in Django's
  cache until its JWT `exp`; an answer saying the token is invalid or expired drops it, logs in
  again and repeats the call once.
- Answers come as `{status, error, message, data}`, mostly with HTTP 200 even on failure, so the
  `error` flag decides. Timeouts, connection errors, HTTP 429/5xx (and an envelope status in the
  500s) raise a retryable CourierError; every other refusal a non-retryable one.
- Addresses: ours are post-2025 (province + commune GSO codes). They become VTP ids through the
  documented two-level catalogue (`GET /v3/categories/listProvinceNew`, `listWardsNew`), matching
  folded names; the district sent is the ward's own `DISTRICT_ID`, else the province's placeholder
  district (`DISTRICT_VALUE "NEW"` in `/v2/categories/listDistrict`), else 0. The catalogues
  stay a day in Django's cache; the ids of each commune are kept in `CourierAddressCache`.
- Booking uses ORDER_NUMBER = our shipment code with CHECK_UNIQUE. VTP has no pull API (spec 6),
  so when it refuses a duplicate without naming the waybill, `create` raises a non-retryable
  CourierError with code "already_booked": the parcel is booked and its waybill arrives with the
  first status webhook, which carries our code as ORDER_REFERENCE.
- `track` returns nothing: VTP publishes no tracking pull; status comes by webhook only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import secrets
import time
import unicodedata
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import httpx
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from logistics import states
from shop.addresses import units
from shop.text import fold

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

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
PRODUCTION_HOST = "partner.viettelpost.vn"
PRODUCTION_PRINT_URL = "https://digitalize.viettelpost.vn/DigitalizePrint/report.do"
DEV_PRINT_URL = "https://dev-print.viettelpost.vn/DigitalizePrint/report.do"
MAX_LABELS = 100  # ORDER_ARRAY limit of printing-code
MAX_FIELD_BYTES = 150  # VTP limits string fields in bytes, not characters
MAX_WEBHOOK_BYTES = 256 * 1024
CATALOGUE_TTL = 24 * 3600
RESOLVED_MAX_AGE = timedelta(days=30)
DEFAULT_TOKEN_TTL = 3600

# ORDER_PAYMENT: 1 = collect nothing; 3 = collect MONEY_COLLECTION only. Our COD amount already
# includes the cooperative's shipping share, so 2 (goods + VTP's fee) would charge it twice.
PAYMENT_NONE = 1
PAYMENT_GOODS_ONLY = 3
UPDATE_CANCEL = 4
CANCEL_NOTE = "Người bán hủy đơn"  # read by VTP staff, not by our users

#: ORDER_STATUS -> shopper-facing state (couriers.md 3.4 and 5). IS_RETURNING overrides, see below.
STATUS_STATES: dict[int, str] = {
    -100: states.AWAITING_PICKUP,
    102: states.AWAITING_PICKUP,
    103: states.AWAITING_PICKUP,
    104: states.AWAITING_PICKUP,
    106: states.PICKUP_PROBLEM,
    -108: states.IN_TRANSIT,
    105: states.IN_TRANSIT,
    200: states.IN_TRANSIT,
    202: states.IN_TRANSIT,
    **{code: states.IN_TRANSIT for code in (300, 301, 302, 303, 400, 401, 402, 403, 509, 510)},
    500: states.OUT_FOR_DELIVERY,
    507: states.OUT_FOR_DELIVERY,
    508: states.OUT_FOR_DELIVERY,
    550: states.OUT_FOR_DELIVERY,
    505: states.DELIVERY_FAILED,
    506: states.DELIVERY_FAILED,
    501: states.DELIVERED,
    502: states.RETURNING,
    515: states.RETURNING,
    504: states.RETURNED,
    101: states.CANCELLED,
    107: states.CANCELLED,
    201: states.CANCELLED,
    503: states.CANCELLED,
}

_PLACE_PREFIXES = (
    ("thanh", "pho"),
    ("dac", "khu"),
    ("thi", "tran"),
    ("tinh",),
    ("tp",),
    ("xa",),
    ("phuong",),
)
_LEADING_ZEROS = re.compile(r"\b0+(\d)")
_PUNCTUATION = re.compile(r"[^\w\s'’]|_")
_DUPLICATE = ("da ton tai", "already exist", "duplicate", "trung ma", "bi trung", "exists")
_NOT_FOUND = ("khong ton tai", "not exist", "does not exist")
_TOKEN_WORDS = ("het han", "expired", "invalid", "khong hop le", "unauthorized")


def status_state(code: int, is_returning: bool = False) -> str:
    """The shopper-facing state of a VTP ORDER_STATUS.

    IS_RETURNING marks every event on the way back (spec 5), whatever its code, as RETURNING;
    only 504 (back at the sender) is the end of that road.
    """
    if is_returning and code != 504:
        return states.RETURNING
    return STATUS_STATES.get(code, states.UNKNOWN)


def _place_keys(name: str) -> tuple[str, str, str, str]:
    """Ways to compare a place name, strictest first: with diacritics (with and without the
    "Tỉnh"/"Xã"/... prefix), then folded (with and without it). Numbers lose leading zeros.

    Diacritics count first because folding merges real, different units ("Xã Văn Lăng" and
    "Xã Văn Lang" are both in Thái Nguyên).
    """
    text = unicodedata.normalize("NFC", str(name)).lower()
    words = _LEADING_ZEROS.sub(r"\1", _PUNCTUATION.sub(" ", text)).split()
    folded = [fold(word) for word in words]
    cut = next((len(p) for p in _PLACE_PREFIXES if tuple(folded[: len(p)]) == p), 0)
    if cut == len(words):
        cut = 0
    return (
        " ".join(words),
        " ".join(words[cut:]),
        " ".join(filter(None, folded)),
        " ".join(filter(None, folded[cut:])),
    )


def _match(name: str, rows: list[dict], name_keys: tuple[str, ...]) -> list[dict]:
    """The rows named like `name` at the strictest level where any matches (see _place_keys)."""
    ours = _place_keys(name)
    named = [(row, _place_keys(_first(row, name_keys) or "")) for row in rows]
    for level in range(4):
        found = [row for row, keys in named if ours[level] and keys[level] == ours[level]]
        if found:
            return found
    return []


def _first(row: Mapping, keys: tuple[str, ...]) -> Any:
    for key in keys:
        if row.get(key) not in (None, ""):
            return row[key]
    return None


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value.strip())
    return None


def _money(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool | list | dict):
        return None
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _clip(text: str, limit: int = MAX_FIELD_BYTES) -> str:
    """Cut to `limit` UTF-8 bytes without splitting a letter (Vietnamese takes 2-3 bytes)."""
    return str(text).encode("utf-8")[:limit].decode("utf-8", errors="ignore").strip()


def _phone(number: str) -> str:
    """VTP wants national numbers: "+84 912 345 678" -> "0912345678"."""
    digits = re.sub(r"[^\d+]", "", str(number))
    if digits.startswith("+84"):
        return "0" + digits[3:]
    if digits.startswith("84") and len(digits) == 11:
        return "0" + digits[2:]
    return digits.lstrip("+")


def _expected_days(text: Any) -> int | None:
    """THOI_GIAN such as "24 giờ", "2 ngày" or a number of hours -> whole days."""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return max(1, math.ceil(text / 24)) if text > 0 else None
    folded = fold(str(text or ""))
    found = re.search(r"(\d+)\s*(ngay|gio|h)?", folded)
    if not found:
        return None
    number = int(found.group(1))
    if number <= 0:
        return None
    return number if found.group(2) == "ngay" else max(1, math.ceil(number / 24))


def _message(envelope: Any) -> str:
    if not isinstance(envelope, Mapping):
        return ""
    message = envelope.get("message")
    if isinstance(message, list):
        return " ".join(str(part) for part in message)
    return str(message or "")


def _is_error(envelope: Any) -> bool:
    if isinstance(envelope, list):
        return False
    if not isinstance(envelope, Mapping):
        return True
    status = _int(envelope.get("status"))
    return bool(envelope.get("error")) or (status is not None and status >= 300)


def _is_duplicate(message: str) -> bool:
    folded = fold(message)
    if any(word in folded for word in _NOT_FOUND):
        return False
    return any(word in folded for word in _DUPLICATE)


def _jwt_ttl(token: str) -> int:
    """Seconds until the JWT's `exp`, a minute early; an hour when it has none."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        ttl = int(claims["exp"]) - int(time.time()) - 60
    except (IndexError, ValueError, KeyError, TypeError):
        return DEFAULT_TOKEN_TTL
    return max(ttl, 0)


def _header(headers: Mapping[str, str], name: str) -> str:
    """Case-insensitive header lookup for plain dicts and Django's request.headers alike."""
    value = headers.get(name)
    if value is None:
        value = next((v for k, v in headers.items() if str(k).lower() == name.lower()), None)
    return str(value or "")


class ViettelPost:
    """The Courier protocol (logistics.couriers.base) for Viettel Post."""

    name = "Viettel Post"
    has_webhooks = True

    def __init__(
        self,
        code: str = "viettelpost",
        USERNAME: str = "",
        PASSWORD: str = "",
        BASE_URL: str = "https://partnerdev.viettelpost.vn",
        WEBHOOK_SECRET: str = "",
        TIMEOUT: float = 15.0,
        LABEL_TYPE: str = "1",
        PRINT_URL: str = "",
        LABEL_MINUTES: int = 60,
    ):
        self.code = code
        self.username = USERNAME
        self.password = PASSWORD
        self.base_url = BASE_URL.rstrip("/")
        self.webhook_secret = WEBHOOK_SECRET
        self.timeout = float(TIMEOUT)
        self.label_type = str(LABEL_TYPE)  # 1 = A5, 2 = A6, 100 = A7
        production = urlsplit(self.base_url).hostname == PRODUCTION_HOST
        self.print_url = PRINT_URL or (PRODUCTION_PRINT_URL if production else DEV_PRINT_URL)
        self.label_minutes = int(LABEL_MINUTES)
        # Ids and tokens differ between accounts and between the sandbox and production.
        scope = hashlib.sha256(f"{self.base_url}\n{self.username}".encode()).hexdigest()[:16]
        self._cache_prefix = f"logistics:vtp:{scope}"
        self._token: str | None = None

    # --- Courier protocol ------------------------------------------------------------------------

    def services(self) -> list[Service]:
        key = f"{self._cache_prefix}:services"
        rows = cache.get(key)
        if rows is None:
            rows = self._rows(self._call("POST", "/v2/categories/listService", json={"TYPE": 2}))
            cache.set(key, rows, CATALOGUE_TTL)
        return [
            Service(code=str(row["SERVICE_CODE"]), name=str(row.get("SERVICE_NAME") or ""))
            for row in rows
            if row.get("SERVICE_CODE")
        ]

    def quote(self, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        sender, receiver = self.resolve(origin), self.resolve(destination)
        body = {
            **self._ids("SENDER", sender),
            **self._ids("RECEIVER", receiver),
            "PRODUCT_TYPE": "HH",
            "PRODUCT_WEIGHT": max(int(parcel.weight_grams), 1),
            "PRODUCT_PRICE": int(parcel.value),
            "MONEY_COLLECTION": int(parcel.cod_amount),
            "PRODUCT_LENGTH": parcel.length_cm,
            "PRODUCT_WIDTH": parcel.width_cm,
            "PRODUCT_HEIGHT": parcel.height_cm,
            "TYPE": 1,  # domestic
        }
        quotes = []
        for row in self._rows(self._call("POST", "/v2/order/getPriceAll", json=body)):
            fee = _money(row.get("GIA_CUOC"))
            if not row.get("MA_DV_CHINH") or fee is None:
                continue
            quotes.append(
                Quote(
                    courier=self.code,
                    service=str(row["MA_DV_CHINH"]),
                    service_name=str(row.get("TEN_DICHVU") or row["MA_DV_CHINH"]),
                    fee=fee,
                    expected_days=_expected_days(row.get("THOI_GIAN")),
                )
            )
        return sorted(quotes, key=lambda q: q.fee)

    def create(self, request: BookingRequest) -> Booking:
        """Book once per `request.code` (ORDER_NUMBER + CHECK_UNIQUE).

        Without `request.service` the cheapest service VTP quotes for the route is used.
        """
        sender, receiver = self.resolve(request.origin), self.resolve(request.destination)
        service = request.service or self._cheapest(request)
        parcel = request.parcel
        items = parcel.items
        cod = int(parcel.cod_amount)
        body = {
            "ORDER_NUMBER": request.code,
            "CHECK_UNIQUE": True,
            "SENDER_FULLNAME": _clip(request.origin.name),
            "SENDER_ADDRESS": _clip(self._full_address(request.origin)),
            "SENDER_PHONE": _phone(request.origin.phone),
            **self._ids("SENDER", sender),
            "RECEIVER_FULLNAME": _clip(request.destination.name),
            "RECEIVER_ADDRESS": _clip(self._full_address(request.destination)),
            "RECEIVER_PHONE": _phone(request.destination.phone),
            **self._ids("RECEIVER", receiver),
            "PRODUCT_NAME": _clip(", ".join(item.name for item in items) or request.code),
            "PRODUCT_QUANTITY": sum(item.quantity for item in items) or 1,
            "PRODUCT_PRICE": int(parcel.value),
            "PRODUCT_WEIGHT": max(int(parcel.weight_grams), 1),
            "PRODUCT_LENGTH": parcel.length_cm,
            "PRODUCT_WIDTH": parcel.width_cm,
            "PRODUCT_HEIGHT": parcel.height_cm,
            "PRODUCT_TYPE": "HH",
            "ORDER_PAYMENT": PAYMENT_GOODS_ONLY if cod > 0 else PAYMENT_NONE,
            "ORDER_SERVICE": service,
            "ORDER_SERVICE_ADD": "",
            "ORDER_NOTE": _clip(request.note),
            "MONEY_COLLECTION": cod,
            "EXTRA_MONEY": 0,
            "LIST_ITEM": [
                {
                    "PRODUCT_NAME": _clip(item.name),
                    "PRODUCT_PRICE": int(item.price),
                    "PRODUCT_WEIGHT": int(item.weight_grams),
                    "PRODUCT_QUANTITY": int(item.quantity),
                }
                for item in items
            ],
        }
        envelope = self._call("POST", "/v2/order/createOrder", json=body, check=False)
        if _is_error(envelope) and _is_duplicate(_message(envelope)):
            return self._existing_booking(request.code, envelope)
        self._check(envelope)
        data = envelope.get("data") if isinstance(envelope, Mapping) else None
        waybill = str(data.get("ORDER_NUMBER") or "") if isinstance(data, Mapping) else ""
        if not waybill:
            raise CourierError(
                _("Viettel Post accepted the booking but sent no waybill number."),
                retryable=True,
                code="no_waybill",
            )
        hours = _int(data.get("KPI_HT"))
        return Booking(
            tracking_code=waybill,
            fee=_money(data.get("MONEY_TOTAL")),
            expected_delivery=self._kpi_time(hours) if hours else None,
        )

    def cancel(self, tracking_code: str) -> None:
        """UpdateOrder TYPE 4; VTP allows it before pickup (ORDER_STATUS < 200, not 105/107)."""
        self._call(
            "POST",
            "/v2/order/UpdateOrder",
            json={"TYPE": UPDATE_CANCEL, "ORDER_NUMBER": tracking_code, "NOTE": CANCEL_NOTE},
        )

    def label(self, tracking_codes: list[str]) -> Label:
        """A print code for the waybills, opened on VTP's print host (A5 by default)."""
        codes = [str(code) for code in tracking_codes if code]
        if not codes:
            raise CourierError(_("There is no waybill to print."), code="no_waybill")
        if len(codes) > MAX_LABELS:
            raise CourierError(
                _("Viettel Post prints at most %(count)s labels at once.") % {"count": MAX_LABELS},
                code="too_many",
            )
        expiry = int((time.time() + self.label_minutes * 60) * 1000)
        envelope = self._call(
            "POST", "/v2/order/printing-code", json={"EXPIRY_TIME": expiry, "ORDER_ARRAY": codes}
        )
        print_code = _message(envelope).strip()
        if not print_code:
            raise CourierError(
                _("Viettel Post sent no print code; please try again."),
                retryable=True,
                code="no_print_code",
            )
        return Label(
            url=f"{self.print_url}?type={quote(self.label_type)}&bill={quote(print_code)}"
            "&showPostage=1"
        )

    def track(self, tracking_code: str) -> list[TrackingUpdate]:
        """VTP publishes no tracking pull (spec 3.2, 6): status arrives by webhook only."""
        return []

    def parse_webhook(
        self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes
    ) -> list[TrackingUpdate]:
        """`{"DATA": {...}, "TOKEN": ...}` with the configured secret in `Authorization`.

        The header is the documented authentication and is compared in constant time; a bare
        value and "Bearer <secret>" are both accepted. TOKEN is not relied on.
        """
        provided = _header(headers, "Authorization").strip()
        if provided[:7].lower() == "bearer ":
            provided = provided[7:].strip()
        if not self.webhook_secret:
            raise WebhookAuthError("no Viettel Post webhook secret configured")
        if not provided or not secrets.compare_digest(
            provided.encode("utf-8"), self.webhook_secret.encode("utf-8")
        ):
            raise WebhookAuthError("wrong or missing Authorization secret")
        if not isinstance(body, bytes | bytearray) or len(body) > MAX_WEBHOOK_BYTES:
            raise WebhookPayloadError("body missing or too large")
        try:
            payload = json.loads(bytes(body).decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise WebhookPayloadError(f"body is not JSON: {exc}") from exc
        data = payload.get("DATA") if isinstance(payload, dict) else None
        if not isinstance(data, dict):
            raise WebhookPayloadError("DATA object missing")
        return [self._update(data)]

    # --- addresses -------------------------------------------------------------------------------

    def resolve(self, address: Address) -> dict[str, int]:
        """VTP's {province, district, ward} ids for a post-2025 address.

        Kept per commune in `CourierAddressCache` (shared with the other adapters), tagged with
        the API host because sandbox and production ids may differ; re-resolved after 30 days.
        """
        from logistics.models import CourierAddressCache

        commune_code = str(address.commune_code)
        row = CourierAddressCache.objects.filter(
            courier=self.code, commune_code=commune_code
        ).first()
        if (
            row is not None
            and row.data.get("host") == self.base_url
            and row.resolved_at > timezone.now() - RESOLVED_MAX_AGE
            and all(isinstance(row.data.get(key), int) for key in ("province", "district", "ward"))
        ):
            return {key: row.data[key] for key in ("province", "district", "ward")}
        ids = self._resolve(address)
        CourierAddressCache.objects.update_or_create(
            courier=self.code,
            commune_code=commune_code,
            defaults={"data": {**ids, "host": self.base_url}, "resolved_at": timezone.now()},
        )
        return ids

    def _resolve(self, address: Address) -> dict[str, int]:
        province = units.province(address.province_code)
        commune = units.commune(address.commune_code, address.province_code)
        province_name = province.name if province else address.province_name
        commune_name = commune.name if commune else address.commune_name
        place = ", ".join(filter(None, [commune_name or address.commune_code, province_name]))
        if not province_name or not commune_name:
            raise self._unresolved(place)
        provinces = _match(province_name, self._provinces(), ("PROVINCE_NAME", "NAME"))
        if len(provinces) != 1:
            raise self._unresolved(place)
        province_id = _int(_first(provinces[0], ("PROVINCE_ID", "ID")))
        if province_id is None:
            raise self._unresolved(place)
        wards = _match(commune_name, self._wards(province_id), ("WARDS_NAME", "WARD_NAME", "NAME"))
        if len(wards) != 1:
            raise self._unresolved(place)
        ward_id = _int(_first(wards[0], ("WARDS_ID", "WARD_ID", "ID")))
        if ward_id is None:
            raise self._unresolved(place)
        district_id = _int(wards[0].get("DISTRICT_ID"))
        if not district_id:
            district_id = self._placeholder_district(province_id)
        return {"province": province_id, "district": district_id, "ward": ward_id}

    def _unresolved(self, place: str) -> CourierError:
        return CourierError(
            _(
                "Viettel Post does not know the address %(place)s; check the commune or "
                "choose another courier."
            )
            % {"place": place},
            code="address",
        )

    def _provinces(self) -> list[dict]:
        return self._catalogue("provinces", "GET", "/v3/categories/listProvinceNew")

    def _wards(self, province_id: int) -> list[dict]:
        return self._catalogue(
            f"wards:{province_id}",
            "GET",
            "/v3/categories/listWardsNew",
            params={"provinceId": province_id},
        )

    def _placeholder_district(self, province_id: int) -> int:
        """The "NEW" district VTP lists per province for two-level addresses (spec 8.3), or 0."""
        rows = self._catalogue(
            f"districts:{province_id}",
            "GET",
            "/v2/categories/listDistrict",
            params={"provinceId": province_id},
        )
        for row in rows:
            if str(row.get("DISTRICT_VALUE") or "").upper() == "NEW":
                return _int(row.get("DISTRICT_ID")) or 0
        return 0

    def _catalogue(self, name: str, method: str, path: str, params=None) -> list[dict]:
        key = f"{self._cache_prefix}:{name}"
        rows = cache.get(key)
        if rows is None:
            rows = self._rows(self._call(method, path, params=params))
            if rows:  # an empty list is more likely a hiccup than the truth; ask again next time
                cache.set(key, rows, CATALOGUE_TTL)
        return rows

    @staticmethod
    def _ids(prefix: str, ids: Mapping[str, int]) -> dict[str, int]:
        return {
            f"{prefix}_PROVINCE": ids["province"],
            f"{prefix}_DISTRICT": ids["district"],
            f"{prefix}_WARD": ids["ward"],
        }

    @staticmethod
    def _full_address(address: Address) -> str:
        commune = units.commune(address.commune_code)
        province = units.province(address.province_code)
        parts = [
            address.street,
            commune.name if commune else address.commune_name,
            province.name if province else address.province_name,
        ]
        return ", ".join(part.strip() for part in parts if part and part.strip())

    # --- booking helpers -------------------------------------------------------------------------

    def _cheapest(self, request: BookingRequest) -> str:
        quotes = self.quote(request.origin, request.destination, request.parcel)
        if not quotes:
            raise CourierError(
                _("Viettel Post offers no service between these addresses."), code="no_service"
            )
        return quotes[0].service

    def _existing_booking(self, code: str, envelope: Mapping) -> Booking:
        """A duplicate ORDER_NUMBER: VTP booked this parcel before. Never book it again."""
        data = envelope.get("data")
        if not isinstance(data, Mapping):
            data = {"ORDER_NUMBER": data} if isinstance(data, str) else {}
        waybill = str(data.get("ORDER_NUMBER") or "").strip()
        if waybill and waybill != code:
            return Booking(tracking_code=waybill, fee=_money(data.get("MONEY_TOTAL")))
        raise CourierError(
            _(
                "Viettel Post already has a booking for %(code)s; its waybill number will arrive "
                "with Viettel Post's next status update."
            )
            % {"code": code},
            code="already_booked",
        )

    @staticmethod
    def _kpi_time(hours: int) -> datetime:
        """KPI_HT counts hours from 24:00 of the day VTP receives the parcel (taken as today)."""
        today = datetime.now(VIETNAM).replace(hour=0, minute=0, second=0, microsecond=0)
        return today + timedelta(days=1, hours=hours)

    # --- webhook helpers -------------------------------------------------------------------------

    def _update(self, data: dict) -> TrackingUpdate:
        waybill = data.get("ORDER_NUMBER")
        if isinstance(waybill, int) and not isinstance(waybill, bool):
            waybill = str(waybill)
        if not isinstance(waybill, str) or not waybill.strip():
            raise WebhookPayloadError("ORDER_NUMBER missing or not a string")
        status = _int(data.get("ORDER_STATUS"))
        if status is None:
            raise WebhookPayloadError("ORDER_STATUS missing or not an integer")
        when = data.get("ORDER_STATUSDATE")
        event_time = None
        if isinstance(when, str):
            for fmt in ("%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M"):
                try:
                    event_time = datetime.strptime(when.strip(), fmt).replace(tzinfo=VIETNAM)
                    break
                except ValueError:
                    continue
        if event_time is None:
            raise WebhookPayloadError("ORDER_STATUSDATE missing or not dd/MM/yyyy HH:mm:ss")
        reference = data.get("ORDER_REFERENCE")
        if isinstance(reference, int) and not isinstance(reference, bool):
            reference = str(reference)
        if reference is not None and not isinstance(reference, str):
            raise WebhookPayloadError("ORDER_REFERENCE is not a string")
        returning = data.get("IS_RETURNING")
        if isinstance(returning, str) and returning.strip().lower() in ("true", "false"):
            returning = returning.strip().lower() == "true"
        if returning is None or (isinstance(returning, int) and returning in (0, 1)):
            returning = bool(returning)
        else:
            raise WebhookPayloadError("IS_RETURNING is not a boolean")
        cod = data.get("MONEY_COLLECTION")
        cod_amount = _money(cod)
        if cod is not None and cod_amount is None:
            raise WebhookPayloadError("MONEY_COLLECTION is not a number")
        words = [data.get("STATUS_NAME"), data.get("NOTE")]
        description = " - ".join(w.strip() for w in words if isinstance(w, str) and w.strip())
        return TrackingUpdate(
            courier=self.code,
            tracking_code=waybill.strip(),
            raw_status=str(status),
            state=status_state(status, returning),
            event_time=event_time,
            client_code=(reference or "").strip(),
            description=description[:500],
            cod_settled=False,  # VTP settles COD off-API (spec 0)
            cod_amount=cod_amount,
            raw=data,
        )

    # --- HTTP ------------------------------------------------------------------------------------

    def _call(self, method: str, path: str, *, json=None, params=None, check: bool = True):
        """One authenticated call; a rejected token is renewed once. Returns the answer."""
        with httpx.Client(base_url=self.base_url, timeout=self.timeout) as client:
            token = self._current_token(client)
            status, answer = self._send(client, method, path, json=json, params=params, token=token)
            if self._token_rejected(status, answer):
                self._forget_token()
                token = self._current_token(client)
                status, answer = self._send(
                    client, method, path, json=json, params=params, token=token
                )
                if self._token_rejected(status, answer):
                    raise CourierError(
                        _("Viettel Post rejected our login: %(message)s")
                        % {"message": _message(answer) or status},
                        code="auth",
                    )
        if answer is None:
            raise CourierError(
                _("Viettel Post refused the request (HTTP %(status)s).") % {"status": status},
                code=f"http_{status}",
            )
        if check:
            self._check(answer)
        return answer

    def _send(self, client, method, path, *, json=None, params=None, token=None):
        """(HTTP status, decoded JSON or None); transport trouble, 429 and 5xx are retryable."""
        headers = {"Accept": "application/json"}
        if token:
            headers["Token"] = token
        try:
            response = client.request(method, path, json=json, params=params, headers=headers)
        except httpx.TimeoutException as exc:
            raise CourierError(
                _("Viettel Post did not answer in time; it will be tried again."),
                retryable=True,
                code="timeout",
            ) from exc
        except httpx.TransportError as exc:
            raise CourierError(
                _("Viettel Post cannot be reached right now; it will be tried again."),
                retryable=True,
                code="unreachable",
            ) from exc
        status = response.status_code
        if status == 429 or status >= 500:
            raise CourierError(
                _("Viettel Post is busy (HTTP %(status)s); it will be tried again.")
                % {"status": status},
                retryable=True,
                code=f"http_{status}",
            )
        try:
            answer = response.json()
        except ValueError:
            if 200 <= status < 300:  # a proxy page instead of VTP's answer: try later
                raise CourierError(
                    _("Viettel Post sent an unreadable answer; it will be tried again."),
                    retryable=True,
                    code="unreadable",
                ) from None
            answer = None
        plain = not isinstance(answer, Mapping) or not answer.get("error")
        if status >= 400 and status not in (401, 403) and answer is not None and plain:
            answer = {"status": status, "error": True, "message": _message(answer)}
        return status, answer

    def _check(self, answer) -> None:
        if not _is_error(answer):
            return
        status = _int(answer.get("status")) if isinstance(answer, Mapping) else None
        message = _message(answer) or str(status or "")
        raise CourierError(
            _("Viettel Post refused the request: %(message)s") % {"message": message},
            retryable=status is not None and (status == 429 or status >= 500),
            code=f"vtp_{status}" if status else "vtp_error",
        )

    @staticmethod
    def _token_rejected(status: int, answer) -> bool:
        if status in (401, 403):
            return True
        if not isinstance(answer, Mapping) or not answer.get("error"):
            return False
        if _int(answer.get("status")) in (401, 403):
            return True
        folded = fold(_message(answer))
        return "token" in folded and any(word in folded for word in _TOKEN_WORDS)

    # --- token -----------------------------------------------------------------------------------

    @property
    def _token_key(self) -> str:
        return f"{self._cache_prefix}:token"

    def _current_token(self, client) -> str:
        token = self._token or cache.get(self._token_key)
        if not token:
            token = self._login(client)
            cache.set(self._token_key, token, _jwt_ttl(token) or 1)
        self._token = token
        return token

    def _forget_token(self) -> None:
        self._token = None
        cache.delete(self._token_key)

    def _login(self, client) -> str:
        """Login for a short token, then ownerconnect for the long-lived one (spec 3.1)."""
        credentials = {"USERNAME": self.username, "PASSWORD": self.password}
        status, answer = self._send(client, "POST", "/v2/user/Login", json=credentials)
        data = answer.get("data") if isinstance(answer, Mapping) else None
        short = data.get("token") if isinstance(data, Mapping) else None
        if _is_error(answer) or not isinstance(short, str) or not short:
            raise CourierError(
                _("Viettel Post rejected our login: %(message)s")
                % {"message": _message(answer) or status},
                code="auth",
            )
        try:
            status, answer = self._send(
                client, "POST", "/v2/user/ownerconnect", json=credentials, token=short
            )
        except CourierError:
            return short
        data = answer.get("data") if isinstance(answer, Mapping) else None
        long_token = data.get("token") if isinstance(data, Mapping) else None
        if _is_error(answer) or not isinstance(long_token, str) or not long_token:
            return short
        return long_token

    @staticmethod
    def _rows(answer) -> list[dict]:
        """The list in an answer: bare, in `data`, or in `data.RESULT` (getPriceAll variants)."""
        data = answer.get("data") if isinstance(answer, Mapping) else answer
        if isinstance(data, Mapping):
            data = data.get("RESULT")
        if not isinstance(data, list):
            return []
        return [row for row in data if isinstance(row, dict)]
