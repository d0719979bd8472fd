"""The narrow interface between the shop and each way of paying, with plain data in and out."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

from django.utils.functional import Promise

if TYPE_CHECKING:
    from payments.models import Payment


#: The largest amount the 14-digit money columns hold; a bigger one cannot be a real payment.
MAX_AMOUNT = Decimal(10**14 - 1)


@dataclass(frozen=True)
class CheckoutFacts:
    """What a gateway may ask about the basket; checkout fills it in (payments never reads
    the catalogue)."""

    total: Decimal
    has_alcoholic_drinks: bool = False


@dataclass(frozen=True)
class Availability:
    available: bool
    reason: str | Promise = ""  # shown to the shopper when a method is not offered


@dataclass(frozen=True)
class PaymentEvent:
    """One verified provider event, flattened; `event_id` is unique per source."""

    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    CARD_SUCCEEDED = "card_succeeded"
    CARD_FAILED = "card_failed"
    CARD_CANCELED = "card_canceled"
    CARD_REFUNDED = "card_refunded"
    REFUND_FAILED = "refund_failed"
    DISPUTE = "dispute"
    OTHER = "other"

    source: str
    event_id: str
    kind: str
    event_type: str = ""
    amount: Decimal | None = None  # whole dong
    provider_id: str = ""  # bank transaction id or PaymentIntent id
    content: str = ""  # transfer content, as the bank sent it
    account_number: str = ""
    sub_account: str = ""  # a virtual account inside `account_number`, when the bank has one
    bank_reference: str = ""
    occurred_at: datetime | None = None
    order_number: str | None = None
    error: str = ""
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class RefundResult:
    provider_id: str
    amount: Decimal
    status: str  # pending, succeeded or failed


class PaymentGateway(Protocol):
    code: str
    name: str | Promise
    description: str | Promise
    #: True: the order waits as "pending payment" until a webhook says the money arrived.
    pays_before_shipping: bool
    webhook_sources: tuple[str, ...]

    def availability(self, facts: CheckoutFacts) -> Availability: ...

    def start(self, payment: "Payment") -> None:
        """Prepare the payment once the order exists (e.g. create the Stripe PaymentIntent)."""

    def parse_webhook(
        self, source: str, headers: Mapping[str, str], body: bytes
    ) -> list[PaymentEvent]:
        """Verify, then parse; raises WebhookAuthError (401) or WebhookPayloadError (400)."""

    def refund(self, payment: "Payment", amount: Decimal, key: str) -> RefundResult | None:
        """Send money back online; None when it goes back by hand and staff record it."""
