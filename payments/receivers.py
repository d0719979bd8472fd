"""What payments does when the rest of the shop reports something: cash collected by a courier,
a cash-on-delivery order delivered."""

import logging

from django.db import transaction
from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed

from payments import gateways, services
from payments.models import Payment
from shop.signals import cod_collected

logger = logging.getLogger("payments")


@receiver(cod_collected, dispatch_uid="payments-cod-collected")
def record_cash_collected(sender, order, amount=None, reference="", **kwargs):
    """The courier has the cash: the order is paid once, however often the courier says so.

    Errors are logged, not raised: the courier's webhook must not fail over an order that
    payments cannot settle, and staff can still mark the cash from the dashboard.
    """
    try:
        outcome = services.mark_cash_collected(order, amount=amount, reference=reference or "")
    except Payment.DoesNotExist:
        logger.error("Order #%s: cash collected but the order has no payment", order.number)
    except services.PaymentActionError as exc:
        logger.error("Order #%s: cash collected not recorded: %s", order.number, exc)
    else:
        logger.info("Order #%s: cash collected (%s)", order.number, outcome)


@receiver(order_status_changed, dispatch_uid="payments-paid-on-delivery")
def settle_delivered_cash_order(sender, order, old_status, new_status, **kwargs):
    """Cash reported before the parcel was marked delivered: the order ends as paid all the same.

    Done after the delivery commits, so the order's history lists "delivered" before "paid".
    """
    if new_status == services.DELIVERED:
        transaction.on_commit(lambda: _settle_cash_order(order.pk))


def _settle_cash_order(order_id: int) -> None:
    with transaction.atomic():
        payment = (
            Payment.objects.select_for_update()
            .select_related("order")
            .filter(order_id=order_id, status=Payment.PAID)
            .first()
        )
        if payment is None or payment.order.status != services.DELIVERED:
            return
        gateway = gateways.get(payment.method)
        if gateway is None or gateway.pays_before_shipping:
            return
        payment.order.set_status(services.PAID)


@receiver(order_status_changed, dispatch_uid="payments-cancelled-by-staff")
def close_payment_of_cancelled_order(sender, order, old_status, new_status, **kwargs):
    """An order cancelled before its money came: money arriving later is late, for staff.

    The expiry job has already closed its own payments; this catches staff cancelling by hand.
    """
    if new_status == services.CANCELLED:
        Payment.objects.filter(order_id=order.pk, status=Payment.PENDING).update(
            status=Payment.CANCELLED
        )
