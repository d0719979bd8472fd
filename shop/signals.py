"""Signals that cross app boundaries which must not import each other (payments, logistics)."""

from django.dispatch import Signal

#: The order's money has fully arrived. kwargs: order, payment (payments.Payment).
#: Logistics books the shipments of a prepaid order on this. Sent after commit.
order_paid = Signal()

#: A courier (or staff) reports the cash of a COD order collected. kwargs: order, amount
#: (Decimal, whole dong), reference (the courier's id for the collection, for idempotency).
cod_collected = Signal()
