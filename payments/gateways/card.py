"""Card payments through Stripe PaymentIntents and the Payment Element, in whole dong."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from payments import stripe_client

from .base import MAX_AMOUNT, Availability, CheckoutFacts, PaymentEvent, RefundResult

_KINDS = {
    "payment_intent.succeeded": PaymentEvent.CARD_SUCCEEDED,
    "payment_intent.payment_failed": PaymentEvent.CARD_FAILED,
    "payment_intent.canceled": PaymentEvent.CARD_CANCELED,
    "charge.refunded": PaymentEvent.CARD_REFUNDED,
    "refund.failed": PaymentEvent.REFUND_FAILED,
    "charge.dispute.created": PaymentEvent.DISPUTE,
}


class StripeCard:
    name = _("Card (Visa, Mastercard, JCB)")
    description = _("Pay securely by card; your card details go to Stripe, never to us.")
    pays_before_shipping = True
    webhook_sources = ("stripe",)

    def __init__(
        self,
        *,
        code: str,
        SECRET_KEY: str,
        PUBLISHABLE_KEY: str,
        WEBHOOK_SECRET: str = "",
        API_BASE: str = "",
    ):
        self.code = code
        self.secret_key = SECRET_KEY
        self.publishable_key = PUBLISHABLE_KEY
        self.webhook_secret = WEBHOOK_SECRET
        self.api_base = API_BASE or None

    def availability(self, facts: CheckoutFacts) -> Availability:
        if stripe_client.to_minor_units(facts.total) > stripe_client.MAX_AMOUNT_MINOR:
            return Availability(False, _("This order is too large to pay by card."))
        return Availability(True)

    def start(self, payment) -> None:
        """Create (or, on a repeat, get back) the PaymentIntent behind the Payment Element.

        Called when the shopper opens the payment page, outside the order-placing transaction.
        The idempotency key names the order and amount, so a double click or a retried task
        gets the same intent back instead of a second one.
        """
        intent = stripe_client.create_payment_intent(
            order_number=payment.order.number,
            amount=payment.amount_due,
            email=payment.order.email or None,
            api_key=self.secret_key,
            api_base=self.api_base,
            idempotency_key=f"pi-create-{payment.order.number}-{int(payment.amount_due)}",
        )
        payment.stripe_payment_intent = intent.id
        payment.save(update_fields=["stripe_payment_intent", "updated_at"])

    def client_secret(self, payment) -> str | None:
        return self.intent(payment).client_secret

    def intent(self, payment) -> stripe_client.PaymentIntentInfo:
        """The PaymentIntent as Stripe has it now: shapes the page, never marks an order paid."""
        return stripe_client.retrieve_payment_intent(
            payment.stripe_payment_intent, api_key=self.secret_key, api_base=self.api_base
        )

    def parse_webhook(self, source, headers, body) -> list[PaymentEvent]:
        event = stripe_client.parse_webhook(
            body, headers.get("Stripe-Signature"), secret=self.webhook_secret
        )
        obj = event.raw["data"]["object"]  # parse_webhook has checked it is a dict
        if event.type == "charge.refunded":
            amount = event.amount_refunded
        elif event.type == "payment_intent.succeeded":
            received = obj.get("amount_received")
            amount = received if type(received) is int else event.amount  # not bool, not str
        else:
            amount = event.amount
        if (event.currency or "vnd").lower() != "vnd":
            amount = None  # our intents are in dong; another currency's units are not dong
        value = stripe_client.from_minor_units(amount) if amount is not None else None
        if value is not None and not 0 <= value <= MAX_AMOUNT:
            raise stripe_client.WebhookPayloadError("amount out of range")
        error = ""
        failure = obj.get("last_payment_error")
        if event.type == "payment_intent.payment_failed" and isinstance(failure, dict):
            error = str(failure.get("decline_code") or failure.get("code") or "")
        return [
            PaymentEvent(
                source=source,
                event_id=event.id,
                kind=_KINDS.get(event.type, PaymentEvent.OTHER),
                event_type=event.type,
                amount=value,
                provider_id=event.payment_intent or "",
                order_number=event.order_number,
                error=error,
                raw=event.raw,
            )
        ]

    def refund(self, payment, amount: Decimal, key: str) -> RefundResult:
        refund = stripe_client.refund(
            payment.stripe_payment_intent,
            amount=amount,
            api_key=self.secret_key,
            api_base=self.api_base,
            idempotency_key=key,
            metadata={"order_number": payment.order.number},
        )
        status = refund.status if refund.status in ("pending", "succeeded", "failed") else "pending"
        return RefundResult(
            provider_id=refund.id,
            amount=stripe_client.from_minor_units(refund.amount),
            status=status,
        )
