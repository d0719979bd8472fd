"""Verify and parse bank-transfer webhooks from SePay and Casso into plain `BankTransfer` events.

Pure functions over `headers` + raw `body` bytes so they can be tested without Django; the view
stores the event and matches it to an order later (specs/bank-transfer-webhooks.md sections 4-6).
Every failure is one of two exceptions, so the view can map them to 401 and 400 and never 500.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

SEPAY = "sepay"
CASSO = "casso"
IN = "in"
OUT = "out"

#: Bank times arrive without an offset; assumed Vietnam local time (spec 8.4, unconfirmed).
#: Vietnam has had no DST since 1975, so a fixed offset avoids a tzdata dependency.
VIETNAM_TZ = timezone(timedelta(hours=7), "Asia/Ho_Chi_Minh")

SEPAY_TOLERANCE_SECONDS = 300
CASSO_MAX_FUTURE_SECONDS = 300
MAX_BODY_BYTES = 1_000_000
MAX_AMOUNT = 10**15  # far above any real transfer; bounds hostile numbers
_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"


class WebhookError(Exception):
    """Base class: the view maps subclasses to an HTTP status."""


class WebhookAuthError(WebhookError):
    """The request is not provably from the provider (-> 401)."""


class WebhookPayloadError(WebhookError):
    """The body is not a well-formed transaction payload (-> 400)."""


@dataclass(frozen=True)
class BankTransfer:
    """One bank transaction as reported by a provider; `event_id` is the deduplication key."""

    provider: str
    event_id: str
    account_number: str
    amount: int  # whole dong, never negative; the sign lives in `direction`
    direction: str  # IN or OUT
    content: str
    bank_reference: str
    occurred_at: datetime
    sub_account: str | None = None
    payment_code: str | None = None  # SePay's detected code; must still be re-validated
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def is_incoming(self) -> bool:
        """Only credits count as payments (matching rule 1)."""
        return self.direction == IN and self.amount > 0


# --- helpers -------------------------------------------------------------------------------------


def _header(headers: Mapping[str, str], name: str) -> str | None:
    """Case-insensitive header lookup that tolerates odd mappings."""
    wanted = name.lower()
    try:
        items = list(headers.items())
    except Exception:  # noqa: BLE001 - hostile/odd mapping must not escape as a 500
        return None
    for key, value in items:
        if isinstance(key, str) and key.lower() == wanted and isinstance(value, str):
            return value
    # Django's request.META style (HTTP_X_SEPAY_SIGNATURE)
    meta = "HTTP_" + wanted.upper().replace("-", "_")
    for key, value in items:
        if key == meta and isinstance(value, str):
            return value
    return None


def _same(expected: str, received: str) -> bool:
    """Constant-time comparison that never raises on non-ASCII input."""
    return hmac.compare_digest(
        expected.encode("utf-8"), received.encode("utf-8", errors="surrogatepass")
    )


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def _load_json(body: bytes) -> Any:
    """Parse untrusted bytes, turning every failure into WebhookPayloadError."""
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise WebhookPayloadError("body must be bytes")
    body = bytes(body)
    if len(body) > MAX_BODY_BYTES:
        raise WebhookPayloadError("body too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise WebhookPayloadError("body is not UTF-8") from None
    try:
        return json.loads(text, parse_float=_RawNumber, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        # ValueError covers JSONDecodeError and ints beyond Python's digit limit.
        raise WebhookPayloadError("body is not valid JSON") from None


class _RawNumber(str):
    """A JSON non-integer kept as its source text so re-serialisation is byte-exact."""


def _obj(value: Any, what: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WebhookPayloadError(f"{what} must be an object")
    return value


def _int(data: Mapping[str, Any], key: str, *, allow_str: bool = False) -> int:
    value = data.get(key)
    if allow_str and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        stripped = value.strip()
        if len(stripped) <= 20:
            value = int(stripped)
    if isinstance(value, bool) or not isinstance(value, int):
        raise WebhookPayloadError(f"{key} must be an integer")
    if abs(value) > MAX_AMOUNT:
        raise WebhookPayloadError(f"{key} out of range")
    return value


def _str(data: Mapping[str, Any], key: str, *, optional: bool = False) -> str | None:
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str):
        raise WebhookPayloadError(f"{key} must be a string")
    try:
        value.encode("utf-8")  # JSON "\ud800" escapes yield lone surrogates; the DB would choke
    except UnicodeEncodeError:
        raise WebhookPayloadError(f"{key} is not valid text") from None
    return value


def _id(data: Mapping[str, Any], key: str, *, allow_str: bool = False) -> str:
    value = _int(data, key, allow_str=allow_str)
    if value <= 0:
        raise WebhookPayloadError(f"{key} must be positive")
    return str(value)


def _when(data: Mapping[str, Any], key: str) -> datetime:
    text = _str(data, key)
    try:
        naive = datetime.strptime(text.strip(), _DATE_FORMAT)
    except ValueError:
        raise WebhookPayloadError(f"{key} must be YYYY-MM-DD HH:MM:SS") from None
    return naive.replace(tzinfo=VIETNAM_TZ)


def _now_seconds(now: float | datetime | None) -> float:
    if now is None:
        return time.time()
    if isinstance(now, datetime):
        return now.timestamp()
    return float(now)


# --- SePay ---------------------------------------------------------------------------------------


def sepay_signature(secret: str, timestamp: str, body: bytes) -> str:
    """hex(HMAC-SHA256(secret, timestamp + "." + raw body)); spec 2.4 (unconfirmed)."""
    message = timestamp.encode("utf-8") + b"." + bytes(body)
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def _timestamp_seconds(text: str) -> float:
    """Values above 10^12 are milliseconds, otherwise seconds (spec 2.4, unconfirmed)."""
    text = text.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 16:
        raise WebhookAuthError("bad timestamp")
    value = int(text)
    return value / 1000 if value > 10**12 else float(value)


def verify_sepay(
    headers: Mapping[str, str],
    body: bytes,
    *,
    api_key: str | None = None,
    hmac_secret: str | None = None,
    now: float | datetime | None = None,
    tolerance: int = SEPAY_TOLERANCE_SECONDS,
) -> str:
    """Authenticate a SePay delivery; returns the mode used ("hmac" or "apikey").

    HMAC is used when a secret is configured and the signature header is present; otherwise the
    API key. With nothing configured every request is refused (mode "None" is for local tests only
    and must be opted out of explicitly by not calling this).
    """
    if not isinstance(body, (bytes, bytearray, memoryview)):
        raise WebhookAuthError("body must be bytes")
    signature = _header(headers, "X-SePay-Signature")
    if hmac_secret and signature is not None:
        timestamp = _header(headers, "X-SePay-Timestamp")
        if timestamp is None:
            raise WebhookAuthError("missing timestamp")
        sent_at = _timestamp_seconds(timestamp)
        if abs(_now_seconds(now) - sent_at) > tolerance:
            raise WebhookAuthError("timestamp outside window")
        received = signature.strip()
        if received[:7].lower() == "sha256=":
            received = received[7:]
        expected = sepay_signature(hmac_secret, timestamp.strip(), bytes(body))
        if not _same(expected, received.lower()):
            raise WebhookAuthError("bad signature")
        return "hmac"
    if api_key:
        authorization = _header(headers, "Authorization")
        if authorization is None:
            raise WebhookAuthError("missing Authorization")
        scheme, _, key = authorization.strip().partition(" ")
        if scheme.lower() != "apikey":
            raise WebhookAuthError("Authorization must be Apikey")
        if not _same(api_key, key.strip()):
            raise WebhookAuthError("bad API key")
        return "apikey"
    raise WebhookAuthError("no usable credentials")


def parse_sepay(body: bytes) -> BankTransfer:
    """Parse one SePay transaction (spec 2.2); outgoing ones are returned with direction OUT."""
    data = _obj(_load_json(body), "body")
    direction = _str(data, "transferType")
    if direction not in (IN, OUT):
        raise WebhookPayloadError("transferType must be in or out")
    amount = _int(data, "transferAmount")
    if amount < 0:
        raise WebhookPayloadError("transferAmount must not be negative")
    return BankTransfer(
        provider=SEPAY,
        event_id=_id(data, "id"),
        account_number=_str(data, "accountNumber"),
        amount=amount,
        direction=direction,
        content=_str(data, "content", optional=True) or "",
        bank_reference=_str(data, "referenceCode", optional=True) or "",
        occurred_at=_when(data, "transactionDate"),
        sub_account=_str(data, "subAccount", optional=True) or None,
        payment_code=_str(data, "code", optional=True) or None,
        raw=data,
    )


# --- Casso ---------------------------------------------------------------------------------------


def _encode_string(value: str, variant: str) -> str:
    if variant == "utf8":
        return json.dumps(value, ensure_ascii=False)
    encoded = json.dumps(value, ensure_ascii=True)
    return encoded.replace("/", "\\/") if variant == "php" else encoded


def casso_canonical(value: Any, variant: str = "utf8") -> str:
    """Sorted-keys, no-whitespace JSON of the whole body (spec 3.3).

    `variant` is "php" (\\u escapes and \\/), "ascii" (\\u escapes) or "utf8" (unescaped): which
    one Casso uses for non-ASCII text is unconfirmed, so verification accepts any of them.
    """
    parts: list[str] = []
    stack: list[Any] = [value]
    # Iterative so that hostile nesting cannot hit the recursion limit.
    while stack:
        item = stack.pop()
        if isinstance(item, _Token):
            parts.append(item.text)
        elif isinstance(item, _RawNumber):
            parts.append(str.__str__(item))
        elif isinstance(item, str):
            parts.append(_encode_string(item, variant))
        elif item is True:
            parts.append("true")
        elif item is False:
            parts.append("false")
        elif item is None:
            parts.append("null")
        elif isinstance(item, int):
            parts.append(str(item))
        elif isinstance(item, dict):
            todo: list[Any] = [_Token("{")]
            for index, key in enumerate(sorted(item)):
                if index:
                    todo.append(_Token(","))
                todo.append(_Token(_encode_string(key, variant) + ":"))
                todo.append(item[key])
            todo.append(_Token("}"))
            stack.extend(reversed(todo))
        elif isinstance(item, list):
            todo = [_Token("[")]
            for index, element in enumerate(item):
                if index:
                    todo.append(_Token(","))
                todo.append(element)
            todo.append(_Token("]"))
            stack.extend(reversed(todo))
        else:  # pragma: no cover - json.loads produces nothing else
            raise WebhookPayloadError("unsupported JSON value")
    return "".join(parts)


@dataclass(frozen=True)
class _Token:
    text: str


def casso_signature(checksum_key: str, timestamp: str, canonical: str) -> str:
    """Lower-case hex HMAC-SHA512(checksum key, t + "." + canonical JSON); spec 3.3."""
    message = (timestamp + "." + canonical).encode("utf-8", errors="surrogatepass")
    return hmac.new(checksum_key.encode("utf-8"), message, hashlib.sha512).hexdigest()


def _parse_casso_header(value: str) -> tuple[str, str]:
    fields: dict[str, str] = {}
    for part in value.split(","):
        name, sep, item = part.partition("=")
        if sep:
            fields[name.strip().lower()] = item.strip()
    t, v1 = fields.get("t"), fields.get("v1")
    if not t or not v1:
        raise WebhookAuthError("malformed X-Casso-Signature")
    return t, v1


def verify_casso(
    headers: Mapping[str, str],
    body: bytes,
    *,
    checksum_key: str | None = None,
    secure_token: str | None = None,
    now: float | datetime | None = None,
    max_future: int = CASSO_MAX_FUTURE_SECONDS,
    max_age: int | None = None,
) -> str:
    """Authenticate a Casso delivery; returns the mode used ("v2" or "legacy").

    v2 (spec 3.3) when a checksum key is configured and `X-Casso-Signature` is present; otherwise
    the legacy `secure-token` header (spec 3.4). `max_age` stays off until it is known whether
    retries carry a fresh `t`; deduplication on the transaction id makes replays harmless anyway.
    """
    signature = _header(headers, "X-Casso-Signature")
    if checksum_key and signature is not None:
        t, v1 = _parse_casso_header(signature)
        if not t.isascii() or not t.isdigit() or len(t) > 16:
            raise WebhookAuthError("bad timestamp")
        age = _now_seconds(now) - int(t) / 1000
        if age < -max_future:
            raise WebhookAuthError("timestamp in the future")
        if max_age is not None and age > max_age:
            raise WebhookAuthError("timestamp too old")
        document = _load_json(body)  # WebhookPayloadError if not JSON: 400, as the spec asks
        received = v1.lower()
        matched = False
        for variant in ("php", "ascii", "utf8"):
            expected = casso_signature(checksum_key, t, casso_canonical(document, variant))
            matched |= _same(expected, received)  # no early exit: same work either way
        if not matched:
            raise WebhookAuthError("bad signature")
        return "v2"
    if secure_token:
        token = _header(headers, "secure-token")
        if token is None:
            raise WebhookAuthError("missing secure-token")
        if not _same(secure_token, token.strip()):
            raise WebhookAuthError("bad secure-token")
        return "legacy"
    raise WebhookAuthError("no usable credentials")


def _casso_direction(amount: int) -> tuple[str, int]:
    """Casso signs the amount: positive = money in (negative for out is unconfirmed)."""
    return (OUT, -amount) if amount < 0 else (IN, amount)


def _parse_casso_v2(data: dict[str, Any]) -> BankTransfer:
    direction, amount = _casso_direction(_int(data, "amount"))
    return BankTransfer(
        provider=CASSO,
        event_id=_id(data, "id"),
        account_number=_str(data, "accountNumber"),
        amount=amount,
        direction=direction,
        content=_str(data, "description", optional=True) or "",
        bank_reference=_str(data, "reference", optional=True) or "",
        occurred_at=_when(data, "transactionDateTime"),
        sub_account=_str(data, "virtualAccountNumber", optional=True) or None,
        raw=data,
    )


def _parse_casso_legacy(data: dict[str, Any]) -> BankTransfer:
    """Legacy field types are unconfirmed, so integral strings are accepted for numbers."""
    direction, amount = _casso_direction(_int(data, "amount", allow_str=True))
    account = data.get("bank_sub_acc_id")
    if isinstance(account, int) and not isinstance(account, bool):
        account = str(account)
    if not isinstance(account, str):
        raise WebhookPayloadError("bank_sub_acc_id must be a string")
    reference = data.get("tid")
    if isinstance(reference, int) and not isinstance(reference, bool):
        reference = str(reference)
    return BankTransfer(
        provider=CASSO,
        event_id=_id(data, "id", allow_str=True),
        account_number=account,
        amount=amount,
        direction=direction,
        content=_str(data, "description", optional=True) or "",
        bank_reference=reference if isinstance(reference, str) else "",
        occurred_at=_when(data, "when"),
        raw=data,
    )


def parse_casso(body: bytes) -> list[BankTransfer]:
    """Parse a Casso body: v2 carries one object in `data`, legacy an array (possibly batched)."""
    document = _obj(_load_json(body), "body")
    error = document.get("error", 0)
    if error != 0 or isinstance(error, bool):
        raise WebhookPayloadError("provider reported an error")
    data = document.get("data")
    if isinstance(data, dict):
        return [_parse_casso_v2(data)]
    if isinstance(data, list):
        return [_parse_casso_legacy(_obj(item, "transaction")) for item in data]
    raise WebhookPayloadError("data must be an object or an array")
