"""A small stateful fake of Stripe's REST API on a loopback port, for the real `stripe` library.

Stripe is unreachable from CI, and `stripe-mock` is stateless and not on PyPI (specs/stripe.md 9),
so this speaks just enough of the protocol for payments/stripe_client.py: form-encoded POSTs,
Bearer keys, `Idempotency-Key` replay, PaymentIntents, refunds and Stripe's error JSON. Every
request is recorded so tests can assert what the client actually put on the wire.
"""

from __future__ import annotations

import itertools
import json
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, unquote, urlsplit

from tests.fakes.local_server import LocalServer

API_KEY = "sk_test_ocop_fake"
#: About USD 0.50 at ~26 000 VND/USD (spec 2: the rule is confirmed, the rate is illustrative).
MIN_AMOUNT_VND = 13_000
MAX_AMOUNT = 99_999_999
CURRENCIES = {"vnd"}


@dataclass
class RecordedRequest:
    """One HTTP request as received; `form` is the flat form body (`metadata[order_number]`)."""

    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), None)


class StripeApiError(Exception):
    """Raised inside handlers; rendered as Stripe's `{"error": {...}}` body with `status`."""

    def __init__(self, status, message, *, type="invalid_request_error", code=None, param=None):
        super().__init__(message)
        self.status = status
        self.body = {"error": {"type": type, "message": message}}
        if code:
            self.body["error"]["code"] = code
        if param:
            self.body["error"]["param"] = param


@dataclass
class FakeStripe:
    """State shared by the handler threads; use `url` as the client's `api_base`."""

    api_key: str = API_KEY
    min_amount: int = MIN_AMOUNT_VND
    requests: list[RecordedRequest] = field(default_factory=list)
    intents: dict[str, dict] = field(default_factory=dict)
    refunds: dict[str, dict] = field(default_factory=dict)
    url: str = ""
    _idempotent: dict[tuple[str, str], tuple[str, dict, int, dict]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    # --- test helpers ---------------------------------------------------------------------------

    def succeed(self, intent_id: str) -> dict:
        """Play the shopper paying with 4242...: the intent captures its full amount."""
        with self._lock:
            pi = self.intents[intent_id]
            pi.update(status="succeeded", amount_received=pi["amount"])
            pi["latest_charge"] = f"ch_fake_{next(self._ids)}"
            return pi

    def posts(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == "POST" and r.path == path]

    # --- protocol -------------------------------------------------------------------------------

    def handle(self, method: str, path: str, headers: dict[str, str], body: bytes):
        """Return (status, json body, extra headers) for one request."""
        form = dict(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
        record = RecordedRequest(method, path, headers, form)
        with self._lock:
            self.requests.append(record)
            try:
                self._authenticate(record)
                key = record.header("Idempotency-Key") if method == "POST" else None
                if key is not None:
                    cached = self._idempotent.get((self.api_key, key))
                    if cached is not None:
                        cached_path, cached_form, status, payload = cached
                        if (cached_path, cached_form) != (path, form):
                            raise StripeApiError(
                                400,
                                "Keys for idempotent requests can only be used with the same "
                                "parameters they were first used with.",
                                type="idempotency_error",
                            )
                        return status, payload, {"Idempotent-Replayed": "true"}
                try:
                    status, payload = 200, self._route(method, path, form)
                except StripeApiError as exc:
                    status, payload = exc.status, exc.body
                if key is not None:  # Stripe replays errors too (spec 6)
                    self._idempotent[(self.api_key, key)] = (path, form, status, payload)
                return status, payload, {}
            except StripeApiError as exc:
                return exc.status, exc.body, {}

    def _authenticate(self, record: RecordedRequest) -> None:
        auth = record.header("Authorization") or ""
        token = auth.removeprefix("Bearer ") if auth.startswith("Bearer ") else ""
        if not token.startswith("sk_test_") or not secrets.compare_digest(token, self.api_key):
            shown = f"{token[:8]}****{token[-4:]}" if len(token) > 12 else "****"
            raise StripeApiError(401, f"Invalid API Key provided: {shown}")

    def _route(self, method: str, path: str, form: dict[str, str]) -> dict:
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if method == "POST" and parts == ["v1", "payment_intents"]:
            return self._create_intent(form)
        if method == "GET" and len(parts) == 3 and parts[:2] == ["v1", "payment_intents"]:
            return self._intent(parts[2], param="intent")
        if method == "POST" and parts == ["v1", "refunds"]:
            return self._create_refund(form)
        raise StripeApiError(404, f"Unrecognized request URL ({method}: {path}).")

    def _intent(self, intent_id: str, *, param: str) -> dict:
        if intent_id not in self.intents:
            raise StripeApiError(
                404,
                f"No such payment_intent: '{intent_id}'",
                code="resource_missing",
                param=param,
            )
        return self.intents[intent_id]

    @staticmethod
    def _integer(form: dict[str, str], name: str, *, required: bool) -> int | None:
        if name not in form:
            if required:
                raise StripeApiError(
                    400, f"Missing required param: {name}.", code="parameter_missing", param=name
                )
            return None
        raw = form[name]
        if not raw.isdigit():
            raise StripeApiError(
                400,
                f"Invalid integer: {raw}",
                code="parameter_invalid_integer",
                param=name,
            )
        return int(raw)

    def _create_intent(self, form: dict[str, str]) -> dict:
        amount = self._integer(form, "amount", required=True)
        currency = form.get("currency", "")
        if currency not in CURRENCIES:
            raise StripeApiError(400, f"Invalid currency: {currency}.", param="currency")
        if amount < self.min_amount:
            raise StripeApiError(
                400,
                "Amount must convert to at least 50 cents. "
                f"₫{amount:,} converts to approximately $0.00 USD.",
                code="amount_too_small",
                param="amount",
            )
        if amount > MAX_AMOUNT:
            raise StripeApiError(
                400,
                "Amount must be no more than ₫99,999,999",
                code="amount_too_large",
                param="amount",
            )
        n = next(self._ids)
        intent_id = f"pi_fake_{n}"
        metadata = {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")}
        pi = {
            "id": intent_id,
            "object": "payment_intent",
            "amount": amount,
            "amount_received": 0,
            "currency": currency,
            "client_secret": f"{intent_id}_secret_{secrets.token_hex(8)}",
            "status": "requires_payment_method",
            "metadata": metadata,
            "receipt_email": form.get("receipt_email"),
            "automatic_payment_methods": {
                "enabled": form.get("automatic_payment_methods[enabled]") == "true"
            },
            "last_payment_error": None,
            "latest_charge": None,
            "livemode": False,
            "amount_refunded": 0,
        }
        self.intents[intent_id] = pi
        return pi

    def _create_refund(self, form: dict[str, str]) -> dict:
        pi = self._intent(form.get("payment_intent", ""), param="payment_intent")
        if pi["status"] != "succeeded":
            raise StripeApiError(
                400,
                "This PaymentIntent does not have a successful charge to refund.",
                code="charge_not_refundable",
                param="payment_intent",
            )
        remaining = pi["amount_received"] - pi["amount_refunded"]
        if remaining <= 0:
            raise StripeApiError(
                400,
                f"Charge {pi['latest_charge']} has already been refunded.",
                code="charge_already_refunded",
            )
        amount = self._integer(form, "amount", required=False)
        if amount is None:
            amount = remaining
        if amount <= 0 or amount > remaining:
            raise StripeApiError(
                400,
                f"Refund amount (₫{amount:,}) is greater than unrefunded amount on charge "
                f"(₫{remaining:,})",
                code="amount_too_large",
                param="amount",
            )
        pi["amount_refunded"] += amount
        refund_id = f"re_fake_{next(self._ids)}"
        refund = {
            "id": refund_id,
            "object": "refund",
            "amount": amount,
            "currency": pi["currency"],
            "payment_intent": pi["id"],
            "charge": pi["latest_charge"],
            "status": "succeeded",
            "reason": form.get("reason"),
            "metadata": {k[9:-1]: v for k, v in form.items() if k.startswith("metadata[")},
        }
        self.refunds[refund_id] = refund
        return refund


def _handler(fake: FakeStripe) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            status, payload, extra = fake.handle(
                self.command, urlsplit(self.path).path, dict(self.headers.items()), body
            )
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", f"req_fake_{len(fake.requests)}")
            for name, value in extra.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format, *args):  # keep test output quiet
            pass

    return Handler


class FakeStripeServer(LocalServer):
    """Runs a `FakeStripe` on 127.0.0.1 with a random port in a daemon thread."""

    def __init__(self, fake: FakeStripe | None = None):
        fake = fake or FakeStripe()
        super().__init__(fake, _handler(fake))
        self.fake.url = self.url
