"""Product lists loaded in a constant number of queries, whatever the size of the catalogue."""

from django.db.models import Exists, OuterRef, Prefetch, Q
from oscar.apps.catalogue.models import Category, Product, ProductImage
from oscar.apps.partner.models import StockRecord

from catalog.models import OcopCertificate


def with_card_data(queryset):
    """Everything a product card shows: class (for stock rules), first photo, price, producer,
    and the certificates in force (for the star badge, in `certificates_in_force`)."""
    return queryset.select_related("product_class").prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
        Prefetch(
            "stockrecords",
            queryset=StockRecord.objects.select_related("partner__cooperative").order_by("pk"),
        ),
        Prefetch(
            "ocop_certificates",
            queryset=OcopCertificate.objects.in_force().order_by("-stars", "-signed_on"),
            to_attr="certificates_in_force",
        ),
    )


def sold_by(**cooperative):
    """Condition: the product (or one of its variants) has stock at a cooperative matching
    these lookups, e.g. `sold_by(commune_code__in=codes)`."""
    lookups = {f"partner__cooperative__{key}": value for key, value in cooperative.items()}
    return Exists(
        StockRecord.objects.filter(
            Q(product=OuterRef("pk")) | Q(product__parent=OuterRef("pk")), **lookups
        )
    )


def sold_by_active_cooperative(**cooperative):
    """Condition: sold by an active cooperative (matching these lookups, if any).

    Products of inactive cooperatives are hidden from shoppers (`Cooperative.is_active`).
    """
    return sold_by(is_active=True, **cooperative)


def browsable_products():
    return with_card_data(
        Product.objects.browsable().filter(sold_by_active_cooperative())
    ).order_by("-date_created", "-pk")


def products_in_category(category):
    """Products of a category and of all its subcategories."""
    subtree = Category.objects.filter(path__startswith=category.path).values("pk")
    return browsable_products().filter(
        pk__in=Product.objects.filter(categories__in=subtree).values("pk")
    )


def top_categories():
    return Category.objects.browsable().filter(depth=1).order_by("path")


def category_links(categories) -> list[dict]:
    """Name and address of each category, as menus, tiles and chips show them."""
    return [{"name": category.name, "url": category.get_absolute_url()} for category in categories]
