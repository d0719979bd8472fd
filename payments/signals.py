"""What payments tells the rest of the shop; receivers live with whoever needs to act."""

from django.dispatch import Signal

#: The order's money has fully arrived (sender: Payment; kwargs: order, payment).
#: Logistics creates the shipments of a prepaid order on this.
order_paid = Signal()
