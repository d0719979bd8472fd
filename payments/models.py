"""What each order owes, every movement of money, every webhook received, and what cooperatives
are owed. Amounts are whole dong (VND has no minor unit) in DecimalFields like Oscar's."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

MONEY = {"max_digits": 14, "decimal_places": 0}


class Payment(models.Model):
    """What one order owes and what has come in for it; the webhook is the source of truth."""

    PENDING = "pending"
    PAID = "paid"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    STATUSES = [
        (PENDING, _("Awaiting payment")),
        (PAID, _("Paid")),
        (EXPIRED, _("Expired")),
        (CANCELLED, _("Cancelled")),
    ]

    # Why staff must look at a payment.
    OVERPAID = "overpaid"
    LATE = "late"
    PARTIAL = "partial"
    REFUND_FAILED = "refund_failed"
    DISPUTED = "disputed"
    REVIEW_REASONS = [
        (OVERPAID, _("Paid more than the order total")),
        (LATE, _("Money arrived after the order expired")),
        (PARTIAL, _("Paid less than the order total")),
        (REFUND_FAILED, _("A refund failed")),
        (DISPUTED, _("The card payment is disputed")),
    ]

    order = models.OneToOneField(
        "order.Order",
        on_delete=models.PROTECT,
        related_name="payment",
        verbose_name=pgettext_lazy("shop order", "order"),
    )
    method = models.CharField(_("method"), max_length=16)
    #: The methods checkout offered for this basket: a shopper switching may pick only these.
    offered_methods = models.JSONField(default=list, blank=True)
    reference = models.CharField(_("transfer reference"), max_length=20, unique=True)
    amount_due = models.DecimalField(_("amount due"), **MONEY)
    amount_received = models.DecimalField(_("amount received"), default=Decimal(0), **MONEY)
    amount_refunded = models.DecimalField(_("amount refunded"), default=Decimal(0), **MONEY)
    status = models.CharField(_("status"), max_length=16, choices=STATUSES, default=PENDING)
    review_reason = models.CharField(
        _("needs review"), max_length=16, choices=REVIEW_REASONS, blank=True
    )
    stripe_payment_intent = models.CharField(max_length=255, blank=True, db_index=True)
    last_error = models.CharField(_("last error"), max_length=255, blank=True)
    expires_at = models.DateTimeField(_("pay before"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    language = models.CharField(max_length=8, default="vi")  # for the shopper's e-mails
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "expires_at"])]

    def __str__(self):
        return f"{self.reference} ({self.order.number})"

    @property
    def amount_outstanding(self) -> Decimal:
        return max(self.amount_due - self.amount_received, Decimal(0))

    @property
    def amount_over(self) -> Decimal:
        return max(self.amount_received - self.amount_due, Decimal(0))

    @property
    def is_partially_paid(self) -> bool:
        return self.status == self.PENDING and 0 < self.amount_received < self.amount_due

    @property
    def refundable(self) -> Decimal:
        return max(self.amount_received - self.amount_refunded, Decimal(0))


class Transaction(models.Model):
    """One movement of money as a provider or a person reported it.

    Incoming transfers that match no order are kept here with `payment` empty, so staff can
    assign them; nothing that arrives is ever dropped.
    """

    IN = "in"
    REFUND = "refund"
    KINDS = [(IN, _("Received")), (REFUND, _("Refund"))]

    MATCHED = "matched"
    UNMATCHED = "unmatched"
    LATE = "late"
    IGNORED = "ignored"
    MATCH_STATUSES = [
        (MATCHED, _("Applied to an order")),
        (UNMATCHED, _("Waiting for staff")),
        (LATE, _("Arrived after expiry")),
        (IGNORED, _("Ignored")),
    ]

    NO_REFERENCE = "no_reference"
    UNKNOWN_ORDER = "unknown_order"
    MULTIPLE_REFERENCES = "multiple_references"
    ACCOUNT_MISMATCH = "account_mismatch"
    NOT_BANK_TRANSFER = "not_bank_transfer"
    UNMATCHED_REASONS = [
        (NO_REFERENCE, _("No order reference in the transfer content")),
        (UNKNOWN_ORDER, _("The reference matches no order")),
        (MULTIPLE_REFERENCES, _("Several order references in the transfer content")),
        (ACCOUNT_MISMATCH, _("Sent to another account")),
        (NOT_BANK_TRANSFER, _("The order is not paid by bank transfer")),
    ]

    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    REFUND_STATUSES = [
        (PENDING, _("Pending")),
        (SUCCEEDED, _("Succeeded")),
        (FAILED, _("Failed")),
    ]

    source = models.CharField(_("source"), max_length=16)
    provider_id = models.CharField(_("provider reference"), max_length=255)
    kind = models.CharField(_("kind"), max_length=8, choices=KINDS, default=IN)
    payment = models.ForeignKey(
        Payment,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="transactions",
        verbose_name=_("payment"),
    )
    amount = models.DecimalField(_("amount"), **MONEY)
    match_status = models.CharField(
        _("match"), max_length=16, choices=MATCH_STATUSES, default=MATCHED
    )
    unmatched_reason = models.CharField(
        _("why unmatched"), max_length=24, choices=UNMATCHED_REASONS, blank=True
    )
    refund_status = models.CharField(
        _("refund status"), max_length=16, choices=REFUND_STATUSES, blank=True
    )
    content = models.CharField(_("transfer content"), max_length=500, blank=True)
    account_number = models.CharField(_("receiving account"), max_length=64, blank=True)
    bank_reference = models.CharField(_("bank reference"), max_length=255, blank=True)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("money movement")
        verbose_name_plural = _("money movements")
        ordering = ["-occurred_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "provider_id"], name="payments_transaction_once"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount} ({self.source} {self.provider_id})"


class WebhookEvent(models.Model):
    """Every delivery a provider makes, stored once by its event id before it changes anything."""

    APPLIED = "applied"
    REJECTED = "rejected"
    IGNORED = "ignored"
    STATUSES = [(APPLIED, _("Applied")), (REJECTED, _("Rejected")), (IGNORED, _("Ignored"))]

    source = models.CharField(_("source"), max_length=16)
    event_id = models.CharField(_("event id"), max_length=255, blank=True)
    event_type = models.CharField(_("event type"), max_length=64, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=STATUSES)
    detail = models.CharField(_("detail"), max_length=255, blank=True)
    body = models.TextField(_("body"), blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "event_id"],
                condition=~Q(event_id=""),
                name="payments_webhook_event_once",
            )
        ]

    def __str__(self):
        return f"{self.source} {self.event_id or '-'} ({self.status})"


class PayoutBatch(models.Model):
    """Money the platform sends one cooperative in one bank transfer."""

    OPEN = "open"
    PAID = "paid"
    STATUSES = [(OPEN, _("To pay")), (PAID, _("Paid"))]

    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="payout_batches"
    )
    status = models.CharField(_("status"), max_length=8, choices=STATUSES, default=OPEN)
    gross = models.DecimalField(_("sales"), default=Decimal(0), **MONEY)
    commission = models.DecimalField(_("commission"), default=Decimal(0), **MONEY)
    net = models.DecimalField(_("to pay"), default=Decimal(0), **MONEY)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    bank_reference = models.CharField(_("bank transaction reference"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.transfer_reference} {self.partner}"

    @property
    def transfer_reference(self) -> str:
        """What staff type as the transfer content, so the cooperative can recognise it."""
        return f"OCOPTT{self.pk:06d}"


class PayoutEntry(models.Model):
    """One delivered order line: what the cooperative sold, the platform's cut, and the rest."""

    line = models.OneToOneField("order.Line", on_delete=models.PROTECT, related_name="payout_entry")
    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="payout_entries"
    )
    gross = models.DecimalField(_("sales"), **MONEY)
    commission_percent = models.DecimalField(_("commission %"), max_digits=5, decimal_places=2)
    commission = models.DecimalField(_("commission"), **MONEY)
    net = models.DecimalField(_("owed"), **MONEY)
    batch = models.ForeignKey(
        PayoutBatch,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("payout"),
    )
    created_at = models.DateTimeField(_("delivered"), default=timezone.now)

    class Meta:
        verbose_name = _("payout entry")
        verbose_name_plural = _("payout entries")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.line} → {self.net}"
