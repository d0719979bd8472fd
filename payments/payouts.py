"""The payout ledger: what each cooperative earned on its delivered order lines, and the batches
in which the platform pays it.

One `PayoutEntry` per delivered line (gross = the line's price incl. VAT, commission =
PLATFORM_COMMISSION_PERCENT of it rounded half up to whole dong, net = gross - commission).
Lines become delivered two ways, and both are heard here: Oscar's order status cascade
(`Order.set_status("delivered")` saves each line without a line signal, so we listen to
`order_status_changed`) and `Line.set_status("delivered")` (`order_line_status_changed`).

A delivered line whose order was later refunded keeps its entry: the goods did reach the
shopper, and whether the cooperative bears a refund is a staff decision. The staff screens flag
such entries so nobody pays them without looking.

The cooperative's bank account comes from `settings.PAYOUT_ACCOUNT_LOOKUP` (a dotted path to
`f(partner) -> PayoutAccount | None`), so payments never imports cooperatives.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from oscar.apps.partner.models import Partner

from payments.banks import Bank, by_bin
from payments.models import PayoutBatch, PayoutEntry

DELIVERED = "delivered"
WHOLE_DONG = Decimal(1)


class PayoutError(Exception):
    """An action staff asked for that cannot be done; the message is for them."""


@dataclass(frozen=True)
class PayoutAccount:
    """The bank account a cooperative is paid into."""

    bin: str
    account_number: str
    holder: str

    @property
    def bank(self) -> Bank | None:
        return by_bin(self.bin)


def whole_dong(amount) -> Decimal:
    return Decimal(amount).quantize(WHOLE_DONG, rounding=ROUND_HALF_UP)


def commission_for(gross, percent) -> Decimal:
    """The platform's cut, rounded half up to whole dong (2.5% of 65,020 = 1,625.5 -> 1,626)."""
    return whole_dong(Decimal(gross) * Decimal(percent) / 100)


# --- Ledger entries ------------------------------------------------------------------------------


def record_line(line) -> PayoutEntry | None:
    """The entry of a delivered line, created once (safe to call again, or twice at once).

    The caller knows the line was delivered: its status may have moved on since (to "paid").
    """
    if line.partner_id is None:
        return None
    gross = whole_dong(line.line_price_incl_tax)
    percent = Decimal(settings.PLATFORM_COMMISSION_PERCENT)
    commission = commission_for(gross, percent)
    # get_or_create retries the read when a concurrent insert wins the unique line constraint.
    entry, _created = PayoutEntry.objects.get_or_create(
        line=line,
        defaults={
            "partner_id": line.partner_id,
            "gross": gross,
            "commission_percent": percent,
            "commission": commission,
            "net": gross - commission,
        },
    )
    return entry


def record_delivered_lines(order, statuses=(DELIVERED,)) -> list[PayoutEntry]:
    """Entries for the order's lines in `statuses` (delivered ones) that have none yet."""
    lines = order.lines.filter(
        status__in=statuses, partner__isnull=False, payout_entry__isnull=True
    )
    return [entry for line in lines if (entry := record_line(line)) is not None]


def on_order_status_changed(sender, order, old_status, new_status, **kwargs):
    if new_status == DELIVERED:
        record_delivered_lines(order)
    elif old_status == DELIVERED:
        # Cash on delivery goes "delivered" -> "paid" and the cascade moves the lines on with
        # it, possibly before this receiver heard of "delivered": those lines were delivered.
        record_delivered_lines(order, statuses=(DELIVERED, new_status))


def on_line_status_changed(sender, line, old_status, new_status, **kwargs):
    if new_status == DELIVERED:
        record_line(line)


def connect_receivers():
    from oscar.apps.order.signals import order_line_status_changed, order_status_changed

    order_status_changed.connect(on_order_status_changed, dispatch_uid="payouts-order-delivered")
    order_line_status_changed.connect(on_line_status_changed, dispatch_uid="payouts-line-delivered")


# --- Batches -------------------------------------------------------------------------------------


def create_batch(partner, user=None) -> PayoutBatch:
    """One payout of all the partner's entries not yet in a payout.

    The partner's row is locked first, so two staff creating a payout at once queue up and the
    second finds nothing left (refused) instead of putting an entry in two batches.
    """
    with transaction.atomic():
        Partner.objects.select_for_update().filter(pk=partner.pk).first()
        entries = list(
            PayoutEntry.objects.select_for_update()
            .filter(partner=partner, batch__isnull=True)
            .order_by("pk")
        )
        if not entries:
            raise PayoutError(_("%(name)s has nothing waiting to be paid.") % {"name": partner})
        batch = PayoutBatch.objects.create(
            partner=partner,
            created_by=user,
            gross=sum(entry.gross for entry in entries),
            commission=sum(entry.commission for entry in entries),
            net=sum(entry.net for entry in entries),
        )
        moved = PayoutEntry.objects.filter(
            pk__in=[entry.pk for entry in entries], batch__isnull=True
        ).update(batch=batch)
        if moved != len(entries):  # only possible without row locks; never pay twice
            raise PayoutError(_("Another payout took some of these lines; try again."))
    return batch


def mark_paid(batch, bank_reference: str, user=None) -> PayoutBatch:
    """Record the bank transfer that paid a batch; a batch is paid once."""
    bank_reference = (bank_reference or "").strip()
    if not bank_reference:
        raise PayoutError(_("Enter the bank's reference of the transfer."))
    with transaction.atomic():
        batch = PayoutBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status == PayoutBatch.PAID:
            raise PayoutError(
                _("Payout %(reference)s is already marked paid.")
                % {"reference": batch.transfer_reference}
            )
        batch.status = PayoutBatch.PAID
        batch.bank_reference = bank_reference
        batch.paid_at = timezone.now()
        batch.paid_by = user
        batch.save(update_fields=["status", "bank_reference", "paid_at", "paid_by"])
    return batch


# --- Reading -------------------------------------------------------------------------------------


def owed_by_partner() -> list[dict]:
    """Per partner, the entries not yet in a payout: count, gross, commission, net (2 queries)."""
    rows = list(
        PayoutEntry.objects.filter(batch__isnull=True)
        .values("partner")
        .annotate(
            lines=Count("pk"), gross=Sum("gross"), commission=Sum("commission"), net=Sum("net")
        )
        .order_by()
    )
    partners = Partner.objects.in_bulk([row["partner"] for row in rows])
    for row in rows:
        row["partner"] = partners[row["partner"]]
    return sorted(rows, key=lambda row: (row["partner"].name.casefold(), row["partner"].pk))


def payout_account(partner) -> PayoutAccount | None:
    """The partner's bank account, through the configured lookup (None when it has none)."""
    path = getattr(settings, "PAYOUT_ACCOUNT_LOOKUP", "")
    return import_string(path)(partner) if path else None
