"""Product lists loaded in a constant number of queries, whatever the size of the catalogue."""

from django.db.models import Prefetch, Q
from oscar.apps.catalogue.models import Category, Product, ProductImage
from oscar.apps.partner.models import StockRecord


def with_card_data(queryset):
    """Everything a product card shows: class (for stock rules), first photo, price, producer."""
    return queryset.select_related("product_class").prefetch_related(
        Prefetch("images", queryset=ProductImage.objects.order_by("display_order", "pk")),
        Prefetch(
            "stockrecords",
            queryset=StockRecord.objects.select_related("partner__cooperative").order_by("pk"),
        ),
    )


def browsable_products():
    return with_card_data(Product.objects.browsable()).order_by("-date_created", "-pk")


def products_in_category(category):
    """Products of a category and of all its subcategories."""
    subtree = Category.objects.filter(path__startswith=category.path).values("pk")
    return browsable_products().filter(
        pk__in=Product.objects.filter(categories__in=subtree).values("pk")
    )


def search_products(query: str):
    words = query.split()[:8]
    condition = Q()
    for word in words:
        condition &= Q(title__icontains=word) | Q(description__icontains=word)
    return browsable_products().filter(condition) if words else Product.objects.none()


def top_categories():
    return Category.objects.browsable().filter(depth=1).order_by("path")


def category_links(categories) -> list[dict]:
    """Name and address of each category, as menus, tiles and chips show them."""
    return [{"name": category.name, "url": category.get_absolute_url()} for category in categories]
