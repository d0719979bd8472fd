from django import template

from payments import methods
from shop.apps.checkout import statuses

register = template.Library()


@register.filter
def order_status(status):
    return statuses.label(status)


@register.filter
def payment_method(source):
    return methods.label_for(source.source_type)
