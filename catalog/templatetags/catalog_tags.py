"""Template helpers for product cards and pages.

Card helpers (`product_picture`, `producer_of`, `ocop_badge` in a list) read prefetched data
only; the product-page helpers (`ocop_certificate` without prefetch, `cooperative_of`,
`product_facts`, `is_alcoholic`) cost one query each.
"""

from django import template
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import QueryDict
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.utils.text import Truncator

from catalog import age_gate, facts, images, trace
from catalog.models import OcopCertificate
from cooperatives.models import Cooperative
from shop.richtext import sanitize_html

register = template.Library()


def _first(related_manager):
    items = list(related_manager.all())
    return items[0] if items else None


@register.inclusion_tag("catalog/picture.html")
def product_picture(product, sizes="(min-width: 900px) 25vw, 50vw", eager=False):
    """A responsive <img> of the product's first photo, or a placeholder."""
    image = _first(product.images)
    name = image.original.name if image and image.original else ""
    return {
        "src": images.rendition_url(name, images.WIDTHS[1]) if name else images.placeholder_url(),
        "srcset": images.srcset(name) if name else "",
        "sizes": sizes,
        "alt": (image.caption if image and image.caption else product.get_title()),
        "eager": eager,
    }


@register.simple_tag
def producer_of(product):
    """The cooperative (or partner) selling the product, from its first stock record."""
    record = _first(product.stockrecords)
    if record is None:
        return None
    partner = record.partner
    return getattr(partner, "cooperative", None) or partner


@register.simple_tag
def ocop_certificate(product):
    """The certificate in force behind the product's star badge, or None.

    Product lists prefetch them (`queries.with_card_data`, in `certificates_in_force`); a product
    page asks the database. Never a value typed on the product.
    """
    prefetched = getattr(product, "certificates_in_force", None)
    if prefetched is not None:
        return prefetched[0] if prefetched else None
    return (
        OcopCertificate.objects.in_force()
        .filter(products=product.parent_id or product.pk)
        .order_by("-stars", "-signed_on", "-pk")
        .first()
    )


@register.inclusion_tag("catalog/ocop_badge.html")
def ocop_badge(product=None, certificate=None, large=False):
    """ "OCOP 4★" from the certificate in force; nothing without one."""
    if certificate is None and product is not None:
        certificate = ocop_certificate(product)
    return {"certificate": certificate, "large": large}


@register.simple_tag
def cooperative_of(product):
    """The active cooperative selling the product (one query), for its card and origin."""
    return (
        Cooperative.objects.filter(
            Q(partner__stockrecords__product=product)
            | Q(partner__stockrecords__product__parent=product),
            is_active=True,
        )
        .order_by("partner__stockrecords__pk")
        .first()
    )


@register.simple_tag
def product_facts(product):
    """The product's attributes, sorted for the page (one query): origin, facts, alcohol block."""
    return facts.for_product(product)


@register.filter
def trace_path(product):
    return trace.path_for(product.pk)


@register.filter
def trace_code(product):
    return trace.code_for(product.pk)


@register.filter
def story_html(text):
    """A story as HTML: sanitised when it has tags, paragraphs from line breaks when plain."""
    if not text:
        return ""
    text = str(text)
    if "<" not in text:
        return mark_safe(linebreaks(text, autoescape=True))  # noqa: S308 (escaped)
    return mark_safe(sanitize_html(text))  # noqa: S308 (sanitised just now)


@register.filter
def story_excerpt(text, words=45):
    """The beginning of a story, sanitised, with its tags kept balanced."""
    html = story_html(text)
    return mark_safe(Truncator(html).words(int(words), html=True))  # noqa: S308 (sanitised)


@register.filter
def is_alcoholic(product):
    return age_gate.is_alcoholic(product)


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current address on another page: filters, sort and search words are kept."""
    request = context.get("request")
    params = request.GET.copy() if request is not None else QueryDict(mutable=True)
    params["page"] = str(number)
    return "?" + params.urlencode()


@register.inclusion_tag("catalog/picture.html")
def photo_picture(image_field, alt="", sizes="(min-width: 900px) 33vw, 100vw"):
    """A responsive <img> of an uploaded photo (cooperative photos): WebP renditions when they
    were made (`catalog.receivers`), else the original, sized by the page."""
    name = image_field.name if image_field else ""
    if not name:
        return {"src": images.placeholder_url(), "srcset": "", "alt": alt, "sizes": sizes}
    has_renditions = cache.get_or_set(
        f"renditions:{name}",
        lambda: default_storage.exists(images.rendition_name(name, images.WIDTHS[-1])),
        60 * 60,
    )
    return {
        "src": images.rendition_url(name, images.WIDTHS[-1]) if has_renditions else image_field.url,
        "srcset": images.srcset(name) if has_renditions else "",
        "sizes": sizes,
        "alt": alt,
        "eager": False,
    }
