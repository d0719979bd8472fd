"""The delivery fee's breakdown per cooperative, for the checkout steps and the order pages."""

from dataclasses import dataclass
from decimal import Decimal

from django import template

from logistics import quotes
from shop.apps.shipping.methods import CourierService, unwrap

register = template.Library()


@dataclass(frozen=True)
class Row:
    name: str
    amount: Decimal
    weight_grams: int
    is_estimate: bool  # the table rate stood in for a courier's quote


@register.simple_tag
def basket_delivery_rows(method, basket) -> list[Row]:
    """What each cooperative's parcel costs with this method, before the order is placed."""
    service = unwrap(method)
    if not isinstance(service, CourierService):
        return []
    return [
        Row(c.name, c.amount, c.parcel.weight_grams, c.is_estimate) for c in service.charges(basket)
    ]


@register.simple_tag
def delivery_total(method, basket) -> Decimal:
    """The whole order's delivery fee with this method (offers applied)."""
    return method.calculate(basket).incl_tax


@register.simple_tag
def order_delivery_rows(order) -> list[Row]:
    """What each cooperative's parcel was charged when the order was placed."""
    return [
        Row(c.partner.name, c.fee, c.weight_grams, c.source == quotes.TABLE)
        for c in order.shipping_charges.select_related("partner")
    ]
