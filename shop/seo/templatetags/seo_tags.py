"""The <head> tags of a shared link: `{% social_meta %}` in base.html (Wagtail pages and the
site's defaults), `{% product_social_meta %}` and `{% cooperative_social_meta %}` on those pages."""

from django import template
from wagtail.models import Page

from shop.seo import sharing

register = template.Library()

SOCIAL_TEMPLATE = "seo/social_meta.html"


@register.inclusion_tag(SOCIAL_TEMPLATE, takes_context=True)
def social_meta(context, canonical=True):
    """A Wagtail page's own title, description and picture; the market's for other pages."""
    request = context.get("request")
    page = context.get("page")
    if isinstance(page, Page) and request is not None:
        return {"sharing": sharing.for_page(page, request)}
    return {"sharing": sharing.site_default(request, canonical=canonical)}


@register.inclusion_tag(SOCIAL_TEMPLATE, takes_context=True)
def product_social_meta(context, product, cooperative=None, certificate=None):
    return {
        "sharing": sharing.for_product(
            product, context.get("request"), cooperative=cooperative, certificate=certificate
        )
    }


@register.inclusion_tag(SOCIAL_TEMPLATE, takes_context=True)
def cooperative_social_meta(context, cooperative, photos=()):
    return {"sharing": sharing.for_cooperative(cooperative, context.get("request"), photos)}


@register.filter
def ld_json(data):
    return sharing.ld_json(data)
