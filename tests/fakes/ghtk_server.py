"""A small stateful fake of GHTK's shipment API on a loopback port (specs/couriers.md 2).

GHTK is unreachable from tests, so this speaks what logistics/couriers/ghtk.py uses: the `Token`
and `X-Client-Source` headers, the fee query, order submission with GHTK's duplicate `order.id`
refusal (`error{code, partner_id, ghtk_label, created, status}`), status, cancel (statuses 1, 2,
12 only), the label PDF, and GHTK's `{success: false, message, error_code, log_id}` errors.
Switches (`fail_next`) make it hang, answer 5xx/429, report a GHTK incident or send garbage.
Every request is recorded so tests can assert what the client put on the wire.

It also builds the webhook bodies GHTK posts (`webhook`), JSON or form-encoded.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

from tests.fakes.local_server import LocalServer

TOKEN = "ghtk-test-token-0d1f5c"
CLIENT_SOURCE = "S308157"
VIETNAM_TZ = timezone(timedelta(hours=7))
CANCELLABLE = {1, 2, 12}
STATUS_TEXT = {
    -1: "Hủy đơn hàng",
    1: "Chưa tiếp nhận",
    2: "Đã tiếp nhận",
    3: "Đã lấy hàng/Đã nhập kho",
    4: "Đã điều phối giao hàng/Đang giao hàng",
    5: "Đã giao hàng/Chưa đối soát",
    6: "Đã đối soát",
    9: "Không giao được hàng",
    12: "Đang lấy hàng",
    20: "Đang trả hàng",
    21: "Đã trả hàng",
}
#: Failure switches: what the next request(s) get instead of a normal answer.
FAILURES = {"hang", "hang_after", "500", "502_html", "429", "incident", "garbage"}


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)

    @property
    def json(self):
        return json.loads(self.body) if self.body else None

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


class GhtkError(Exception):
    """Raised inside handlers; rendered as GHTK's error envelope with an HTTP `status`."""

    def __init__(self, message: str, error_code: int, status: int = 200, **extra):
        super().__init__(message)
        self.status = status
        self.body = {
            "success": False,
            "message": message,
            "error_code": error_code,
            "log_id": secrets.token_hex(6),
            **extra,
        }


@dataclass
class FakeGHTK:
    """State shared by the handler threads; `url` is the adapter's BASE_URL."""

    token: str = TOKEN
    client_source: str = CLIENT_SOURCE
    #: Province names GHTK does not serve: the fee answer says `delivery: false`.
    unserved: set[str] = field(default_factory=set)
    requests: list[RecordedRequest] = field(default_factory=list)
    orders: dict[str, dict] = field(default_factory=dict)  # by label
    url: str = ""
    release: threading.Event = field(default_factory=threading.Event)
    _failures: list[str] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1_375_835_526))

    # --- test helpers ---------------------------------------------------------------------------

    def fail_next(self, kind: str, times: int = 1) -> None:
        """The next `times` requests fail as `kind` (see FAILURES); "hang*" waits for `release`."""
        assert kind in FAILURES, kind
        with self._lock:
            self._failures.extend([kind] * times)

    def calls(self, method: str, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and r.path == path]

    def order(self, partner_id: str) -> dict | None:
        return next((o for o in self.orders.values() if o["partner_id"] == partner_id), None)

    def set_status(self, label: str, status_id: int) -> dict:
        with self._lock:
            order = self.orders[label]
            order.update(status=status_id, modified=_now())
            return order

    @staticmethod
    def webhook(
        label: str,
        partner_id: str,
        status_id: int,
        action_time: str = "2026-01-03T10:15:00+07:00",
        **extra,
    ) -> dict:
        """The fields GHTK posts on a status change (spec 2.3)."""
        return {
            "partner_id": partner_id,
            "label_id": label,
            "status_id": status_id,
            "action_time": action_time,
            "reason_code": "",
            "reason": "",
            "weight": 1.2,
            "fee": 30000,
            "pick_money": 250000,
            "return_part_package": 0,
            **extra,
        }

    @staticmethod
    def form(payload: dict) -> bytes:
        return urlencode(payload).encode()

    # --- protocol -------------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes):
        """Return (status, content type, body bytes, failure kind or None) for one request."""
        parts = urlsplit(target)
        record = RecordedRequest(
            method, parts.path, parse_qs(parts.query, keep_blank_values=True), headers, body
        )
        with self._lock:
            self.requests.append(record)
            failure = self._failures.pop(0) if self._failures else None
        if failure == "hang":
            self.release.wait(10)
        if failure == "500":
            return 500, "application/json", b'{"success": false, "message": "Internal error"}', None
        if failure == "502_html":
            return 502, "text/html", b"<html><body>502 Bad Gateway</body></html>", None
        if failure == "429":
            body_429 = b'{"success": false, "message": "Too many requests"}'
            return 429, "application/json", body_429, None
        if failure == "garbage":
            return 200, "text/html", b"<html>maintenance</html>", None
        if failure == "incident":
            error = GhtkError("Hệ thống GHTK đang gặp sự cố, vui lòng thử lại sau", 10103)
            return error.status, "application/json", json.dumps(error.body).encode(), None
        with self._lock:
            try:
                self._authenticate(record)
                status, content_type, payload = self._route(record)
            except GhtkError as exc:
                status, content_type = exc.status, "application/json"
                payload = json.dumps(exc.body).encode()
        if failure == "hang_after":  # done on GHTK's side, but the answer never arrives
            self.release.wait(10)
        return status, content_type, payload, failure

    def _authenticate(self, record: RecordedRequest) -> None:
        token = record.header("Token") or ""
        source = record.header("X-Client-Source") or ""
        if not secrets.compare_digest(token.encode(), self.token.encode()):
            raise GhtkError("Token không hợp lệ", 20101, status=401)
        if not secrets.compare_digest(source.encode(), self.client_source.encode()):
            raise GhtkError("X-Client-Source không hợp lệ", 20101, status=401)

    def _route(self, record: RecordedRequest) -> tuple[int, str, bytes]:
        path = record.path.rstrip("/")
        segments = [unquote(s) for s in path.strip("/").split("/")]
        if path == "/services/shipment/fee":
            self._method(record, "GET")
            return _ok({"fee": self._fee(record)})
        if path == "/services/shipment/order":
            self._method(record, "POST")
            return _ok(self._create(record))
        if segments[:3] == ["services", "shipment", "v2"] and len(segments) == 4:
            self._method(record, "GET")
            return _ok({"order": self._public(self._find(segments[3]))})
        if segments[:3] == ["services", "shipment", "cancel"] and len(segments) == 4:
            self._method(record, "POST")
            return _ok(self._cancel(segments[3]))
        if segments[:2] == ["services", "label"] and len(segments) == 3:
            self._method(record, "GET")
            return self._label(record, segments[2])
        raise GhtkError(f"Đường dẫn không tồn tại: {record.path}", 10104, status=404)

    @staticmethod
    def _method(record: RecordedRequest, expected: str) -> None:
        if record.method != expected:
            raise GhtkError(f"Phương thức {record.method} không được hỗ trợ", 10102, status=405)

    # --- endpoints ------------------------------------------------------------------------------

    def _fee(self, record: RecordedRequest) -> dict:
        for name in ("pick_province", "pick_district", "province", "district", "weight"):
            if not record.param(name):
                raise GhtkError(f"Thiếu thông tin {name}", 10101)
        if record.param("deliver_option") not in ("none", "xteam"):
            raise GhtkError("deliver_option không hợp lệ", 10101)
        transport = record.param("transport") or "road"
        if transport not in ("road", "fly"):
            raise GhtkError("Phương thức vận chuyển không hợp lệ", 30104)
        try:
            weight = int(record.param("weight"))
            value = int(record.param("value") or 0)
        except ValueError:
            raise GhtkError("Khối lượng không hợp lệ", 30103) from None
        ship = 22_000 + 2_500 * max(0, -(-(weight - 500) // 500))
        if transport == "fly":
            ship = ship * 14 // 10 // 500 * 500
        insurance = value * 5 // 1000 if value > 1_000_000 else 0
        tags = [int(t) for t in record.query.get("tags[]", [])]
        extras = [{"title": "Phụ phí hàng nông sản/thực phẩm khô", "amount": 2000, "tag_id": 7}]
        extras = [e for e in extras if e["tag_id"] in tags]
        return {
            "name": "area1",
            "fee": ship + insurance + sum(e["amount"] for e in extras),
            "insurance_fee": insurance,
            "ship_fee_only": ship,
            "extFees": extras,
            "include_vat": 0,
            "delivery": record.param("province") not in self.unserved,
        }

    def _create(self, record: RecordedRequest) -> dict:
        try:
            body = json.loads(record.body)
        except ValueError:
            raise GhtkError("Dữ liệu gửi lên không đúng định dạng JSON", 10101) from None
        order = body.get("order") if isinstance(body, dict) else None
        products = body.get("products") if isinstance(body, dict) else None
        if not isinstance(order, dict):
            raise GhtkError("Thiếu thông tin đơn hàng", 30101)
        partner_id = order.get("id")
        if not isinstance(partner_id, str) or not partner_id:
            raise GhtkError("Thiếu mã đơn hàng (order.id)", 10101)
        if len(partner_id) >= 250:
            raise GhtkError("Mã đơn hàng quá dài", 30102)
        required = ("pick_name", "pick_province", "pick_district", "pick_address", "pick_tel")
        required += ("name", "tel", "address", "province", "district", "pick_money")
        for name in required:
            if order.get(name) in (None, ""):
                raise GhtkError(f"Thiếu thông tin {name}", 10101)
        if order.get("transport", "road") not in ("road", "fly"):
            raise GhtkError("Phương thức vận chuyển không hợp lệ", 30104)
        weights = [p.get("weight") for p in products or [] if isinstance(p, dict)]
        if not order.get("total_weight") and not (weights and all(weights)):
            raise GhtkError("Thiếu khối lượng sản phẩm", 30103)
        existing = self.order(partner_id)
        if existing is not None:
            raise GhtkError(
                f"Mã đơn hàng {partner_id} đã tồn tại trên hệ thống GHTK",
                10101,
                error={
                    "code": "ORDER_ID_EXIST",
                    "partner_id": partner_id,
                    "ghtk_label": existing["label"],
                    "created": existing["created"],
                    "status": existing["status"],
                },
            )
        tracking_id = next(self._ids)
        label = f"{self.client_source}.SGP39-J31.{tracking_id}"
        fee = 22_000 + 2_500 * max(0, int(float(order.get("total_weight") or 0) * 2) - 1)
        now = _now()
        self.orders[label] = {
            "label": label,
            "partner_id": partner_id,
            "tracking_id": tracking_id,
            "status": 2,
            "created": now,
            "modified": now,
            "fee": fee,
            "request": body,
        }
        return {
            "message": "Các đơn hàng đã được add vào hệ thống GHTK thành công.",
            "order": {
                "partner_id": partner_id,
                "label": label,
                "area": 1,
                "fee": fee,
                "insurance_fee": 0,
                "estimated_pick_time": "Sáng 2026-01-02",
                "estimated_deliver_time": "Chiều 2026-01-03",
                "products": [],
                "status_id": 2,
                "tracking_id": tracking_id,
                "sorting_code": "SGP39-J31",
            },
        }

    def _find(self, code: str) -> dict:
        code = code.removeprefix("partner_id:")
        order = self.orders.get(code) or self.order(code)
        if order is None:
            raise GhtkError("Không tìm thấy vận đơn", 40102)
        return order

    def _public(self, order: dict) -> dict:
        placed = order["request"]["order"]
        return {
            "label_id": order["label"],
            "partner_id": order["partner_id"],
            "status": order["status"],
            "status_text": STATUS_TEXT.get(order["status"], ""),
            "created": order["created"],
            "modified": order["modified"],
            "message": placed.get("note", ""),
            "pick_date": order["created"][:10],
            "deliver_date": "2026-01-03",
            "customer_fullname": placed.get("name"),
            "customer_tel": placed.get("tel"),
            "address": f"{placed.get('address')} {placed.get('ward')}, {placed.get('province')}",
            "storage_day": 0,
            "ship_money": order["fee"],
            "insurance": 0,
            "value": placed.get("value"),
            "weight": int(float(placed.get("total_weight") or 0) * 1000),
            "pick_money": placed.get("pick_money"),
            "is_freeship": placed.get("is_freeship"),
        }

    def _cancel(self, code: str) -> dict:
        order = self._find(code)
        if order["status"] == -1:
            raise GhtkError("Đơn hàng đã ở trạng thái hủy", 10101)
        if order["status"] not in CANCELLABLE:
            raise GhtkError("Không thể hủy đơn hàng ở trạng thái hiện tại", 10101)
        order.update(status=-1, modified=_now())
        return {"message": "", "log_id": secrets.token_hex(6)}

    def _label(self, record: RecordedRequest, code: str) -> tuple[int, str, bytes]:
        if record.param("original") not in (None, "portrait", "landscape"):
            raise GhtkError("original không hợp lệ", 10101, status=400)
        if record.param("paper_size") not in (None, "A5", "A6"):
            raise GhtkError("paper_size không hợp lệ", 10101, status=400)
        order = self.orders.get(code)
        if order is None:
            raise GhtkError("Không tìm thấy vận đơn", 40102, status=404)
        text = f"GHTK {order['label']} {record.param('paper_size') or 'A6'}"
        return 200, "application/pdf", pdf(text)


def _ok(payload: dict) -> tuple[int, str, bytes]:
    return 200, "application/json", json.dumps({"success": True, "message": "", **payload}).encode()


def _now() -> str:
    return datetime.now(VIETNAM_TZ).strftime("%Y-%m-%d %H:%M:%S")


def pdf(text: str) -> bytes:
    """A minimal one-page PDF showing `text` (ASCII), with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 20 380 Td ({text}) Tj ET".encode("ascii", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 298 420] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _handler(fake: FakeGHTK) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, content_type, data, failure = fake.handle(
                self.command, self.path, dict(self.headers.items()), body
            )
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except OSError:  # the client gave up (timeout switches)
                self.close_connection = True

        do_GET = do_POST = _serve

        def log_message(self, format, *args):  # keep test output quiet
            pass

    return Handler


class FakeGHTKServer(LocalServer):
    """Runs a `FakeGHTK` on 127.0.0.1 with a random port in a daemon thread."""

    def __init__(self, fake: FakeGHTK | None = None):
        fake = fake or FakeGHTK()
        super().__init__(fake, _handler(fake))
        self.fake.url = self.url

    def release(self) -> None:
        self.fake.release.set()
