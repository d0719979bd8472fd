"""Catalogue browsing and search over the database.

Oscar builds these pages from Haystack queries, which list nothing with its simple backend and
cost one query per product with a real index. These views load a page of products in a fixed
number of queries instead.
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.apps.catalogue.models import Category

from catalog import queries
from shop.cms import navigation

MAX_QUERY_LENGTH = 200


class ProductListView(ListView):
    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE

    def paginate_queryset(self, queryset, page_size):
        """Any `page` value gives a page: junk means the first, too far means the last."""
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()


class CatalogueView(ProductListView):
    template_name = "oscar/catalogue/browse.html"

    def get_queryset(self):
        return queries.browsable_products()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("All products")
        ctx["categories"] = navigation.nav_categories()
        return ctx


class ProductCategoryView(ProductListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = get_object_or_404(Category.objects.browsable(), pk=kwargs["pk"])
        expected = self.category.get_absolute_url()
        if request.path != expected:
            # The slug changed (or was mistyped): the id is what counts.
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return queries.products_in_category(self.category)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["ancestors"] = self.category.get_ancestors()
        ctx["subcategories"] = queries.category_links(
            self.category.get_children().filter(is_public=True)
        )
        return ctx


class FacetedSearchView(ProductListView):
    """Keyword search (`?q=`); Oscar's name kept so its URL configuration finds it."""

    template_name = "oscar/search/results.html"

    def get_queryset(self):
        self.query = " ".join(self.request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
        return queries.search_products(self.query)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["query"] = self.query
        return ctx
