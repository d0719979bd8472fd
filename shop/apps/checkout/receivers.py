from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed

from .stock import release_allocations


@receiver(order_status_changed, dispatch_uid="release-stock-of-cancelled-orders")
def release_stock_when_cancelled(sender, order, old_status, new_status, **kwargs):
    if new_status == "cancelled" and old_status != "cancelled":
        release_allocations(order)
