"""Wagtail choosers on Oscar's products, for featured-product and campaign blocks.

Officers see only the products of their own regions (`cooperatives.regions.products_for`), and
never drinks of 15 % ABV or more (`catalog.promotion`).
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet

from cooperatives import regions

from . import promotion, queries


class ProductChooserMixin:
    def get_object_list(self):
        products = promotion.promotable(queries.browsable_products())
        return regions.products_for(self.request.user, products)


class ProductChooseView(ProductChooserMixin, ChooseView):
    pass


class ProductChooseResultsView(ProductChooserMixin, ChooseResultsView):
    pass


class ProductChooserViewSet(ChooserViewSet):
    model = "catalogue.Product"
    icon = "pick"
    choose_one_text = _("Choose a product")
    choose_another_text = _("Choose another product")
    edit_item_text = _("Edit product")
    choose_view_class = ProductChooseView
    choose_results_view_class = ProductChooseResultsView


product_chooser_viewset = ProductChooserViewSet("product_chooser", url_prefix="product-chooser")
