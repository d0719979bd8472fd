"""Wagtail choosers on Oscar's products and categories, for the featured and tile blocks.

Officers see only the products of their own regions (`cooperatives.regions.products_for`), and
never drinks of 15 % ABV or more (`catalog.promotion`). The "chosen" step answers 404 outside
that list too, so a hand-made URL cannot slip another region's product into a block.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.models import Category
from oscar.templatetags.currency_filters import currency
from wagtail.admin.ui.tables import Column

from cooperatives import regions
from shop.apps.search.database import words
from shop.choosers import ScopedChooserViewSet

from . import promotion, queries


def _first_stock_record(product):
    records = list(product.stockrecords.all())  # prefetched by queries.with_card_data
    return records[0] if records else None


def product_price(product) -> str:
    record = _first_stock_record(product)
    if record is None or record.price is None:
        return "—"
    return currency(record.price, record.price_currency)


def product_cooperative(product) -> str:
    record = _first_stock_record(product)
    if record is None:
        return "—"
    cooperative = getattr(record.partner, "cooperative", None)
    return cooperative.name if cooperative else record.partner.name


def choosable_products(user):
    """What this user may feature: its regions' products that the law lets be promoted."""
    return regions.products_for(user, promotion.promotable(queries.browsable_products()))


def product_matching(query) -> Q:
    """The product's title as typed, or every word typed without diacritics in its title or
    cooperative: officers type "ruou men" on phones."""
    folded = Q()
    for word in words(query):
        folded &= Q(search_text__title__contains=f" {word}") | Q(
            search_text__extra__contains=f" {word}"
        )
    return Q(title__icontains=query) | folded if folded else Q(title__icontains=query)


class ProductChooserViewSet(ScopedChooserViewSet):
    model = "catalogue.Product"
    icon = "pick"
    choose_one_text = _("Choose a product")
    choose_another_text = _("Choose another product")
    edit_item_text = _("Edit product")
    search_placeholder = _("Name or cooperative")
    matching = staticmethod(product_matching)
    extra_columns = (
        Column("price", label=_("Price"), accessor=product_price),
        Column("cooperative", label=_("Cooperative"), accessor=product_cooperative),
    )

    def choosable(self, user):
        return choosable_products(user)


product_chooser_viewset = ProductChooserViewSet("product_chooser", url_prefix="product-chooser")


def indented_name(category) -> str:
    """The name, indented by depth: the tree reads at a glance without a query per row."""
    return "— " * (category.depth - 1) + category.name


class CategoryChooserViewSet(ScopedChooserViewSet):
    model = "catalogue.Category"
    icon = "folder-open-inverse"
    choose_one_text = _("Choose a product group")
    choose_another_text = _("Choose another product group")
    edit_item_text = _("Edit product group")
    search_placeholder = _("Name of the group")
    title_accessor = staticmethod(indented_name)
    per_page = 30
    # Only blocks use it: Oscar's own category fields keep their widgets.
    register_widget = False

    @staticmethod
    def matching(query) -> Q:
        return Q(name__icontains=query)

    def choosable(self, user):
        return Category.objects.browsable().order_by("path")


category_chooser_viewset = CategoryChooserViewSet("category_chooser", url_prefix="category-chooser")
