"""Template helpers for product cards and pages; they read prefetched data only."""

from django import template

from catalog import images

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
