"""Catalogue browsing and search over the database.

Oscar builds these pages from Haystack queries, which list nothing with its simple backend and
cost one query per product with a real index. These views load a page of products in a fixed
number of queries instead.
"""

import logging

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.apps.catalogue.models import Category

from catalog import age_gate, filters, queries
from shop.cms import navigation

from . import database, engine

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 200


class ProductListView(ListView):
    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    # What the shopper may filter and sort by here (`catalog.filters.refine`).
    filter_options: dict = {}

    def get_context_data(self, **kwargs):
        """Filters, sorting and the age gate apply to whatever products the page starts from."""
        self.listing = filters.refine(
            self.request,
            self.object_list,
            fallback=lambda: database.search(getattr(self, "words", [])),
            **self.filter_options,
        )
        ctx = super().get_context_data(object_list=self.listing.queryset, **kwargs)
        ctx["listing"] = self.listing
        return ctx

    def paginate_queryset(self, queryset, page_size):
        """Any `page` value gives a page: junk means the first, too far means the last."""
        paginator = Paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get("page"))
        return paginator, page, page.object_list, page.has_other_pages()


class CatalogueView(ProductListView):
    template_name = "oscar/catalogue/browse.html"
    filter_options = {"with_categories": True}

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
        if age_gate.is_alcohol_category(self.category) and not age_gate.is_confirmed(request):
            return age_gate.render_gate(request)
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
    """Keyword search (`?q=`); Oscar's name kept so its URL configuration finds it.

    Diacritics and case do not matter (see `database`). With SEARCH_URL set, the engine picks
    and orders the page's products and the database loads them; should the engine fail, the
    shopper gets the database's answer and the error goes to the log.
    """

    template_name = "oscar/search/results.html"
    filter_options = {"with_categories": True, "relevance": True}

    def get_queryset(self):
        self.query = " ".join(self.request.GET.get("q", "").split())[:MAX_QUERY_LENGTH]
        self.words = database.words(self.query)
        self.from_engine = bool(self.words) and engine.configured()
        if self.from_engine:
            try:
                return engine.search(self.words)
            except Exception:  # e.g. the engine's client library is missing
                logger.exception("Search engine unavailable; the database answers")
                self.from_engine = False
        return database.search(self.words)

    def paginate_queryset(self, queryset, page_size):
        # The engine's results, unless filtering already turned them into a product queryset.
        if self.from_engine and not isinstance(queryset, QuerySet):
            try:
                return self._engine_page(queryset, page_size)
            except Exception:
                logger.exception("Search engine failed on %r; the database answers", self.query)
                queryset = database.search(self.words)
        return super().paginate_queryset(queryset, page_size)

    def _engine_page(self, results, page_size):
        paginator, page, hits, is_paginated = super().paginate_queryset(results, page_size)
        ids = [int(hit.pk) for hit in hits]
        products = queries.browsable_products().filter(pk__in=ids).in_bulk()
        # In the engine's order; a product unlisted since it was indexed is left out.
        page.object_list = [products[pk] for pk in ids if pk in products]
        return paginator, page, page.object_list, is_paginated

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["query"] = self.query
        return ctx
