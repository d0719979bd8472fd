from django import template

from shop.addresses.phone import format_vietnamese_phone

register = template.Library()


@register.filter
def national_phone(value):
    """+84912345678 → 0912 345 678"""
    return format_vietnamese_phone(value) if value else ""
