"""Law 44/2019: drinks of 15 % ABV or more may not be advertised or promoted.

Banners, campaigns and featured blocks never show them: editors get a clear refusal when they
choose one (`check_promotable`), and the pages filter them out again when rendering
(`promotable`), in case a product's ABV was raised after it was featured.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _
from oscar.apps.catalogue.models import ProductAttributeValue

from catalog.product_classes import ABV


def limit() -> Decimal:
    return Decimal(str(getattr(settings, "ALCOHOL_PROMOTION_LIMIT_ABV", 15)))


def _strong(outer: str = "pk"):
    return ProductAttributeValue.objects.filter(
        attribute__code=ABV, value_float__gte=float(limit())
    ).filter(Q(product=OuterRef(outer)) | Q(product=OuterRef("parent_id")))


def promotable(queryset):
    """Products that may be promoted: without an ABV of the limit or more (theirs or their
    parent's)."""
    return queryset.exclude(Exists(_strong()))


def shown_products(request):
    """What a promotion (featured block, campaign) may show this visitor: products on sale,
    promotable, and no drink before the age gate (`request` None: a visitor who has not passed
    it)."""
    from . import age_gate, queries

    return age_gate.without_drinks(promotable(queries.browsable_products()), request)


def strong_drinks(products) -> dict[int, float]:
    """{product id: ABV} of the products (or their parents) at or over the limit."""
    ids = {product.pk for product in products} | {
        product.parent_id for product in products if getattr(product, "parent_id", None)
    }
    found = dict(
        ProductAttributeValue.objects.filter(
            attribute__code=ABV, value_float__gte=float(limit()), product_id__in=ids
        ).values_list("product_id", "value_float")
    )
    return {
        product.pk: found.get(product.pk, found.get(getattr(product, "parent_id", None)))
        for product in products
        if product.pk in found or getattr(product, "parent_id", None) in found
    }


def refusal(product, abv) -> str:
    return _(
        "“%(product)s” is a drink of %(abv)s%% ABV: Law 44/2019 forbids advertising or "
        "promoting drinks of %(limit)s%% ABV or more, so it cannot be put in a banner, a "
        "campaign or a featured block."
    ) % {"product": product.get_title(), "abv": f"{abv:g}", "limit": f"{limit():g}"}


def check_promotable(products) -> None:
    """Raise ValidationError naming each product that may not be promoted, and why."""
    banned = strong_drinks([product for product in products if product is not None])
    if banned:
        by_id = {product.pk: product for product in products if product is not None}
        raise ValidationError([refusal(by_id[pk], abv) for pk, abv in banned.items()])
