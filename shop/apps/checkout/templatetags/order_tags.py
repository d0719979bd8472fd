from django import template
from django.core.exceptions import ObjectDoesNotExist

from payments import gateways
from payments.views import page_path
from shop.apps.checkout import statuses

register = template.Library()


@register.filter
def order_status(status):
    return statuses.label(status)


@register.filter
def payment_method(source):
    """The name of an order's payment method in the reader's language."""
    gateway = gateways.get(source.source_type.code)
    return str(gateway.name) if gateway else source.source_type.name


@register.simple_tag
def awaiting_payment(order) -> str:
    """The address of the order's payment page while its money is still awaited, else ""."""
    try:
        payment = order.payment
    except ObjectDoesNotExist:
        return ""
    if payment.status != payment.PENDING or order.status != "pending_payment":
        return ""
    return page_path(order)
