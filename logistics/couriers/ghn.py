"""GHN (Giao Hàng Nhanh): quotes, bookings, labels and tracking over its API (couriers.md 1).

Every call is a POST of JSON to `BASE_URL` + path with a `Token` header, plus `ShopId` on
shop-scoped calls; answers come in GHN's envelope `{code, message, data, code_message}`.
Timeouts, network failures, 429 and 5xx raise `CourierError(retryable=True)`; other answers
(bad body, unknown shop, invalid token) raise it with `retryable=False`.

Addresses: ours are post-2025 (province + commune GSO codes, no districts); GHN routes by its own
`district_id` + `ward_code`. `_resolve` finds the GHN province by name, then searches the wards
of all its districts (a merged commune may sit under any of them) for the commune's name,
matching diacritic-free names and GHN's `NameExtension` aliases. The answer is kept in
`CourierAddressCache` (one row per commune) and GHN's master-data lists in Django's cache for a
day, so a commune costs master-data calls once. No match, or two equally good ones, raises a
non-retryable `CourierError`: we never guess a district. GHN's name-based create variant is not
used as a fallback, because it still wants a district name that a post-reform address has not
got, and fees need the ids anyway.

Idempotency (spec 6): `client_order_code` is our shipment code. When a create times out, fails
with 5xx, or is refused (e.g. "client order code already exists"), the order is looked up with
`detail-by-client-code` first: an order that exists is returned instead of booking again.

Webhooks: GHN signs nothing, so the callback URL registered with GHN carries
`?secret=<WEBHOOK_SECRET>`, compared in constant time. `create` and `switch_status` events become
one `TrackingUpdate` each; `update_weight`, `update_cod`, `update_fee` change no status and are
dropped, except when they carry `CODTransferDate`: then they become an update with the order's
current (mapped) status and `cod_settled=True`, so the settlement signal is never lost.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

import httpx
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

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

PRODUCTION_URL = "https://online-gateway.ghn.vn/shiip/public-api"
SANDBOX_URL = "https://dev-online-gateway.ghn.vn/shiip/public-api"

#: GHN status -> shopper-facing state (couriers.md section 5); anything else is UNKNOWN.
STATUS_MAP = {
    "ready_to_pick": states.AWAITING_PICKUP,
    "picking": states.AWAITING_PICKUP,
    "money_collect_picking": states.AWAITING_PICKUP,
    "picked": states.IN_TRANSIT,
    "storing": states.IN_TRANSIT,
    "transporting": states.IN_TRANSIT,
    "sorting": states.IN_TRANSIT,
    "delivering": states.OUT_FOR_DELIVERY,
    "money_collect_delivering": states.OUT_FOR_DELIVERY,
    "delivery_fail": states.DELIVERY_FAILED,
    "waiting_to_return": states.DELIVERY_FAILED,
    "delivered": states.DELIVERED,
    "return": states.RETURNING,
    "return_transporting": states.RETURNING,
    "return_sorting": states.RETURNING,
    "returning": states.RETURNING,
    "return_fail": states.RETURNING,
    "returned": states.RETURNED,
    "cancel": states.CANCELLED,
    "lost": states.LOST_DAMAGED,
    "damage": states.LOST_DAMAGED,
    # Section 5 lists `exception` here, but GHN may recover from it: it is reported as
    # provisional (kept in the timeline, shown to staff) and never makes the parcel final.
    "exception": states.LOST_DAMAGED,
}

#: Statuses kept in the timeline that never move the parcel on their own.
PROVISIONAL = frozenset({"exception"})

#: Webhook types that report a status change; the others report weight, COD or fee changes.
STATUS_EVENTS = frozenset({"create", "switch_status"})

#: Our service codes are GHN's `service_type_id`: stable across routes, unlike `service_id`.
SERVICE_TYPES = {
    1: _("GHN Express"),
    2: _("GHN Standard"),
    3: _("GHN Economy"),
    5: _("GHN Heavy goods"),
}
DEFAULT_SERVICE_TYPE = 2
HEAVY_SERVICE_TYPE = 5

#: `required_note` values GHN accepts (may try on / may look, not try / no inspection).
REQUIRED_NOTES = ("CHOTHUHANG", "CHOXEMHANGKHONGTHU", "KHONGCHOXEMHANG")

#: Print pages for a label token (spec 7), on the API's host.
LABEL_FORMATS = ("printA5", "print80x80", "print52x70")

#: A cancelled order keeps its client order code: the next booking needs the next sequence.
CANCELLED_STATUS = "cancel"

MASTER_DATA_TTL = 24 * 60 * 60
RESOLUTION_MAX_AGE = timedelta(days=30)

_PROVINCE_PREFIXES = ("thanh pho ", "tinh ", "tp ", "thu do ")
_WARD_PREFIXES = ("xa ", "phuong ", "thi tran ", "dac khu ", "p ", "x ", "tt ")
_NON_DIGITS = re.compile(r"\D")


def _bare(name: str, prefixes: tuple[str, ...]) -> str:
    folded = fold(name)
    for prefix in prefixes:
        if folded.startswith(prefix):
            return folded[len(prefix) :]
    return folded


def _names(entry: Mapping, field: str) -> list[str]:
    names = [entry.get(field) or ""]
    aliases = entry.get("NameExtension") or []
    if isinstance(aliases, list):
        names += [alias for alias in aliases if isinstance(alias, str)]
    return [name for name in names if name]


def _phone(value: str) -> str:
    """GHN wants national numbers: "+84 912 345 678" -> "0912345678"."""
    digits = _NON_DIGITS.sub("", value or "")
    if digits.startswith("84") and len(digits) > 10:
        digits = "0" + digits[2:]
    return digits


def _whole(value: Decimal | int | float | None) -> int:
    return int(Decimal(value or 0).to_integral_value())


def _parse_time(value: Any) -> datetime | None:
    """GHN's ISO-8601 times; a time without a zone is UTC (the webhook's `Time` is)."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class GHN:
    """The GHN adapter; options come from `settings.COURIERS["ghn"]["OPTIONS"]`."""

    name = "GHN"
    has_webhooks = True

    def __init__(
        self,
        code: str = "ghn",
        TOKEN: str = "",
        SHOP_ID: str | int = "",
        BASE_URL: str = SANDBOX_URL,
        WEBHOOK_SECRET: str = "",
        TIMEOUT: float = 10.0,
        REQUIRED_NOTE: str = "CHOXEMHANGKHONGTHU",
        LABEL_FORMAT: str = "printA5",
    ):
        if REQUIRED_NOTE not in REQUIRED_NOTES:
            raise ValueError(f"GHN REQUIRED_NOTE must be one of {REQUIRED_NOTES}")
        if LABEL_FORMAT not in LABEL_FORMATS:
            raise ValueError(f"GHN LABEL_FORMAT must be one of {LABEL_FORMATS}")
        self.code = code
        self.token = TOKEN
        self.shop_id = str(SHOP_ID or "")
        self.base_url = BASE_URL.rstrip("/")
        self.webhook_secret = WEBHOOK_SECRET
        self.timeout = TIMEOUT
        self.required_note = REQUIRED_NOTE
        self.label_format = LABEL_FORMAT
        parts = urlsplit(self.base_url)
        self.host = f"{parts.scheme}://{parts.netloc}"
        # Some GHN pages spell the header `shop_id`; switched to after a SHOP_NOT_FOUND.
        self._shop_header = "ShopId"
        self._client: httpx.Client | None = None
        self._client_pid = 0

    # --- HTTP -----------------------------------------------------------------------------------

    def _http(self) -> httpx.Client:
        """One pooled client per process (Celery workers fork after the registry may load)."""
        if self._client is None or self._client_pid != os.getpid():
            self._client = httpx.Client(
                timeout=self.timeout, headers={"Accept": "application/json"}
            )
            self._client_pid = os.getpid()
        return self._client

    def _post(self, path: str, payload: dict, *, shop: bool = False) -> Any:
        """POST JSON to GHN and return the envelope's `data`, or raise `CourierError`."""
        if shop and not self.shop_id:
            raise CourierError(
                gettext("GHN: no shop id is configured (GHN_SHOP_ID)."), code="SHOP_NOT_FOUND"
            )
        try:
            return self._send(path, payload, shop=shop)
        except CourierError as exc:
            if not (shop and exc.code == "SHOP_NOT_FOUND" and self._shop_header == "ShopId"):
                raise
            self._shop_header = "shop_id"
            try:
                return self._send(path, payload, shop=shop)
            except CourierError:
                self._shop_header = "ShopId"
                raise

    def _send(self, path: str, payload: dict, *, shop: bool) -> Any:
        headers = {"Token": self.token, "Content-Type": "application/json"}
        if shop:
            headers[self._shop_header] = self.shop_id
        try:
            response = self._http().post(
                self.base_url + path,
                content=json.dumps(payload, ensure_ascii=False).encode(),
                headers=headers,
            )
        except httpx.TimeoutException as exc:
            raise CourierError(f"GHN {path}: timed out", retryable=True, code="timeout") from exc
        except httpx.HTTPError as exc:
            raise CourierError(f"GHN {path}: {exc}", retryable=True, code="network") from exc
        return self._unwrap(path, response)

    @staticmethod
    def _unwrap(path: str, response: httpx.Response) -> Any:
        status = response.status_code
        retryable = status == 429 or status >= 500
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            # A 2xx without GHN's envelope is a proxy or outage page: try again later.
            raise CourierError(
                f"GHN {path}: unreadable answer (HTTP {status})",
                retryable=retryable or status < 400,
                code=str(status),
            )
        code = body.get("code")
        if 200 <= status < 300 and code in (200, None):
            return body.get("data")
        message = str(body.get("message") or f"HTTP {status}")
        code_message = str(body.get("code_message") or "")
        if "SHOP_NOT_FOUND" in (code_message, message):
            code_message = "SHOP_NOT_FOUND"
        elif status == 401 or code == 401:
            code_message = "401"  # "Token is not valid!": nothing works until it is fixed
        raise CourierError(
            f"GHN {path}: {message}",
            retryable=retryable,
            code=code_message or str(code or status),
        )

    # --- addresses ------------------------------------------------------------------------------

    def _master(self, kind: str, key: str, payload: dict, name_field: str) -> list[dict]:
        """A master-data list, slimmed to what matching needs and cached for a day."""
        cache_key = "ghn:md:" + hashlib.sha256(f"{self.host}|{kind}|{key}".encode()).hexdigest()
        found = cache.get(cache_key)
        if found is not None:
            return found
        data = self._post(f"/master-data/{kind}", payload)
        if not isinstance(data, list):
            data = []  # GHN answers `data: null` for a district without wards
        id_field = {"province": "ProvinceID", "district": "DistrictID", "ward": "WardCode"}[kind]
        entries = [
            {
                "id": entry.get(id_field),
                "name": entry.get(name_field) or "",
                "aliases": _names(entry, name_field),
                "locked": entry.get("Status") == 2,
            }
            for entry in data
            if isinstance(entry, dict) and entry.get(id_field) not in (None, "")
        ]
        cache.set(cache_key, entries, MASTER_DATA_TTL)
        return entries

    def _resolve(self, address: Address) -> dict:
        """GHN's district id and ward code for a commune, from the cache or the master data."""
        from logistics.models import CourierAddressCache

        commune_code = str(address.commune_code)
        row = CourierAddressCache.objects.filter(
            courier=self.code, commune_code=commune_code
        ).first()
        if (
            row is not None
            and row.data.get("host") == self.host
            and row.resolved_at > timezone.now() - RESOLUTION_MAX_AGE
        ):
            return row.data
        data = self._lookup(address)
        CourierAddressCache.objects.update_or_create(
            courier=self.code,
            commune_code=commune_code,
            defaults={"data": data, "resolved_at": timezone.now()},
        )
        return data

    @staticmethod
    def _our_names(address: Address) -> tuple[str, str]:
        """The commune's and province's names, from the address or from `vietnam-provinces`."""
        commune = units.commune(address.commune_code, address.province_code or None)
        province = units.province(address.province_code) or units.province_of(address.commune_code)
        return (
            address.commune_name or (commune.name if commune else ""),
            address.province_name or (province.name if province else ""),
        )

    def _lookup(self, address: Address) -> dict:
        commune_name, province_name = self._our_names(address)
        if not commune_name or not province_name:
            raise CourierError(
                gettext("GHN: unknown commune %(commune)s / province %(province)s.")
                % {"commune": address.commune_code, "province": address.province_code},
                code="address_unresolved",
            )
        wanted_province = _bare(province_name, _PROVINCE_PREFIXES)
        provinces = [
            p
            for p in self._master("province", "all", {}, "ProvinceName")
            if any(_bare(n, _PROVINCE_PREFIXES) == wanted_province for n in p["aliases"])
        ]
        if not provinces:
            raise CourierError(
                gettext("GHN has no province matching “%(province)s”.")
                % {"province": province_name},
                code="address_unresolved",
            )
        full, bare = fold(commune_name), _bare(commune_name, _WARD_PREFIXES)
        matches: list[tuple[int, dict, dict, dict]] = []
        for prov in provinces:
            districts = self._master(
                "district", str(prov["id"]), {"province_id": prov["id"]}, "DistrictName"
            )
            for district in districts:
                wards = self._master(
                    "ward", str(district["id"]), {"district_id": district["id"]}, "WardName"
                )
                for ward in wards:
                    folded = [fold(n) for n in ward["aliases"]]
                    if full in folded:
                        score = 2
                    elif any(_bare(n, _WARD_PREFIXES) == bare for n in ward["aliases"]):
                        score = 1
                    else:
                        continue
                    matches.append((score - ward["locked"] * 2, prov, district, ward))
        if not matches:
            raise CourierError(
                gettext("GHN has no ward matching “%(commune)s, %(province)s”.")
                % {"commune": commune_name, "province": province_name},
                code="address_unresolved",
            )
        best = max(score for score, *_ in matches)
        best_matches = [m for m in matches if m[0] == best]
        if len(best_matches) > 1:
            found = "; ".join(f"{w['name']} ({d['name']})" for _, _p, d, w in best_matches)
            raise CourierError(
                gettext("GHN has several wards matching “%(commune)s, %(province)s”: %(found)s.")
                % {"commune": commune_name, "province": province_name, "found": found},
                code="address_ambiguous",
            )
        _score, prov, district, ward = best_matches[0]
        return {
            "host": self.host,
            "province_id": prov["id"],
            "province_name": prov["name"],
            "district_id": district["id"],
            "district_name": district["name"],
            "ward_code": str(ward["id"]),
            "ward_name": ward["name"],
        }

    def _full_address(self, address: Address, resolved: dict) -> str:
        """Street, commune and province as the shopper wrote them (post-2025 names)."""
        commune, province = self._our_names(address)
        commune = commune or resolved["ward_name"]
        province = province or resolved["province_name"]
        return ", ".join(part for part in (address.street, commune, province) if part)[:1024]

    # --- quotes ---------------------------------------------------------------------------------

    def services(self) -> list[Service]:
        return [Service(str(t), str(SERVICE_TYPES[t])) for t in (DEFAULT_SERVICE_TYPE, 5)]

    def quote(self, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        """One quote per GHN service type offered on the route, fee in whole dong."""
        src, dst = self._resolve(origin), self._resolve(destination)
        offered = self._post(
            "/v2/shipping-order/available-services",
            {
                "shop_id": int(self.shop_id) if self.shop_id.isdigit() else self.shop_id,
                "from_district": src["district_id"],
                "to_district": dst["district_id"],
            },
        )
        quotes: list[Quote] = []
        refused: CourierError | None = None
        seen: set[int] = set()
        for service in offered or []:
            if not isinstance(service, dict):
                continue
            type_id, service_id = service.get("service_type_id"), service.get("service_id")
            if not isinstance(type_id, int) or type_id in seen or not service_id:
                continue
            seen.add(type_id)
            body = {
                "service_id": service_id,
                "service_type_id": type_id,
                "from_district_id": src["district_id"],
                "from_ward_code": src["ward_code"],
                "to_district_id": dst["district_id"],
                "to_ward_code": dst["ward_code"],
                **self._dimensions(parcel),
                "insurance_value": _whole(parcel.value),
                "cod_value": _whole(parcel.cod_amount),
            }
            if type_id == HEAVY_SERVICE_TYPE:
                body["items"] = self._items(parcel)
            try:
                fee = self._post("/v2/shipping-order/fee", body, shop=True)
            except CourierError as exc:
                if exc.retryable or exc.code in ("SHOP_NOT_FOUND", "401"):
                    raise
                refused = exc  # GHN does not serve this parcel with this service
                continue
            name = SERVICE_TYPES.get(type_id) or service.get("short_name") or str(type_id)
            quotes.append(
                Quote(
                    courier=self.code,
                    service=str(type_id),
                    service_name=str(name),
                    fee=Decimal(_whole((fee or {}).get("total"))),
                )
            )
        if not quotes and refused is not None:
            raise refused
        return quotes

    @staticmethod
    def _dimensions(parcel: Parcel) -> dict:
        return {
            "weight": parcel.weight_grams,
            "length": parcel.length_cm,
            "width": parcel.width_cm,
            "height": parcel.height_cm,
        }

    @staticmethod
    def _items(parcel: Parcel) -> list[dict]:
        if not parcel.items:
            return [
                {
                    "name": "Hàng OCOP",
                    "quantity": 1,
                    "price": _whole(parcel.value),
                    "weight": parcel.weight_grams,
                    "length": parcel.length_cm,
                    "width": parcel.width_cm,
                    "height": parcel.height_cm,
                }
            ]
        return [
            {
                "name": item.name[:200],
                "quantity": item.quantity,
                "price": _whole(item.price),
                "weight": item.weight_grams,
                "length": parcel.length_cm,
                "width": parcel.width_cm,
                "height": parcel.height_cm,
            }
            for item in parcel.items
        ]

    # --- bookings -------------------------------------------------------------------------------

    def create(self, request: BookingRequest) -> Booking:
        """Book the parcel once per `request.code`; see the module docstring for retries."""
        src, dst = self._resolve(request.origin), self._resolve(request.destination)
        parcel = request.parcel
        items = self._items(parcel)
        content = ", ".join(f"{i['name']} x{i['quantity']}" for i in items)[:2000]
        try:
            service_type = int(request.service) if request.service else DEFAULT_SERVICE_TYPE
        except ValueError:
            service_type = DEFAULT_SERVICE_TYPE
        origin, destination = request.origin, request.destination
        body = {
            "client_order_code": request.code,
            "payment_type_id": 1,  # the shop pays GHN; the shopper paid shipping at checkout
            "required_note": self.required_note,
            "note": request.note[:500],
            "service_type_id": service_type,
            "from_name": origin.name,
            "from_phone": _phone(origin.phone),
            "from_address": self._full_address(origin, src),
            "from_ward_name": src["ward_name"],
            "from_district_name": src["district_name"],
            "from_province_name": src["province_name"],
            "return_phone": _phone(origin.phone),
            "return_address": self._full_address(origin, src),
            "return_district_id": src["district_id"],
            "return_ward_code": src["ward_code"],
            "to_name": destination.name,
            "to_phone": _phone(destination.phone),
            "to_address": self._full_address(destination, dst),
            "to_ward_code": dst["ward_code"],
            "to_district_id": dst["district_id"],
            **self._dimensions(parcel),
            "content": content,
            "cod_amount": _whole(parcel.cod_amount),
            "insurance_value": _whole(parcel.value),
            "items": items,
        }
        try:
            data = self._post("/v2/shipping-order/create", body, shop=True)
        except CourierError as exc:
            if exc.code in ("SHOP_NOT_FOUND", "401"):
                raise
            # Timed out after GHN booked it, or refused as a duplicate: the order may exist.
            existing = self._find_by_client_code(request.code)
            if existing is None:
                raise
            return self._booking_from_detail(existing, request.code)
        if not isinstance(data, dict) or not data.get("order_code"):
            raise CourierError("GHN create: answer without an order code", retryable=True)
        return Booking(
            tracking_code=str(data["order_code"]),
            fee=Decimal(_whole(data.get("total_fee"))) if "total_fee" in data else None,
            expected_delivery=_parse_time(data.get("expected_delivery_time")),
        )

    def _find_by_client_code(self, client_code: str) -> dict | None:
        """GHN's order for our code, or None when GHN says it has none."""
        try:
            data = self._post(
                "/v2/shipping-order/detail-by-client-code", {"client_order_code": client_code}
            )
        except CourierError as exc:
            if exc.retryable or exc.code == "401":
                raise
            return None  # "Đơn hàng không tồn tại"
        return data if isinstance(data, dict) and data.get("order_code") else None

    @staticmethod
    def _booking_from_detail(detail: dict, client_code: str) -> Booking:
        if detail.get("status") == CANCELLED_STATUS:
            raise CourierError(
                gettext(
                    "GHN: the code %(code)s belongs to the cancelled GHN order %(order)s; "
                    "book again with the next shipment number."
                )
                % {"code": client_code, "order": detail["order_code"]},
                code="client_code_used",
            )
        fee = detail.get("total_fee")
        return Booking(
            tracking_code=str(detail["order_code"]),
            fee=Decimal(_whole(fee)) if isinstance(fee, int | float) else None,
            expected_delivery=_parse_time(detail.get("leadtime")),
        )

    def cancel(self, tracking_code: str) -> None:
        data = self._post("/v2/switch-status/cancel", {"order_codes": [tracking_code]}, shop=True)
        results = [r for r in data or [] if isinstance(r, dict)]
        result = next((r for r in results if r.get("order_code") == tracking_code), None)
        if result is None or not result.get("result"):
            message = (result or {}).get("message") or "no result"
            raise CourierError(
                gettext("GHN refused to cancel %(code)s: %(message)s")
                % {"code": tracking_code, "message": message},
                code="cancel",
            )

    def label(self, tracking_codes: list[str]) -> Label:
        """A print page on GHN's host; its token is valid for 30 minutes, so make it on demand."""
        data = self._post("/v2/a5/gen-token", {"order_codes": list(tracking_codes)})
        token = data.get("token") if isinstance(data, dict) else None
        if not token:
            raise CourierError("GHN gen-token: answer without a token", retryable=True)
        return Label(url=f"{self.host}/a5/public-api/{self.label_format}?token={token}")

    # --- tracking -------------------------------------------------------------------------------

    def track(self, tracking_code: str) -> list[TrackingUpdate]:
        """The order's status history from `detail`, oldest first."""
        data = self._post("/v2/shipping-order/detail", {"order_code": tracking_code})
        if not isinstance(data, dict):
            raise CourierError(f"GHN detail {tracking_code}: empty answer", retryable=True)
        client_code = str(data.get("client_order_code") or "")
        updates = []
        for entry in data.get("log") or []:
            if not isinstance(entry, dict) or not isinstance(entry.get("status"), str):
                continue
            when = _parse_time(entry.get("updated_date"))
            if when is None:
                continue
            updates.append(self._update(tracking_code, entry["status"], when, client_code, entry))
        status = data.get("status")
        last = updates[-1].raw_status if updates else None
        when = _parse_time(data.get("updated_date"))
        if isinstance(status, str) and status != last and when is not None:
            updates.append(self._update(tracking_code, status, when, client_code, {}))
        updates.sort(key=lambda u: u.event_time)
        if updates and data.get("cod_transfer_date"):
            updates[-1] = replace(
                updates[-1], cod_settled=True, cod_amount=Decimal(_whole(data.get("cod_amount")))
            )
        return updates

    def _update(self, code, status, when, client_code, raw, **extra) -> TrackingUpdate:
        return TrackingUpdate(
            courier=self.code,
            tracking_code=code,
            raw_status=status,
            state=STATUS_MAP.get(status, states.UNKNOWN),
            event_time=when,
            client_code=client_code,
            provisional=status in PROVISIONAL,
            raw=raw,
            **extra,
        )

    def parse_webhook(
        self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes
    ) -> list[TrackingUpdate]:
        """Check `?secret=`, then read GHN's JSON event (one per call)."""
        given = query.get("secret") or ""
        if isinstance(given, list):  # a QueryDict-like mapping of lists
            given = given[-1] if given else ""
        if not self.webhook_secret or not secrets.compare_digest(
            str(given).encode(), self.webhook_secret.encode()
        ):
            raise WebhookAuthError("GHN webhook: missing or wrong secret")
        try:
            event = json.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            raise WebhookPayloadError("GHN webhook: body is not JSON") from exc
        if not isinstance(event, dict):
            raise WebhookPayloadError("GHN webhook: body is not a JSON object")
        kind, code, status = event.get("Type"), event.get("OrderCode"), event.get("Status")
        if not isinstance(kind, str) or not kind:
            raise WebhookPayloadError("GHN webhook: no Type")
        if not isinstance(code, str) or not code:
            raise WebhookPayloadError("GHN webhook: no OrderCode")
        if status is not None and not isinstance(status, str):
            raise WebhookPayloadError("GHN webhook: Status is not a string")
        when = _parse_time(event.get("Time"))
        if when is None:
            raise WebhookPayloadError("GHN webhook: Time is missing or not ISO-8601")
        client_code = event.get("ClientOrderCode") or ""
        if not isinstance(client_code, str):
            raise WebhookPayloadError("GHN webhook: ClientOrderCode is not a string")
        cod = event.get("CODAmount")
        if cod is not None and (isinstance(cod, bool) or not isinstance(cod, int | float)):
            raise WebhookPayloadError("GHN webhook: CODAmount is not a number")
        settled = bool(event.get("CODTransferDate"))
        if kind.lower() in STATUS_EVENTS:
            if not status:
                raise WebhookPayloadError("GHN webhook: status event without Status")
        elif not (settled and status):
            return []  # weight, COD or fee changed: no status news
        description = " — ".join(
            str(part)
            for part in (event.get("Description"), event.get("Reason"))
            if part and isinstance(part, str)
        )
        return [
            self._update(
                code,
                status,
                when,
                client_code,
                event,
                description=description[:500],
                cod_settled=settled,
                cod_amount=Decimal(_whole(cod)) if cod is not None else None,
            )
        ]
