from django import template

from shop.cms import navigation

register = template.Library()


@register.simple_tag
def nav_categories():
    return navigation.nav_categories()


@register.simple_tag
def footer_pages():
    return navigation.footer_pages()
