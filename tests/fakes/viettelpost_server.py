"""A small stateful fake of Viettel Post's partner API on a loopback port (couriers.md 3, 7, 8).

It speaks what logistics/couriers/viettelpost.py uses: Login and ownerconnect (JWT-shaped tokens
that can be expired), the two-level address catalogue (`/v3/categories/listProvinceNew`,
`listWardsNew`, the "NEW" placeholder district of `/v2/categories/listDistrict`), services,
getPriceAll, createOrder with ORDER_NUMBER + CHECK_UNIQUE, UpdateOrder and printing-code. Answers
use VTP's `{status, error, message, data}` envelope, failures with HTTP 200 as VTP does. Switches
inject timeouts, 5xx, 429 and unreadable answers; every request is recorded.

Address data comes from `vietnam-provinces` with VTP-style names ("Hà Nội" for "Thành phố Hà
Nội") and VTP-style ids (1 = Hà Nội, 2 = Hồ Chí Minh), so the adapter's name matching is real.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, urlsplit

from vietnam_provinces import Province, Ward

from tests.fakes.local_server import LocalServer

USERNAME = "0987654321"
PASSWORD = "vtp-fake-password"
WEBHOOK_SECRET = "vtp-fake-webhook-secret-7f3a"
CANCELLABLE_BELOW = 200
NOT_CANCELLABLE = {105, 107}
TOKEN_INVALID = "Token invalid or expired"
PLACEHOLDER_DISTRICT_BASE = 100_000_000  # "Bỏ qua – Sử dụng địa chỉ 2 cấp" per province

SERVICES = [
    {"SERVICE_CODE": "VCN", "SERVICE_NAME": "Chuyển phát nhanh - Chuyển phát nhanh"},
    {"SERVICE_CODE": "VTK", "SERVICE_NAME": "Chuyển phát thường - Tiết kiệm"},
    {"SERVICE_CODE": "VHT", "SERVICE_NAME": "Phát hỏa tốc"},
]


def _vtp_province_name(name: str) -> str:
    return name.removeprefix("Thành phố ").removeprefix("Tỉnh ")


def _province_rows() -> list[dict]:
    """All 34 provinces; VTP numbers Hà Nội 1 and Hồ Chí Minh 2, the rest after them."""
    rows, next_id = [], itertools.count(3)
    for province in Province.iter_all():
        gso = int(province.code)
        vtp_id = {1: 1, 79: 2}.get(gso) or next(next_id)
        rows.append(
            {
                "PROVINCE_ID": vtp_id,
                "PROVINCE_CODE": f"P{gso:02d}",
                "PROVINCE_NAME": _vtp_province_name(province.name),
                "GSO": gso,
            }
        )
    return rows


def make_token(kind: str, lifetime: int) -> str:
    """JWT-shaped (header.claims.signature) so clients can read `exp` as from the real thing."""

    def part(obj) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()

    claims = {"sub": USERNAME, "kind": kind, "exp": int(time.time()) + lifetime}
    return f"{part({'alg': 'HS256', 'typ': 'JWT'})}.{part(claims)}.{secrets.token_hex(8)}"


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: object

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


class VTPError(Exception):
    def __init__(self, message, *, status=204, http_status=200, data=None):
        super().__init__(message)
        self.envelope = {"status": status, "error": True, "message": message, "data": data}
        self.http_status = http_status


@dataclass
class FakeViettelPost:
    """State shared by the handler threads; `url` is the client's BASE_URL."""

    username: str = USERNAME
    password: str = PASSWORD
    url: str = ""
    #: True: ownerconnect hands out a long token; False: it refuses (client keeps the short one).
    ownerconnect: bool = True
    #: False: every token is refused, even a fresh one (a revoked account).
    accept_tokens: bool = True
    #: How an expired token is answered: "envelope" (HTTP 200, status 401) or "http" (HTTP 401).
    expired_answer: str = "envelope"
    #: How a duplicate ORDER_NUMBER is answered: "waybill" (data names it) or "message" (it
    #: does not; the waybill then comes by webhook).
    duplicate_answer: str = "waybill"
    #: getPriceAll shape: "list" (data is the list), "result" (data.RESULT) or "bare" (no
    #: envelope at all, as older VTP documents show).
    price_shape: str = "list"
    #: listWardsNew rows carry DISTRICT_ID (the placeholder district); False leaves it out.
    wards_with_district: bool = True
    #: GSO commune code -> name VTP uses for it (to make a commune unmatched or ambiguous).
    ward_names: dict[str, str] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    orders: dict[str, dict] = field(default_factory=dict)  # waybill -> order
    print_codes: dict[str, list[str]] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)  # valid token -> kind
    provinces: list[dict] = field(default_factory=_province_rows)
    _faults: list[tuple[str, str]] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _release: threading.Event = field(default_factory=threading.Event)
    _waybills: itertools.count = field(default_factory=lambda: itertools.count(1))

    # --- test helpers ---------------------------------------------------------------------------

    def fault(self, path: str, kind: str, times: int = 1) -> None:
        """Make the next `times` calls to `path` fail.

        "timeout": no answer; "timeout-after": do the work, then no answer (a booking whose
        answer is lost); "500", "502", "503", "429": that HTTP status; "html": HTTP 200 with a
        proxy page; "envelope500": HTTP 200 with `{"status": 500, "error": true}`.
        """
        with self._lock:
            self._faults.extend([(path, kind)] * times)

    def expire_tokens(self) -> None:
        """Every token handed out so far stops working (as when a JWT runs out)."""
        with self._lock:
            self.tokens.clear()

    def calls(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def set_status(self, waybill: str, status: int) -> None:
        with self._lock:
            self.orders[waybill]["ORDER_STATUS"] = status

    def vtp_province(self, gso_code: str) -> dict:
        return next(row for row in self.provinces if row["GSO"] == int(gso_code))

    def ward_id(self, commune_code: str) -> int:
        return 500_000 + int(commune_code)

    def callback(self, waybill: str, status: int, when: str, **extra) -> tuple[dict, bytes]:
        """(headers, body) of VTP's status webhook for one of our orders (spec 3.3)."""
        order = self.orders.get(waybill, {})
        secret = extra.pop("secret", WEBHOOK_SECRET)
        data = {
            "ORDER_NUMBER": waybill,
            "ORDER_REFERENCE": order.get("ORDER_REFERENCE", ""),
            "ORDER_STATUSDATE": when,
            "ORDER_STATUS": status,
            "STATUS_NAME": extra.pop("STATUS_NAME", f"Trạng thái {status}"),
            "LOCATION_CURRENTLY": "Bưu cục Thái Nguyên",
            "NOTE": "",
            "MONEY_COLLECTION": order.get("MONEY_COLLECTION", 0),
            "MONEY_FEECOD": 0,
            "MONEY_TOTALFEE": 30000,
            "MONEY_TOTAL": 30000,
            "PRODUCT_WEIGHT": order.get("PRODUCT_WEIGHT", 1000),
            "ORDER_SERVICE": order.get("ORDER_SERVICE", "VCN"),
            "ORDER_PAYMENT": order.get("ORDER_PAYMENT", 1),
            "IS_RETURNING": False,
            "REASON_CODE": None,
            **extra,
        }
        body = json.dumps({"DATA": data, "TOKEN": secret}).encode()
        return {"Authorization": secret, "Content-Type": "application/json"}, body

    # --- protocol -------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes):
        """(HTTP status, body bytes, content type) for one request."""
        parts = urlsplit(target)
        query = dict(parse_qsl(parts.query))
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = raw
        record = RecordedRequest(method, parts.path, query, headers, body)
        with self._lock:
            self.requests.append(record)
            fault = next((f for f in self._faults if f[0] == parts.path), None)
            if fault:
                self._faults.remove(fault)
        kind = fault[1] if fault else ""
        if kind == "timeout-after":
            with self._lock, contextlib.suppress(VTPError):
                self._route(record)
            kind = "timeout"
        if kind:
            if kind == "timeout":
                self._release.wait(10)
                return 200, b"{}", "application/json"
            if kind == "envelope500":
                payload = {"status": 500, "error": True, "message": "Hệ thống đang bận"}
                return 200, json.dumps(payload).encode(), "application/json"
            if kind == "html":
                return 200, b"<html><body>Bad gateway</body></html>", "text/html"
            return int(kind), b"<html>error</html>", "text/html"
        with self._lock:
            try:
                status, payload = 200, self._route(record)
            except VTPError as exc:
                status, payload = exc.http_status, exc.envelope
        return status, json.dumps(payload, ensure_ascii=False).encode(), "application/json"

    def _route(self, r: RecordedRequest):
        routes = {
            ("POST", "/v2/user/Login"): self._login,
            ("POST", "/v2/user/ownerconnect"): self._ownerconnect,
            ("GET", "/v3/categories/listProvinceNew"): self._list_provinces,
            ("GET", "/v3/categories/listWardsNew"): self._list_wards,
            ("GET", "/v2/categories/listDistrict"): self._list_districts,
            ("POST", "/v2/categories/listService"): self._list_services,
            ("POST", "/v2/order/getPriceAll"): self._price_all,
            ("POST", "/v2/order/createOrder"): self._create,
            ("POST", "/v2/order/UpdateOrder"): self._update,
            ("POST", "/v2/order/printing-code"): self._printing_code,
        }
        handler = routes.get((r.method, r.path))
        if handler is None:
            raise VTPError("Not Found", status=404, http_status=404)
        if r.path not in ("/v2/user/Login",):
            self._authenticate(r)
        return handler(r)

    @staticmethod
    def _ok(data=None, message="OK"):
        return {"status": 200, "error": False, "message": message, "data": data}

    def _authenticate(self, r: RecordedRequest) -> None:
        token = r.header("Token") or ""
        if token not in self.tokens or not self.accept_tokens:
            if self.expired_answer == "http":
                raise VTPError(TOKEN_INVALID, status=401, http_status=401)
            raise VTPError(TOKEN_INVALID, status=401)

    def _login(self, r):
        body = r.body if isinstance(r.body, dict) else {}
        if body.get("USERNAME") != self.username or body.get("PASSWORD") != self.password:
            raise VTPError("Tên đăng nhập hoặc mật khẩu không đúng", status=205)
        token = make_token("short", 3600)
        self.tokens[token] = "short"
        return self._ok(
            {"userId": 7_654_321, "token": token, "partner": 7_654_321, "phone": USERNAME}
        )

    def _ownerconnect(self, r):
        if self.tokens.get(r.header("Token")) != "short":
            raise VTPError(TOKEN_INVALID, status=401)
        if not self.ownerconnect:
            raise VTPError("Tài khoản không phải đối tác", status=205)
        body = r.body if isinstance(r.body, dict) else {}
        if body.get("USERNAME") != self.username or body.get("PASSWORD") != self.password:
            raise VTPError("Tên đăng nhập hoặc mật khẩu không đúng", status=205)
        token = make_token("long", 365 * 24 * 3600)
        self.tokens[token] = "long"
        return self._ok({"userId": 7_654_321, "token": token, "partner": 7_654_321})

    def _province_by_id(self, value) -> dict | None:
        try:
            wanted = int(value)
        except (TypeError, ValueError):
            return None
        return next((row for row in self.provinces if row["PROVINCE_ID"] == wanted), None)

    def _list_provinces(self, r):
        return self._ok([{k: v for k, v in row.items() if k != "GSO"} for row in self.provinces])

    def _wards_of(self, province: dict) -> list[dict]:
        rows = []
        for ward in Ward.iter_by_province(province["GSO"]):
            code = f"{int(ward.code):05d}"
            row = {
                "WARDS_ID": self.ward_id(code),
                "WARDS_NAME": self.ward_names.get(code, ward.name),
                "PROVINCE_ID": province["PROVINCE_ID"],
            }
            if self.wards_with_district:
                row["DISTRICT_ID"] = PLACEHOLDER_DISTRICT_BASE + province["PROVINCE_ID"]
            rows.append(row)
        return rows

    def _list_wards(self, r):
        province = self._province_by_id(r.query.get("provinceId"))
        if province is None:
            return self._ok([])
        return self._ok(self._wards_of(province))

    def _list_districts(self, r):
        province = self._province_by_id(r.query.get("provinceId"))
        if province is None:
            return self._ok([])
        pid = province["PROVINCE_ID"]
        return self._ok(
            [
                {
                    "DISTRICT_ID": PLACEHOLDER_DISTRICT_BASE + pid,
                    "DISTRICT_VALUE": "NEW",
                    "DISTRICT_NAME": "Bỏ qua – Sử dụng địa chỉ 2 cấp",
                    "PROVINCE_ID": pid,
                },
                {
                    "DISTRICT_ID": pid * 100 + 1,
                    "DISTRICT_VALUE": "001",
                    "DISTRICT_NAME": "Quận cũ",
                    "PROVINCE_ID": pid,
                },
            ]
        )

    def _list_services(self, r):
        body = r.body if isinstance(r.body, dict) else {}
        if body.get("TYPE") not in (1, 2):
            raise VTPError("TYPE không hợp lệ")
        return self._ok(SERVICES)

    def _check_place(self, body: dict, prefix: str) -> None:
        province = self._province_by_id(body.get(f"{prefix}_PROVINCE"))
        if province is None:
            raise VTPError(f"Invalid [{prefix}_PROVINCE]")
        wards = {row["WARDS_ID"]: row for row in self._wards_of(province)}
        if body.get(f"{prefix}_WARD") not in wards:
            raise VTPError(f"Invalid [{prefix}_WARD]")
        district = body.get(f"{prefix}_DISTRICT")
        if district not in (0, PLACEHOLDER_DISTRICT_BASE + province["PROVINCE_ID"]):
            raise VTPError(f"Invalid [{prefix}_DISTRICT] with address new")

    def _fees(self, body: dict) -> list[dict]:
        weight = body.get("PRODUCT_WEIGHT")
        if not isinstance(weight, int) or weight <= 0:
            raise VTPError("Invalid [PRODUCT_WEIGHT]")
        if weight > 50_000:
            raise VTPError("Price does not apply to this itinerary!")
        base = 16_500 + 5_000 * ((weight - 1) // 500)
        if body.get("SENDER_PROVINCE") != body.get("RECEIVER_PROVINCE"):
            base += 10_000
        return [
            {"MA_DV_CHINH": "VCN", "TEN_DICHVU": "Chuyển phát nhanh", "GIA_CUOC": base + 8_000,
             "THOI_GIAN": "24 giờ", "EXCHANGE_WEIGHT": weight, "EXTRA_SERVICE": []},
            {"MA_DV_CHINH": "VTK", "TEN_DICHVU": "Tiết kiệm", "GIA_CUOC": base,
             "THOI_GIAN": "72 giờ", "EXCHANGE_WEIGHT": weight, "EXTRA_SERVICE": []},
        ]  # fmt: skip

    def _price_all(self, r):
        body = r.body if isinstance(r.body, dict) else {}
        for prefix in ("SENDER", "RECEIVER"):
            self._check_place(body, prefix)
        rows = self._fees(body)
        if self.price_shape == "bare":
            return rows
        if self.price_shape == "result":
            return self._ok({"SENDER_ADDRESS": "", "RECEIVER_ADDRESS": "", "RESULT": rows})
        return self._ok(rows)

    def _create(self, r):
        body = r.body if isinstance(r.body, dict) else {}
        for name in (
            "SENDER_FULLNAME", "SENDER_PHONE", "SENDER_ADDRESS",
            "RECEIVER_FULLNAME", "RECEIVER_PHONE", "RECEIVER_ADDRESS", "ORDER_SERVICE",
        ):  # fmt: skip
            value = body.get(name)
            if not isinstance(value, str) or not value:
                raise VTPError(f"Invalid [{name}]")
        for name, value in body.items():
            if isinstance(value, str) and len(value.encode("utf-8")) > 150:
                raise VTPError(f"[{name}] vượt quá 150 ký tự")
        for prefix in ("SENDER", "RECEIVER"):
            self._check_place(body, prefix)
        if body.get("ORDER_PAYMENT") not in (1, 2, 3, 4):
            raise VTPError("Invalid [ORDER_PAYMENT]")
        services = {row["MA_DV_CHINH"]: row for row in self._fees(body)}
        if body["ORDER_SERVICE"] not in services:
            raise VTPError("Dịch vụ không hợp lệ")
        reference = body.get("ORDER_NUMBER") or ""
        existing = next(
            (w for w, o in self.orders.items() if reference and o["ORDER_REFERENCE"] == reference),
            None,
        )
        if existing and body.get("CHECK_UNIQUE") is True:
            data = {"ORDER_NUMBER": existing} if self.duplicate_answer == "waybill" else None
            raise VTPError(f"Mã đơn hàng {reference} đã tồn tại", status=205, data=data)
        waybill = f"{1_700_000_000_000 + next(self._waybills)}"
        fee = services[body["ORDER_SERVICE"]]["GIA_CUOC"]
        self.orders[waybill] = {
            "ORDER_REFERENCE": reference,
            "ORDER_STATUS": -100,
            "MONEY_COLLECTION": body.get("MONEY_COLLECTION", 0),
            "ORDER_PAYMENT": body["ORDER_PAYMENT"],
            "ORDER_SERVICE": body["ORDER_SERVICE"],
            "PRODUCT_WEIGHT": body.get("PRODUCT_WEIGHT"),
            "body": body,
        }
        return self._ok(
            {
                "ORDER_NUMBER": waybill,
                "MONEY_COLLECTION": body.get("MONEY_COLLECTION", 0),
                "EXCHANGE_WEIGHT": body.get("PRODUCT_WEIGHT"),
                "MONEY_TOTAL": fee,
                "MONEY_TOTAL_FEE": round(fee / 1.1),
                "MONEY_FEE": round(fee / 1.1),
                "MONEY_COLLECTION_FEE": 0,
                "MONEY_FEE_VAT": fee - round(fee / 1.1),
                "MONEY_VAT": fee - round(fee / 1.1),
                "KPI_HT": 48,
                "RECEIVER_PROVINCE": body.get("RECEIVER_PROVINCE"),
                "RECEIVER_DISTRICT": body.get("RECEIVER_DISTRICT"),
                "RECEIVER_WARDS": body.get("RECEIVER_WARD"),
            }
        )

    def _update(self, r):
        body = r.body if isinstance(r.body, dict) else {}
        order = self.orders.get(str(body.get("ORDER_NUMBER")))
        if order is None:
            raise VTPError("Order does not exist")
        if body.get("TYPE") != 4:
            raise VTPError("TYPE không hợp lệ")
        status = order["ORDER_STATUS"]
        if status >= CANCELLABLE_BELOW or status in NOT_CANCELLABLE:
            raise VTPError("Đơn hàng đã được lấy, không thể hủy")
        order["ORDER_STATUS"] = 107
        return self._ok(None, message="Success")

    def _printing_code(self, r):
        body = r.body if isinstance(r.body, dict) else {}
        codes = body.get("ORDER_ARRAY")
        expiry = body.get("EXPIRY_TIME")
        if not isinstance(codes, list) or not codes or len(codes) > 100:
            raise VTPError("ORDER_ARRAY không hợp lệ")
        if not isinstance(expiry, int) or expiry <= time.time() * 1000:
            raise VTPError("EXPIRY_TIME không hợp lệ")
        missing = [code for code in codes if code not in self.orders]
        if missing:
            raise VTPError(f"Order does not exist: {missing[0]}")
        print_code = secrets.token_urlsafe(24)
        self.print_codes[print_code] = list(codes)
        return {"status": 200, "error": False, "message": print_code, "data": None}


def _handler(fake: FakeViettelPost) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            status, data, content_type = fake.handle(
                self.command, self.path, dict(self.headers.items()), raw
            )
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):  # client gave up (timeout test)
                pass

        do_GET = do_POST = _serve

        def log_message(self, format, *args):  # keep test output quiet
            pass

    return Handler


class FakeViettelPostServer(LocalServer):
    """Runs a `FakeViettelPost` on 127.0.0.1 with a random port in a daemon thread."""

    def __init__(self, fake: FakeViettelPost | None = None):
        fake = fake or FakeViettelPost()
        super().__init__(fake, _handler(fake))
        self.fake.url = self.url

    def release(self) -> None:
        self.fake._release.set()
