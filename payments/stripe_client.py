"""The SDK-facing half of Stripe card payments: PaymentIntents, refunds and webhook parsing.

Plain dataclasses in and out, no Django models, so the mapping to Oscar orders lives elsewhere and
this file can be tested against a local fake Stripe API (specs/stripe.md). Every call takes the
secret key explicitly and builds its own `StripeClient`: no `stripe.api_key` global state, and an
`api_base` lets tests point the real library at a loopback server.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import stripe
from babel.numbers import get_currency_precision
from django.utils.translation import gettext_lazy as _

from payments.bank_webhooks import MAX_BODY_BYTES, WebhookAuthError, WebhookPayloadError

__all__ = [
    "HANDLED_EVENTS",
    "MAX_AMOUNT_MINOR",
    "PaymentIntentInfo",
    "RefundInfo",
    "StripeEvent",
    "StripeGatewayError",
    "WebhookAuthError",
    "WebhookPayloadError",
    "card_error_message",
    "create_payment_intent",
    "from_minor_units",
    "parse_webhook",
    "refund",
    "retrieve_payment_intent",
    "to_minor_units",
]

#: Stripe's zero-decimal currencies (spec 1): the amount is sent in whole units, never x100.
ZERO_DECIMAL = frozenset(
    {"BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA"}
    | {"PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF"}
)
#: Stripe accepts at most 8 digits in `amount` (spec 2; unconfirmed for VND).
MAX_AMOUNT_MINOR = 99_999_999
MAX_IDEMPOTENCY_KEY = 255
MAX_METADATA_VALUE = 500
DEFAULT_NETWORK_RETRIES = 2

#: The events the endpoint subscribes to (spec 5); anything else parses but is not handled.
HANDLED_EVENTS = frozenset(
    {
        "payment_intent.succeeded",
        "payment_intent.payment_failed",
        "payment_intent.processing",
        "payment_intent.canceled",
        "charge.refunded",
        "refund.created",
        "refund.updated",
        "refund.failed",
        "charge.dispute.created",
    }
)


# --- amounts -------------------------------------------------------------------------------------


def _exponent(currency: str) -> int:
    """Digits Stripe expects after the unit: 0 for its zero-decimal list, else Babel's precision.

    Babel says 0 for ISK/HUF where Stripe still wants two decimals, so those fall back to 2.
    """
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    return get_currency_precision(code) or 2


def to_minor_units(amount: Decimal | int, currency: str = "VND") -> int:
    """Convert an Oscar `Decimal` to Stripe's integer `amount`; refuses fractional dong.

    Multiplying VND by 100 would overcharge the shopper 100x, so the exponent comes from one place.
    """
    value = Decimal(amount)
    if not value.is_finite():
        raise ValueError(f"amount {amount!r} is not a number")
    precision = get_currency_precision(currency.upper())
    step = Decimal(1).scaleb(-precision)
    if value != value.quantize(step, rounding=ROUND_HALF_UP):
        raise ValueError(f"{value} {currency.upper()} has more than {precision} decimal places")
    return int(value.scaleb(_exponent(currency)).to_integral_value(rounding=ROUND_HALF_UP))


def from_minor_units(amount: int, currency: str = "VND") -> Decimal:
    """The inverse of `to_minor_units`, for showing Stripe amounts next to Oscar's."""
    return Decimal(int(amount)).scaleb(-_exponent(currency))


# --- errors and results --------------------------------------------------------------------------


class StripeGatewayError(Exception):
    """A Stripe call failed; `message` is safe to show a shopper, `retryable` says try later."""

    def __init__(self, message, *, retryable: bool = False, code=None, http_status=None):
        super().__init__(str(message))
        self.message = message
        self.retryable = retryable
        self.code = code
        self.http_status = http_status


_GENERIC = _("Card payment is unavailable right now. Please try again or choose another method.")
_CARD_MESSAGES = {
    "card_declined": _("Your card was declined. Please use another card."),
    "insufficient_funds": _("Your card has insufficient funds."),
    "expired_card": _("Your card has expired."),
    "incorrect_cvc": _("The card's security code is incorrect."),
    "processing_error": _("The card could not be processed. Please try again."),
    "amount_too_small": _("This order total is below the minimum for card payments."),
    "amount_too_large": _("This order total is above the maximum for card payments."),
}


def card_error_message(code: str | None):
    """What to tell the shopper about a failed card payment, by Stripe's decline or error code."""
    return _CARD_MESSAGES.get(code or "", _GENERIC)


def _gateway_error(exc: stripe.StripeError) -> StripeGatewayError:
    """Map the library's exception tree to one error; Stripe's own text is never shown."""
    err = getattr(exc, "error", None)
    code = getattr(err, "decline_code", None) or exc.code
    status = exc.http_status
    retryable = isinstance(exc, stripe.APIConnectionError | stripe.RateLimitError) or (
        isinstance(exc, stripe.APIError) and not isinstance(exc, stripe.IdempotencyError)
    )
    if status is not None and status >= 500:
        retryable = True
    message = _CARD_MESSAGES.get(code or "", _GENERIC)
    return StripeGatewayError(message, retryable=retryable, code=code, http_status=status)


@dataclass(frozen=True)
class PaymentIntentInfo:
    """What the checkout needs from a PaymentIntent; `amount` is in Stripe's minor units."""

    id: str
    client_secret: str | None
    status: str
    amount: int
    currency: str = "vnd"
    amount_received: int = 0
    order_number: str | None = None
    last_error_code: str | None = None


@dataclass(frozen=True)
class RefundInfo:
    """A refund as Stripe reports it; final state comes later via `charge.refunded`."""

    id: str
    status: str
    amount: int
    currency: str
    payment_intent: str | None


@dataclass(frozen=True)
class StripeEvent:
    """One verified webhook event; `event_id` dedupes, `handled` says whether spec 5 lists it."""

    id: str
    type: str
    object_id: str | None
    object_type: str | None
    amount: int | None
    amount_refunded: int | None
    currency: str | None
    status: str | None
    order_number: str | None
    payment_intent: str | None
    created: int | None
    livemode: bool = False
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    @property
    def handled(self) -> bool:
        return self.type in HANDLED_EVENTS


# --- API calls -----------------------------------------------------------------------------------


def _client(api_key: str, api_base: str | None, max_network_retries: int) -> stripe.StripeClient:
    """A per-call client: keys never leak between calls or threads."""
    if not api_key:
        raise StripeGatewayError(_GENERIC, code="missing_api_key")
    base = {"api": api_base} if api_base else None
    return stripe.StripeClient(
        api_key, base_addresses=base, max_network_retries=max_network_retries
    )


def _check_key(idempotency_key: str) -> None:
    """Explicit keys make double clicks and task retries safe (spec 6); Stripe caps them at 255."""
    if not idempotency_key or len(idempotency_key) > MAX_IDEMPOTENCY_KEY:
        raise ValueError("idempotency_key must be 1-255 characters")


def _intent_info(pi: Mapping[str, Any]) -> PaymentIntentInfo:
    metadata = pi.get("metadata") or {}
    error = pi.get("last_payment_error") or {}
    return PaymentIntentInfo(
        id=pi["id"],
        client_secret=pi.get("client_secret"),
        status=pi["status"],
        amount=int(pi["amount"]),
        currency=pi.get("currency") or "",
        amount_received=int(pi.get("amount_received") or 0),
        order_number=metadata.get("order_number"),
        last_error_code=(error.get("decline_code") or error.get("code")) if error else None,
    )


def create_payment_intent(
    *,
    order_number: str,
    amount: Decimal | int,
    currency: str = "VND",
    email: str | None = None,
    api_key: str,
    idempotency_key: str,
    metadata: Mapping[str, str] | None = None,
    api_base: str | None = None,
    max_network_retries: int = DEFAULT_NETWORK_RETRIES,
) -> PaymentIntentInfo:
    """Create the intent behind the Payment Element; only `client_secret` goes to the browser.

    `amount` is Oscar's total in major units (dong); `metadata` may add e.g. `basket_id`.
    """
    _check_key(idempotency_key)
    minor = to_minor_units(amount, currency)
    if minor <= 0 or minor > MAX_AMOUNT_MINOR:
        code = "amount_too_large" if minor > 0 else "amount_too_small"
        raise StripeGatewayError(_CARD_MESSAGES[code], code=code)
    meta = {str(k): str(v) for k, v in (metadata or {}).items()}
    meta["order_number"] = str(order_number)
    if any(len(k) > 40 or len(v) > MAX_METADATA_VALUE for k, v in meta.items()) or len(meta) > 50:
        raise ValueError("metadata exceeds Stripe's limits (50 keys, 40/500 characters)")
    params: dict[str, Any] = {
        "amount": minor,
        "currency": currency.lower(),
        "automatic_payment_methods": {"enabled": True},
        "metadata": meta,
    }
    if email:
        params["receipt_email"] = email
    client = _client(api_key, api_base, max_network_retries)
    try:
        pi = client.v1.payment_intents.create(params, options={"idempotency_key": idempotency_key})
    except stripe.StripeError as exc:
        raise _gateway_error(exc) from exc
    return _intent_info(pi.to_dict())


def retrieve_payment_intent(
    payment_intent_id: str,
    *,
    api_key: str,
    api_base: str | None = None,
    max_network_retries: int = DEFAULT_NETWORK_RETRIES,
) -> PaymentIntentInfo:
    """Fetch the authoritative state; the return URL's query string is never trusted (spec 3)."""
    client = _client(api_key, api_base, max_network_retries)
    try:
        pi = client.v1.payment_intents.retrieve(payment_intent_id)
    except stripe.StripeError as exc:
        raise _gateway_error(exc) from exc
    return _intent_info(pi.to_dict())


def refund(
    payment_intent_id: str,
    *,
    amount: Decimal | int | None = None,
    currency: str = "VND",
    reason: str | None = None,
    api_key: str,
    idempotency_key: str,
    metadata: Mapping[str, str] | None = None,
    api_base: str | None = None,
    max_network_retries: int = DEFAULT_NETWORK_RETRIES,
) -> RefundInfo:
    """Refund all (amount=None) or part of a PaymentIntent; `amount` in major units like Oscar."""
    _check_key(idempotency_key)
    params: dict[str, Any] = {"payment_intent": payment_intent_id}
    if amount is not None:
        minor = to_minor_units(amount, currency)
        if minor <= 0:
            raise ValueError("refund amount must be positive")
        params["amount"] = minor
    if reason:
        params["reason"] = reason
    if metadata:
        params["metadata"] = {str(k): str(v) for k, v in metadata.items()}
    client = _client(api_key, api_base, max_network_retries)
    try:
        re = client.v1.refunds.create(
            params, options={"idempotency_key": idempotency_key}
        ).to_dict()
    except stripe.StripeError as exc:
        raise _gateway_error(exc) from exc
    return RefundInfo(
        id=re["id"],
        status=re["status"],
        amount=int(re["amount"]),
        currency=re.get("currency") or "",
        payment_intent=re.get("payment_intent"),
    )


# --- webhooks ------------------------------------------------------------------------------------


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def parse_webhook(
    payload: bytes, sig_header: str | None, *, secret: str, tolerance: int = 300
) -> StripeEvent:
    """Verify `Stripe-Signature` over the raw body, then flatten the event for the caller.

    Bad or stale signatures raise `WebhookAuthError` (401); anything unparsable raises
    `WebhookPayloadError` (400), the same exceptions the bank webhooks use.
    """
    if not isinstance(payload, bytes | bytearray):
        raise WebhookPayloadError("payload must be the raw request body bytes")
    if len(payload) > MAX_BODY_BYTES:
        raise WebhookPayloadError("body too large")
    try:
        payload.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebhookPayloadError("body is not UTF-8") from exc
    if not secret:
        raise WebhookAuthError("no webhook secret configured")
    try:
        event = stripe.Webhook.construct_event(payload, sig_header, secret, tolerance=tolerance)
        data = event.to_dict()
    except stripe.SignatureVerificationError as exc:
        raise WebhookAuthError(str(exc)) from exc
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError) as exc:
        raise WebhookPayloadError(f"malformed event: {exc}") from exc

    event_id, event_type = data.get("id"), data.get("type")
    obj = data["data"].get("object") if isinstance(data.get("data"), dict) else None
    if not (isinstance(event_id, str) and isinstance(event_type, str) and isinstance(obj, dict)):
        raise WebhookPayloadError("event lacks id, type or data.object")
    metadata = obj.get("metadata") if isinstance(obj.get("metadata"), dict) else {}
    object_type = obj.get("object")
    payment_intent = obj.get("payment_intent")
    if object_type == "payment_intent":
        payment_intent = obj.get("id")
    order_number = metadata.get("order_number")
    return StripeEvent(
        id=event_id,
        type=event_type,
        object_id=obj.get("id") if isinstance(obj.get("id"), str) else None,
        object_type=object_type if isinstance(object_type, str) else None,
        amount=_int_or_none(obj.get("amount")),
        amount_refunded=_int_or_none(obj.get("amount_refunded")),
        currency=obj.get("currency") if isinstance(obj.get("currency"), str) else None,
        status=obj.get("status") if isinstance(obj.get("status"), str) else None,
        order_number=str(order_number) if order_number is not None else None,
        payment_intent=payment_intent if isinstance(payment_intent, str) else None,
        created=_int_or_none(data.get("created")),
        livemode=bool(data.get("livemode")),
        raw=data,
    )
