from django import template
from django.conf import settings

from shop.cms import navigation, policies

register = template.Library()


@register.simple_tag
def nav_categories():
    return navigation.nav_categories()


@register.simple_tag
def footer_pages():
    return navigation.footer_pages()


@register.simple_tag
def policy_links():
    return policies.policy_links()


@register.simple_tag
def moit_badge_url():
    """The market's registration page at the Ministry of Industry and Trade, when it has one."""
    return settings.MOIT_BADGE_URL
