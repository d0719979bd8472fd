from django import template

from logistics.tracking import parcels_for

register = template.Library()


@register.simple_tag
def order_parcels(order) -> list:
    """The order's parcels with their timelines (`logistics.tracking.parcels_for`)."""
    return parcels_for(order) if order is not None and order.pk else []
