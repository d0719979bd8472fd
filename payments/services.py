"""Every change to what an order has paid goes through here: once, under a row lock, atomically.

Webhooks, staff actions and the expiry job all end in `_receive`, `_expire` or `refund`, so a
transfer assigned by hand and one matched automatically follow the same rules.
"""

import json
import logging
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.models import Order
from oscar.apps.partner.models import StockRecord

from payments import gateways, vietqr
from payments.gateways import PaymentEvent
from payments.models import Payment, Transaction, WebhookEvent
from shop.signals import order_paid

logger = logging.getLogger("payments")

MAX_STORED_BODY = 64 * 1024

# Order statuses (shop/apps/checkout/statuses.py) this module moves orders between.
PENDING_PAYMENT = "pending_payment"
CONFIRMED = "confirmed"
PAID = "paid"
DELIVERED = "delivered"
CANCELLED = "cancelled"


class PaymentActionError(Exception):
    """A staff or shopper action that cannot be done; `str()` is the message to show, translated."""


# --- Checkout -------------------------------------------------------------------------------


def initial_order_status(method_code: str) -> str:
    gateway = gateways.get(method_code)
    return PENDING_PAYMENT if gateway and gateway.pays_before_shipping else CONFIRMED


def create_for_order(order, method_code: str, offered: list[str]) -> Payment:
    """The payment record of a just-placed order; runs inside the order-placing transaction.

    `offered` keeps the methods checkout allowed for this basket, so a shopper switching
    method later is offered no more than checkout did (no COD for drinks).
    """
    gateway = gateways.get(method_code)
    expires_at = None
    if gateway.pays_before_shipping:
        expires_at = timezone.now() + timedelta(minutes=settings.PAYMENT_EXPIRY_MINUTES)
        order.lines.update(status=PENDING_PAYMENT)
    return Payment.objects.create(
        order=order,
        method=method_code,
        offered_methods=offered,
        reference=vietqr.order_reference(order.number),
        amount_due=order.total_incl_tax,
        expires_at=expires_at,
        language=(get_language() or settings.LANGUAGE_CODE)[:8],
    )


def switch_method(payment: Payment, method_code: str) -> Payment:
    """Let a shopper whose card failed pay another way (spec: retry or switch)."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        if payment.status != Payment.PENDING or method_code not in payment.offered_methods:
            raise PaymentActionError(_("This payment method is not offered for this order."))
        gateway = gateways.get(method_code)
        if gateway is None:
            raise PaymentActionError(_("This payment method is not available any more."))
        if payment.method == method_code:
            return payment
        payment.method = method_code
        payment.last_error = ""
        if gateway.pays_before_shipping:
            payment.save(update_fields=["method", "last_error", "updated_at"])
        else:
            # Cash on delivery: the order ships now and waits for no webhook.
            payment.expires_at = None
            payment.save(update_fields=["method", "last_error", "expires_at", "updated_at"])
            payment.order.set_status(CONFIRMED)
            payment.order.lines.filter(status=PENDING_PAYMENT).update(status=CONFIRMED)
        return payment


# --- Webhooks -------------------------------------------------------------------------------


def record_rejected(source: str, detail: str, body: bytes) -> None:
    """Keep a trace of a delivery that failed verification; it changes nothing else."""
    WebhookEvent.objects.create(
        source=_text(source, 16),
        status=WebhookEvent.REJECTED,
        detail=_text(detail, 255),
        body=_text(body[:MAX_STORED_BODY].decode("utf-8", "replace"), MAX_STORED_BODY),
    )


def _text(value: str, limit: int) -> str:
    """Text as PostgreSQL stores it: it refuses NUL characters, which anyone can send."""
    return value.replace("\x00", "\ufffd")[:limit]


def process_event(event: PaymentEvent) -> str:
    """Store a verified event once, then apply it; a repeat changes nothing. Returns the outcome.

    Two deliveries of one event at the same moment: the second insert waits on the unique index
    until the first commits, then fails and is reported as a duplicate.
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = WebhookEvent.objects.create(
                    source=event.source,
                    event_id=_text(event.event_id, 255),
                    event_type=_text(event.event_type, 64),
                    status=WebhookEvent.APPLIED,
                    body=json.dumps(dict(event.raw), ensure_ascii=False, default=str)[
                        :MAX_STORED_BODY
                    ],
                )
        except IntegrityError:
            return "duplicate"
        outcome = _apply(event)
        if outcome in ("ignored", "unmatched", "unknown_payment"):
            row.status = WebhookEvent.IGNORED if outcome == "ignored" else WebhookEvent.APPLIED
        row.detail = outcome
        row.save(update_fields=["status", "detail"])
        return outcome


def _apply(event: PaymentEvent) -> str:
    handlers = {
        PaymentEvent.TRANSFER_IN: _apply_transfer,
        PaymentEvent.CARD_SUCCEEDED: _apply_card_success,
        PaymentEvent.CARD_FAILED: _apply_card_failure,
        PaymentEvent.CARD_REFUNDED: _apply_card_refunded,
        PaymentEvent.REFUND_FAILED: _apply_refund_failed,
        PaymentEvent.DISPUTE: _apply_dispute,
    }
    handler = handlers.get(event.kind)
    return handler(event) if handler else "ignored"


def _apply_transfer(event: PaymentEvent) -> str:
    gateway = gateways.for_webhook(event.source) or gateways.get("vietqr")
    txn = Transaction(
        source=event.source,
        provider_id=_text(event.provider_id or event.event_id, 255),
        kind=Transaction.IN,
        amount=event.amount,
        content=_text(event.content, 500),
        account_number=_text(event.sub_account or event.account_number, 64),
        bank_reference=_text(event.bank_reference, 255),
        occurred_at=event.occurred_at or timezone.now(),
    )
    references = vietqr.find_references(event.content)
    payment = None
    if gateway is not None and hasattr(gateway, "receives") and not gateway.receives(event):
        txn.unmatched_reason = Transaction.ACCOUNT_MISMATCH
    elif not references:
        txn.unmatched_reason = Transaction.NO_REFERENCE
    else:
        # vietqr.md 6.4: only references naming an existing order count, so a stray
        # Luhn-valid number in the bank's text does not hide the real one.
        candidates = list(
            Payment.objects.select_for_update()
            .select_related("order")
            .filter(reference__in=references)
            .order_by("pk")[:2]
        )
        if len(candidates) > 1:
            txn.unmatched_reason = Transaction.MULTIPLE_REFERENCES
        elif not candidates:
            txn.unmatched_reason = Transaction.UNKNOWN_ORDER
        else:
            payment = candidates[0]
    if payment is None:
        txn.match_status = Transaction.UNMATCHED
        txn.save()
        logger.warning("Unmatched transfer %s from %s", txn.provider_id, event.source)
        return "unmatched"
    txn.payment = payment
    txn.save()
    return _receive(payment, txn)


def _receive(payment: Payment, txn: Transaction) -> str:
    """Count money in for a locked payment: paid, partly paid, overpaid or late."""
    payment.amount_received += txn.amount
    fields = ["amount_received", "review_reason", "updated_at"]
    if payment.status in (Payment.EXPIRED, Payment.CANCELLED):
        txn.match_status = Transaction.LATE
        txn.save(update_fields=["match_status"])
        payment.review_reason = Payment.LATE
        payment.save(update_fields=fields)
        logger.warning("Order #%s: money arrived after expiry", payment.order.number)
        return "late"
    if payment.status == Payment.PAID:
        payment.review_reason = Payment.OVERPAID
        payment.save(update_fields=fields)
        return "overpaid"
    if payment.amount_received < payment.amount_due:
        payment.review_reason = Payment.PARTIAL
        payment.save(update_fields=fields)
        return "partial"
    payment.status = Payment.PAID
    payment.paid_at = timezone.now()
    payment.review_reason = Payment.OVERPAID if payment.amount_over else ""
    payment.save(update_fields=[*fields, "status", "paid_at"])
    order = payment.order
    if order.status == PENDING_PAYMENT or (
        order.status == DELIVERED and not _gateway_prepaid(payment)
    ):
        order.set_status(PAID)
    _after_commit_email(payment, "received")
    transaction.on_commit(lambda: order_paid.send(sender=Payment, order=order, payment=payment))
    return "overpaid" if payment.amount_over else "paid"


def _gateway_prepaid(payment: Payment) -> bool:
    gateway = gateways.get(payment.method)
    return bool(gateway and gateway.pays_before_shipping)


def _payment_for_card_event(event: PaymentEvent) -> Payment | None:
    """The payment of the event's PaymentIntent; the intent id wins over `metadata`.

    `metadata.order_number` is used only for a card order that has no intent recorded yet, so
    metadata alone never moves money onto an order expecting a bank transfer or another intent.
    """
    payments = Payment.objects.select_for_update().select_related("order")
    if event.provider_id:
        payment = payments.filter(stripe_payment_intent=event.provider_id).first()
        if payment is not None:
            return payment
    gateway = gateways.for_webhook(event.source)
    if not event.order_number or gateway is None:
        return None
    return payments.filter(
        order__number=event.order_number, method=gateway.code, stripe_payment_intent=""
    ).first()


def _apply_card_success(event: PaymentEvent) -> str:
    payment = _payment_for_card_event(event)
    if payment is None or event.amount is None:
        logger.error("Stripe %s: no payment for intent %s", event.event_id, event.provider_id)
        return "unknown_payment"
    if not payment.stripe_payment_intent:
        payment.stripe_payment_intent = event.provider_id
    try:
        with transaction.atomic():
            txn = Transaction.objects.create(
                source=event.source,
                provider_id=_text(event.provider_id, 255),
                kind=Transaction.IN,
                payment=payment,
                amount=event.amount,
            )
    except IntegrityError:
        return "duplicate"  # the same intent already paid this order
    payment.last_error = ""
    payment.save(update_fields=["stripe_payment_intent", "last_error", "updated_at"])
    return _receive(payment, txn)


def _apply_card_failure(event: PaymentEvent) -> str:
    payment = _payment_for_card_event(event)
    if payment is None:
        return "unknown_payment"
    if payment.status != Payment.PENDING:
        return "ignored"
    payment.last_error = (event.error or "card_declined")[:255]
    payment.save(update_fields=["last_error", "updated_at"])
    _after_commit_email(payment, "failed")
    return "failed"


def _apply_card_refunded(event: PaymentEvent) -> str:
    """`charge.refunded` carries the charge's cumulative refunded amount: sync to it."""
    payment = _payment_for_card_event(event)
    if payment is None or event.amount is None:
        return "unknown_payment"
    payment.transactions.filter(kind=Transaction.REFUND, refund_status=Transaction.PENDING).update(
        refund_status=Transaction.SUCCEEDED
    )
    missing = event.amount - payment.amount_refunded
    if missing > 0:  # refunded outside the shop, e.g. in Stripe's own dashboard
        Transaction.objects.create(
            source=event.source,
            provider_id=_text(event.event_id, 255),
            kind=Transaction.REFUND,
            refund_status=Transaction.SUCCEEDED,
            payment=payment,
            amount=missing,
            note="charge.refunded",
        )
        payment.amount_refunded = event.amount
        payment.save(update_fields=["amount_refunded", "updated_at"])
        _after_commit_email(payment, "refunded", amount=missing)
    return "refunded"


def _apply_refund_failed(event: PaymentEvent) -> str:
    refund_id = event.raw.get("data", {}).get("object", {}).get("id", "")
    txn = (
        Transaction.objects.select_for_update()
        .filter(kind=Transaction.REFUND, provider_id=refund_id)
        .exclude(refund_status=Transaction.FAILED)
        .first()
    )
    if txn is None:
        return "ignored"
    payment = Payment.objects.select_for_update().get(pk=txn.payment_id)
    txn.refund_status = Transaction.FAILED
    txn.save(update_fields=["refund_status"])
    payment.amount_refunded -= txn.amount
    payment.review_reason = Payment.REFUND_FAILED
    payment.save(update_fields=["amount_refunded", "review_reason", "updated_at"])
    return "refund_failed"


def _apply_dispute(event: PaymentEvent) -> str:
    payment = _payment_for_card_event(event)
    if payment is None:
        return "unknown_payment"
    payment.review_reason = Payment.DISPUTED
    payment.save(update_fields=["review_reason", "updated_at"])
    return "disputed"


# --- Staff ----------------------------------------------------------------------------------


def assign_transfer(txn: Transaction, payment: Payment, *, by, note: str = "") -> str:
    """Staff put an unmatched transfer on the order it was meant for."""
    with transaction.atomic():
        txn = Transaction.objects.select_for_update().get(pk=txn.pk)
        if txn.payment_id is not None or txn.kind != Transaction.IN:
            raise PaymentActionError(_("This transfer has already been assigned to an order."))
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        txn.payment = payment
        txn.match_status = Transaction.MATCHED
        txn.recorded_by = by
        txn.note = note
        txn.save()
        return _receive(payment, txn)


def simulate_transfer(payment: Payment, amount: Decimal | None = None, *, content: str = ""):
    """Play a bank's webhook for a transfer to the demo account (embedded default only)."""
    gateway = gateways.get("vietqr")
    if gateway is None or not gateway.demo:
        raise PaymentActionError(_("Transfers can be simulated only on the demo bank account."))
    event = PaymentEvent(
        source="demo",
        event_id=f"demo-{uuid.uuid4().hex}",
        kind=PaymentEvent.TRANSFER_IN,
        event_type="transfer_in",
        amount=payment.amount_outstanding if amount is None else amount,
        content=content or f"{payment.reference} chuyen khoan",
        account_number=gateway.account_number,
        occurred_at=timezone.now(),
    )
    return process_event(event)


def mark_cash_collected(order, *, amount: Decimal | None = None, reference: str = "", by=None):
    """The courier (via `shop.signals.cod_collected`) or staff says the cash is in hand."""
    if amount is not None and (amount <= 0 or amount != amount.to_integral_value()):
        raise PaymentActionError(_("The amount must be a positive whole number of dong."))
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(order=order)
        if payment.status == Payment.PAID:
            return "duplicate"
        try:
            with transaction.atomic():
                txn = Transaction.objects.create(
                    source="cod",
                    provider_id=reference or f"cod-{order.number}",
                    kind=Transaction.IN,
                    payment=payment,
                    amount=payment.amount_outstanding if amount is None else amount,
                    recorded_by=by,
                )
        except IntegrityError:
            return "duplicate"
        return _receive(payment, txn)


def refund(payment: Payment, amount: Decimal, *, by, note: str = "", bank_reference: str = ""):
    """Give money back: online through the gateway when it can, else record a hand refund."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        if amount <= 0 or amount != amount.to_integral_value():
            raise PaymentActionError(_("The amount must be a positive whole number of dong."))
        if amount > payment.refundable:
            raise PaymentActionError(_("That is more than was paid and not yet refunded."))
        count = payment.transactions.filter(kind=Transaction.REFUND).count()
        gateway = gateways.get(payment.method)
        if gateway is None:
            raise PaymentActionError(_("This payment method is not available any more."))
        result = gateway.refund(payment, amount, f"refund-{payment.order.number}-{count + 1}")
        if result is None:
            provider_id, status = bank_reference or f"manual-{uuid.uuid4().hex}", "succeeded"
            source = "manual"
        else:
            provider_id, status, source = result.provider_id, result.status, payment.method
        Transaction.objects.create(
            source=source,
            provider_id=provider_id,
            kind=Transaction.REFUND,
            refund_status=status,
            payment=payment,
            amount=amount,
            bank_reference=bank_reference,
            recorded_by=by,
            note=note,
        )
        if status != Transaction.FAILED:
            payment.amount_refunded += amount
        else:
            payment.review_reason = Payment.REFUND_FAILED
        if payment.review_reason in (Payment.OVERPAID, Payment.LATE) and status != "failed":
            payment.review_reason = ""
        payment.save(update_fields=["amount_refunded", "review_reason", "updated_at"])
        if status != Transaction.FAILED:
            _after_commit_email(payment, "refunded", amount=amount)
        return status


def reinstate(payment: Payment, *, by) -> None:
    """Revive an expired order whose money arrived late, if its stock is still there."""
    with transaction.atomic():
        payment = Payment.objects.select_for_update().select_related("order").get(pk=payment.pk)
        if payment.status != Payment.EXPIRED or payment.amount_received < payment.amount_due:
            raise PaymentActionError(
                _("Only an expired order whose full amount has arrived can be reinstated.")
            )
        order = payment.order
        lines = list(order.lines.select_related("stockrecord"))
        wanted = {line.stockrecord_id: 0 for line in lines if line.stockrecord_id}
        for line in lines:
            if line.stockrecord_id:
                wanted[line.stockrecord_id] += line.quantity
        records = (
            StockRecord.objects.select_for_update(of=("self",))
            .select_related("product__product_class", "product__parent__product_class")
            .filter(pk__in=wanted)
            .order_by("pk")
        )
        for record in records:
            if record.can_track_allocations and record.net_stock_level < wanted[record.pk]:
                raise PaymentActionError(
                    _(
                        "Some products of this order are sold out, so it cannot be reinstated. "
                        "Refund the payment instead."
                    )
                )
        for record in records:
            record.allocate(wanted[record.pk])
        for line in lines:
            # Shipping consumes the allocation only while it is not marked cancelled.
            line.num_allocated = line.quantity
            line.allocation_cancelled = False
            line.status = PAID
            line.save(update_fields=["num_allocated", "allocation_cancelled", "status"])
        payment.status = Payment.PAID
        payment.paid_at = timezone.now()
        payment.review_reason = Payment.OVERPAID if payment.amount_over else ""
        payment.save(update_fields=["status", "paid_at", "review_reason", "updated_at"])
        old = order.status
        Order.objects.filter(pk=order.pk).update(status=PAID)
        order.status = PAID
        order.status_changes.create(old_status=old, new_status=PAID)
        _after_commit_email(payment, "received")
        transaction.on_commit(lambda: order_paid.send(sender=Payment, order=order, payment=payment))


def clear_review(payment: Payment) -> None:
    Payment.objects.filter(pk=payment.pk).update(review_reason="", updated_at=timezone.now())


# --- Expiry ---------------------------------------------------------------------------------


def expire_overdue(now=None) -> int:
    """Cancel prepaid orders whose time ran out, giving their stock back; returns how many."""
    now = now or timezone.now()
    # An order staff confirmed without waiting for the money is theirs to follow, not expired.
    due = Payment.objects.filter(
        status=Payment.PENDING,
        expires_at__lt=now,
        order__status__in=(PENDING_PAYMENT, CANCELLED),
    ).values_list("pk", flat=True)
    expired = 0
    for pk in list(due):
        with transaction.atomic():
            payment = (
                Payment.objects.select_for_update().select_related("order").filter(pk=pk).first()
            )
            if payment is None or payment.status != Payment.PENDING:
                continue  # paid while we were looking
            if not payment.expires_at or payment.expires_at >= now:
                continue
            payment.status = Payment.EXPIRED
            payment.save(update_fields=["status", "updated_at"])
            if payment.order.status == PENDING_PAYMENT:
                payment.order.set_status(CANCELLED)  # releases stock (checkout receiver)
            _after_commit_email(payment, "expired")
            expired += 1
    return expired


# --- Helpers --------------------------------------------------------------------------------


def _after_commit_email(payment: Payment, kind: str, amount: Decimal | None = None) -> None:
    from payments.tasks import send_payment_email

    def queue():
        try:
            send_payment_email.delay(payment.pk, kind, str(amount) if amount is not None else "")
        except Exception:
            logger.exception("Order #%s: %s e-mail not queued", payment.order.number, kind)

    transaction.on_commit(queue)
