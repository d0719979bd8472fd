"""What logistics does when the rest of the shop reports something: an order's money arrived."""

import logging

from django.db import DatabaseError
from django.dispatch import receiver

from logistics import services
from shop.signals import order_paid

logger = logging.getLogger("logistics")


@receiver(order_paid, dispatch_uid="logistics-ship-paid-order")
def ship_paid_order(sender, order, **kwargs):
    """A prepaid order is paid: its parcels are created and booked (a COD order has them already).

    Errors are logged, not raised: payments sends this after its own commit, and staff can
    create the shipments again (the call is idempotent).
    """
    try:
        services.create_shipments(order)
    except DatabaseError:
        logger.exception("Order #%s: shipments not created", order.number)
