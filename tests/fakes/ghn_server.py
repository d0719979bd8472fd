"""A small stateful fake of GHN's public API (couriers.md section 1) on a loopback port.

It speaks what logistics/couriers/ghn.py uses: POST JSON under `/shiip/public-api` with `Token`
(and `ShopId` on shop-scoped calls), GHN's envelope `{code, message, data, code_message}` and its
error answers (400 USER_ERR_COMMON, 400 SHOP_NOT_FOUND, 401 "Token is not valid!"), master data
for a few provinces, available services, fees, orders that are idempotent on
`client_order_code`, cancel, label tokens and the print page. Every request is recorded.

Switches: `fail_next(path, status)` answers the next call(s) of a path with an error;
`slow(path, seconds)` handles a call and then holds the answer (a client that times out has
still booked); `shop_header` names the one header spelling the fake accepts for the shop id.

The master data mimics GHN after the 2025 reform as the adapter expects it: provinces by name
with `NameExtension` aliases, new communes listed under some district of their province
(Xã Đồng Phúc of Thái Nguyên sits under the old Ba Bể district), one name twice in Hà Nội
(Xã Bình Minh, to exercise ambiguity) and the old province Bắc Kạn still listed.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.local_server import LocalServer

TOKEN = "ghn-test-token-3f1c"
SHOP_ID = "885123"
PREFIX = "/shiip/public-api"

PROVINCES = [
    {
        "ProvinceID": 201,
        "ProvinceName": "Hà Nội",
        "Code": "4",
        "NameExtension": ["Hà Nội", "TP.Hà Nội", "TP. Hà Nội", "TP Hà Nội", "Thủ đô Hà Nội", "HN"],
        "Status": 1,
    },
    {
        "ProvinceID": 202,
        "ProvinceName": "Hồ Chí Minh",
        "Code": "8",
        "NameExtension": ["Hồ Chí Minh", "TP.Hồ Chí Minh", "TP Hồ Chí Minh", "HCM", "Sài Gòn"],
        "Status": 1,
    },
    {
        "ProvinceID": 237,
        "ProvinceName": "Thái Nguyên",
        "Code": "280",
        "NameExtension": ["Thái Nguyên", "Tỉnh Thái Nguyên", "T.Thái Nguyên", "thainguyen"],
        "Status": 1,
    },
    {
        "ProvinceID": 245,
        "ProvinceName": "Bắc Kạn",
        "Code": "281",
        "NameExtension": ["Bắc Kạn", "Tỉnh Bắc Kạn", "Bắc Cạn"],
        "Status": 1,
    },
]

#: province id -> [(DistrictID, DistrictName, NameExtension)]
DISTRICTS = {
    201: [
        (1484, "Quận Ba Đình", ["Ba Đình", "Q.Ba Đình"]),
        (1488, "Quận Hai Bà Trưng", ["Hai Bà Trưng", "Q.Hai Bà Trưng"]),
        (1703, "Huyện Gia Lâm", ["Gia Lâm", "H.Gia Lâm"]),
        (1810, "Huyện Thanh Oai", ["Thanh Oai"]),
        (1915, "Huyện Chương Mỹ", ["Chương Mỹ"]),
    ],
    202: [(1442, "Quận 1", ["Q1", "Quận Một"])],
    237: [
        (1717, "Thành phố Thái Nguyên", ["TP Thái Nguyên"]),
        (1720, "Huyện Phú Lương", ["Phú Lương"]),
        (3270, "Huyện Ba Bể", ["Ba Bể"]),
    ],
    245: [(3271, "Huyện Pác Nặm", ["Pác Nặm"])],
}

#: district id -> [(WardCode, WardName, NameExtension, Status)]; a missing district has no wards.
WARDS = {
    1484: [
        ("1A0101", "Phường Ba Đình", ["Ba Đình", "P.Ba Đình", "phuong ba dinh"], 1),
        ("1A0102", "Phường Ngọc Hà", ["Ngọc Hà", "P.Ngọc Hà"], 1),
    ],
    # GHN's name without the unit word; only the alias-free bare name matches "Phường Bạch Mai".
    1488: [("1A0402", "Bạch Mai", ["P.Bạch Mai"], 1)],
    1703: [("1B2701", "Xã Bát Tràng", ["Bát Tràng", "X.Bát Tràng"], 1)],
    1810: [("1B3001", "Xã Bình Minh", ["Bình Minh"], 1)],
    1915: [("1B3101", "Xã Bình Minh", ["Bình Minh"], 1)],
    1442: [("20101", "Phường Sài Gòn", ["Sài Gòn", "P.Sài Gòn"], 1)],
    1717: [
        ("40101", "Phường Phan Đình Phùng", ["Phan Đình Phùng", "P.Phan Đình Phùng"], 1),
        ("40102", "Phường Túc Duyên", ["Túc Duyên"], 2),
    ],
    3270: [("30406", "Xã Đồng Phúc", ["Đồng Phúc", "X.Đồng Phúc", "xa dong phuc"], 1)],
    3271: [("30501", "Xã Nhạn Môn", ["Nhạn Môn"], 1)],
}

SERVICES = [
    {"service_id": 53320, "short_name": "Hàng nhẹ", "service_type_id": 2},
    {"service_id": 100039, "short_name": "Hàng nặng", "service_type_id": 5},
]

REQUIRED_NOTES = {"CHOTHUHANG", "CHOXEMHANGKHONGTHU", "KHONGCHOXEMHANG"}
CANCELLABLE = {"ready_to_pick", "picking", "money_collect_picking"}
SHOP_SCOPED = {
    "/v2/shipping-order/fee",
    "/v2/shipping-order/create",
    "/v2/switch-status/cancel",
    "/v2/switch-status/return",
    "/v2/switch-status/storing",
    "/v2/shipping-order/soc",
}
MAX_COD = 10_000_000
MAX_INSURANCE = 5_000_000
MAX_WEIGHT = 30_000


@dataclass
class RecordedRequest:
    """One HTTP request as received; `json` is the parsed body (None when it was not JSON)."""

    method: str
    path: str  # without PREFIX
    query: dict[str, str]
    headers: dict[str, str]
    json: object

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


class GHNError(Exception):
    """Rendered as GHN's envelope with `code` = HTTP status."""

    def __init__(self, status: int, message: str, code_message: str = "USER_ERR_COMMON"):
        super().__init__(message)
        self.status = status
        self.body = {"code": status, "message": message, "data": None}
        if code_message:
            self.body["code_message"] = code_message


def _ward_district(ward_code: str) -> int | None:
    return next((d for d, wards in WARDS.items() for w in wards if w[0] == ward_code), None)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass
class FakeGHN:
    """State shared by the handler threads; `url` is the adapter's BASE_URL."""

    token: str = TOKEN
    shop_id: str = SHOP_ID
    shop_header: str = "ShopId"
    requests: list[RecordedRequest] = field(default_factory=list)
    orders: dict[str, dict] = field(default_factory=dict)
    label_tokens: dict[str, list[str]] = field(default_factory=dict)
    url: str = ""
    host: str = ""
    _failures: dict[str, list[tuple[int, dict | str]]] = field(default_factory=dict)
    _slow: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    _stop: threading.Event = field(default_factory=threading.Event)

    # --- test helpers ---------------------------------------------------------------------------

    def fail_next(self, path: str, status: int, body: dict | str | None = None, times: int = 1):
        """Answer the next `times` calls of `path` with `status` (GHN's envelope by default)."""
        if body is None:
            body = {"code": status, "message": "Internal Server Error", "data": None}
        self._failures.setdefault(path, []).extend([(status, body)] * times)

    def slow(self, path: str, seconds: float) -> None:
        """Handle calls of `path` normally, then hold the answer `seconds` before sending it."""
        self._slow[path] = seconds

    def calls(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def master_data_calls(self) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path.startswith("/master-data/")]

    def by_client_code(self, client_code: str) -> dict | None:
        return next(
            (o for o in self.orders.values() if o["client_order_code"] == client_code), None
        )

    def advance(self, order_code: str, status: str, when: datetime | None = None) -> dict:
        """Play GHN moving the order on: a new status with its log entry."""
        with self._lock:
            order = self.orders[order_code]
            stamp = _iso(when or datetime.now(UTC))
            order["status"] = status
            order["updated_date"] = stamp
            order["log"].append({"status": status, "updated_date": stamp})
            if status == "delivered" and order["cod_amount"]:
                order["cod_collect_date"] = stamp
            return order

    def settle_cod(self, order_code: str, when: datetime | None = None) -> dict:
        with self._lock:
            order = self.orders[order_code]
            order["cod_transfer_date"] = _iso(when or datetime.now(UTC))
            return order

    def webhook_event(self, order_code: str, type: str = "switch_status", **fields) -> dict:
        """The JSON body GHN would POST to our callback for the order's current state."""
        order = self.orders[order_code]
        event = {
            "Type": type,
            "OrderCode": order_code,
            "ClientOrderCode": order["client_order_code"],
            "ShopID": int(self.shop_id),
            "Status": order["status"],
            "Time": order["updated_date"],
            "Description": "",
            "Reason": "",
            "ReasonCode": "",
            "Warehouse": "",
            "CODAmount": order["cod_amount"],
            "CODTransferDate": order["cod_transfer_date"],
            "PaymentType": order["payment_type_id"],
            "Weight": order["weight"],
            "ConvertedWeight": order["weight"],
            "TotalFee": order["total_fee"],
            "Fee": {"MainService": order["total_fee"], "Insurance": 0, "Total": order["total_fee"]},
        }
        event.update(fields)
        return event

    # --- protocol -------------------------------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: dict[str, str], body: bytes):
        """Return (status, body, delay) for one request."""
        parts = urlsplit(raw_path)
        query = dict(parse_qsl(parts.query))
        try:
            data = json.loads(body) if body else {}
        except ValueError:
            data = None
        path = parts.path.removeprefix(PREFIX) if parts.path.startswith(PREFIX) else parts.path
        record = RecordedRequest(method, path, query, headers, data)
        with self._lock:
            self.requests.append(record)
            delay = self._slow.get(path, 0.0)
            queued = self._failures.get(path)
            if queued:
                status, payload = queued.pop(0)
                return status, payload, delay
            if parts.path.startswith("/a5/public-api/"):
                return *self._print_page(parts.path, query), delay
            if not parts.path.startswith(PREFIX):
                return 404, {"code": 404, "message": "Not Found", "data": None}, delay
            try:
                self._authenticate(record)
                if data is None or not isinstance(data, dict):
                    raise GHNError(400, "Dữ liệu không hợp lệ: body is not a JSON object")
                result = self._route(method, path, {**query, **data})
            except GHNError as exc:
                return exc.status, exc.body, delay
            return 200, {"code": 200, "message": "Success", "data": result}, delay

    def _authenticate(self, record: RecordedRequest) -> None:
        token = record.header("Token") or ""
        if not secrets.compare_digest(token.encode(), self.token.encode()):
            raise GHNError(401, "Token is not valid!", code_message="")
        if record.path in SHOP_SCOPED:
            shop = record.header(self.shop_header) or ""
            if shop != self.shop_id:
                raise GHNError(400, "SHOP_NOT_FOUND", code_message="SHOP_NOT_FOUND")

    def _route(self, method: str, path: str, data: dict):
        routes = {
            "/master-data/province": self._provinces,
            "/master-data/district": self._districts,
            "/master-data/ward": self._wards,
            "/v2/shipping-order/available-services": self._services,
            "/v2/shipping-order/fee": self._fee,
            "/v2/shipping-order/create": self._create,
            "/v2/shipping-order/detail": self._detail,
            "/v2/shipping-order/detail-by-client-code": self._detail_by_client_code,
            "/v2/switch-status/cancel": self._cancel,
            "/v2/a5/gen-token": self._gen_token,
        }
        if path not in routes:
            raise GHNError(404, "Not Found", code_message="")
        if method != "POST" and not path.startswith("/master-data/"):
            raise GHNError(405, "Method Not Allowed", code_message="")
        return routes[path](data)

    @staticmethod
    def _int(data: dict, name: str, *, required: bool = True, default: int = 0) -> int:
        value = data.get(name)
        if value is None or value == "":
            if required:
                raise GHNError(400, f"Key: '{name}' Error:Field validation for '{name}' failed")
            return default
        try:
            return int(value)
        except (TypeError, ValueError):
            raise GHNError(400, f"json: cannot unmarshal {name}") from None

    # master data

    def _provinces(self, data: dict) -> list[dict]:
        return PROVINCES

    def _districts(self, data: dict) -> list[dict]:
        province_id = self._int(data, "province_id")
        return [
            {
                "DistrictID": d,
                "ProvinceID": province_id,
                "DistrictName": name,
                "NameExtension": aliases,
                "SupportType": 3,
                "Status": 1,
            }
            for d, name, aliases in DISTRICTS.get(province_id, [])
        ]

    def _wards(self, data: dict) -> list[dict] | None:
        district_id = self._int(data, "district_id")
        if district_id not in WARDS:
            return None  # what GHN answers for a district without wards
        return [
            {
                "WardCode": code,
                "DistrictID": district_id,
                "WardName": name,
                "NameExtension": aliases,
                "SupportType": 3,
                "Status": status,
            }
            for code, name, aliases, status in WARDS[district_id]
        ]

    # fees and orders

    def _services(self, data: dict) -> list[dict]:
        if str(data.get("shop_id")) != self.shop_id:
            raise GHNError(400, "SHOP_NOT_FOUND", code_message="SHOP_NOT_FOUND")
        for name in ("from_district", "to_district"):
            if not any(d[0] == self._int(data, name) for ds in DISTRICTS.values() for d in ds):
                raise GHNError(400, f"{name} không hợp lệ")
        return SERVICES

    def _price(self, data: dict, *, create: bool) -> dict:
        service_id = self._int(data, "service_id", required=False)
        service_type = self._int(data, "service_type_id", required=False)
        service = next((s for s in SERVICES if s["service_id"] == service_id), None) or next(
            (s for s in SERVICES if s["service_type_id"] == service_type), None
        )
        if service is None:
            raise GHNError(400, "Dịch vụ không hợp lệ: service_id or service_type_id")
        to_district = self._int(data, "to_district_id")
        to_ward = str(data.get("to_ward_code") or "")
        if _ward_district(to_ward) != to_district:
            raise GHNError(400, "Phường/xã nhận không thuộc quận/huyện nhận (to_ward_code)")
        weight = self._int(data, "weight")
        if not 0 < weight <= MAX_WEIGHT:
            raise GHNError(400, f"Khối lượng không hợp lệ (weight {weight})")
        insurance = self._int(data, "insurance_value", required=False)
        if insurance > MAX_INSURANCE:
            raise GHNError(400, "Giá trị khai giá vượt quá 5.000.000 (insurance_value)")
        heavy = service["service_type_id"] == 5
        if heavy and not data.get("items"):
            raise GHNError(400, "Hàng nặng cần danh sách items")
        from_district = self._int(data, "from_district_id", required=not create, default=0)
        same_province = from_district and any(
            from_district in {d[0] for d in ds} and to_district in {d[0] for d in ds}
            for ds in DISTRICTS.values()
        )
        base = (80_000 if heavy else 22_000) if same_province else (95_000 if heavy else 30_000)
        extra = max(0, -(-(weight - 1000) // 500)) * (2_000 if heavy else 5_000)
        insurance_fee = insurance // 200 if insurance > 1_000_000 else 0
        return {
            "total": base + extra + insurance_fee,
            "service_fee": base + extra,
            "insurance_fee": insurance_fee,
            "pick_station_fee": 0,
            "coupon_value": 0,
            "r2s_fee": 0,
            "service": service,
        }

    def _fee(self, data: dict) -> dict:
        price = self._price(data, create=False)
        price.pop("service")
        return price

    def _create(self, data: dict) -> dict:
        for name in ("to_name", "to_phone", "to_address", "client_order_code"):
            if not str(data.get(name) or "").strip():
                raise GHNError(400, f"Key: '{name}' Error:Field validation for '{name}' failed")
        if data.get("required_note") not in REQUIRED_NOTES:
            raise GHNError(400, "required_note không hợp lệ")
        if self._int(data, "payment_type_id") not in (1, 2):
            raise GHNError(400, "payment_type_id không hợp lệ")
        if self._int(data, "cod_amount", required=False) > MAX_COD:
            raise GHNError(400, "Tiền thu hộ vượt quá 10.000.000 (cod_amount)")
        if len(str(data["to_address"])) > 1024:
            raise GHNError(400, "to_address quá dài")
        if self.by_client_code(str(data["client_order_code"])) is not None:
            raise GHNError(400, "Mã đơn hàng của khách hàng đã tồn tại (client_order_code)")
        price = self._price(data, create=True)
        n = next(self._ids)
        code = f"GHN{n:03d}FAKE"
        now = datetime.now(UTC)
        order = {
            "order_code": code,
            "client_order_code": str(data["client_order_code"]),
            "status": "ready_to_pick",
            "to_name": data["to_name"],
            "to_phone": data["to_phone"],
            "to_address": data["to_address"],
            "to_ward_code": data["to_ward_code"],
            "to_district_id": data["to_district_id"],
            "from_name": data.get("from_name", ""),
            "weight": data["weight"],
            "cod_amount": self._int(data, "cod_amount", required=False),
            "insurance_value": self._int(data, "insurance_value", required=False),
            "payment_type_id": data["payment_type_id"],
            "required_note": data["required_note"],
            "service_type_id": price["service"]["service_type_id"],
            "service_id": price["service"]["service_id"],
            "items": data.get("items") or [],
            "total_fee": price["total"],
            "cod_collect_date": None,
            "cod_transfer_date": None,
            "created_date": _iso(now),
            "updated_date": _iso(now),
            "leadtime": _iso(now + timedelta(days=2)),
            "log": [{"status": "ready_to_pick", "updated_date": _iso(now)}],
        }
        self.orders[code] = order
        return {
            "order_code": code,
            "sort_code": "19-000-00-00",
            "trans_type": "truck",
            "ward_encode": "",
            "district_encode": "",
            "fee": {
                "main_service": price["service_fee"],
                "insurance": price["insurance_fee"],
                "station_do": 0,
                "station_pu": 0,
                "return": 0,
                "r2s": 0,
                "coupon": 0,
            },
            "total_fee": price["total"],
            "expected_delivery_time": order["leadtime"],
        }

    def _detail(self, data: dict) -> dict:
        order = self.orders.get(str(data.get("order_code") or ""))
        if order is None:
            raise GHNError(400, "Đơn hàng không tồn tại")
        return order

    def _detail_by_client_code(self, data: dict) -> dict:
        order = self.by_client_code(str(data.get("client_order_code") or ""))
        if order is None:
            raise GHNError(400, "Đơn hàng không tồn tại")
        return order

    def _cancel(self, data: dict) -> list[dict]:
        codes = data.get("order_codes")
        if not isinstance(codes, list) or not codes:
            raise GHNError(400, "order_codes không hợp lệ")
        results = []
        for code in codes:
            order = self.orders.get(code)
            if order is None:
                results.append({"order_code": code, "result": False, "message": "Không tồn tại"})
            elif order["status"] not in CANCELLABLE:
                results.append(
                    {"order_code": code, "result": False, "message": "Không thể hủy đơn hàng"}
                )
            else:
                order["status"] = "cancel"
                order["log"].append({"status": "cancel", "updated_date": _iso(datetime.now(UTC))})
                results.append({"order_code": code, "result": True, "message": "OK"})
        return results

    def _gen_token(self, data: dict) -> dict:
        codes = data.get("order_codes")
        if not isinstance(codes, list) or not codes or any(c not in self.orders for c in codes):
            raise GHNError(400, "Đơn hàng không tồn tại")
        token = secrets.token_hex(16)
        self.label_tokens[token] = list(codes)
        return {"token": token}

    def _print_page(self, path: str, query: dict) -> tuple[int, str]:
        codes = self.label_tokens.get(query.get("token", ""))
        if codes is None:
            return 400, "<html><body>Token không hợp lệ</body></html>"
        return 200, f"<html><body>{path.rsplit('/', 1)[-1]}: {' '.join(codes)}</body></html>"


def _handler(fake: FakeGHN) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out at once, not 40 ms apart

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, payload, delay = fake.handle(
                self.command, self.path, dict(self.headers.items()), body
            )
            if delay:
                fake._stop.wait(delay)
            html = isinstance(payload, str)
            data = payload.encode() if html else json.dumps(payload, ensure_ascii=False).encode()
            try:
                self.send_response(status)
                kind = "text/html" if html else "application/json"
                self.send_header("Content-Type", f"{kind}; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out and went away

        do_GET = do_POST = _serve

        def log_message(self, format, *args):  # keep test output quiet
            pass

    return Handler


class FakeGHNServer(LocalServer):
    """Runs a `FakeGHN` on 127.0.0.1 with a random port in a daemon thread."""

    def __init__(self, fake: FakeGHN | None = None):
        fake = fake or FakeGHN()
        super().__init__(fake, _handler(fake))
        self.fake.host = self.url
        self.fake.url = self.url + PREFIX

    def release(self) -> None:
        self.fake._stop.set()
