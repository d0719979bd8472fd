"""The sections of /sitemap.xml, each paginated at 50 000 addresses (Django's default).

Every address is built on the host of the request (like the canonical links of the pages), not
on the `django.contrib.sites` record. Each section costs a constant number of queries, whatever
the size of the catalogue: addresses are computed from the listed rows alone.

Alcoholic drinks are left out: a crawler has not confirmed being 18 (`catalog.age_gate`), so
their pages show it the age gate, which is `noindex`. Categories are listed when they hold at
least one product a crawler can see.
"""

from django.contrib.sitemaps import Sitemap as DjangoSitemap
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from oscar.apps.catalogue.models import Category, Product
from wagtail.contrib.sitemaps import Sitemap as WagtailSitemap

from catalog import age_gate, queries
from cooperatives.models import Cooperative


class RequestSitemap(WagtailSitemap):
    """A sitemap of addresses on the request's scheme and host.

    Wagtail's base class is kept for its constructor (`wagtail.contrib.sitemaps.views` hands it
    the request) and its `items()` of pages; Django's own `_urls` lists the addresses.
    """

    _urls = DjangoSitemap._urls

    def get_protocol(self, protocol=None):
        return self.request.scheme

    def get_domain(self, site=None):
        return self.request.get_host()

    def get_latest_lastmod(self):
        """The index leaves a section's date out rather than load all its rows to find it."""
        return None


class PageSitemap(RequestSitemap):
    """Live, public Wagtail pages of the request's site (unpublished, expired, private: out)."""

    def location(self, page):
        return page.get_url(self.request)


def visible_products():
    """Products a crawler may see: browsable, sold by an active cooperative, not alcoholic."""
    return (
        Product.objects.browsable()
        .filter(queries.sold_by_active_cooperative())
        .exclude(age_gate.alcoholic_condition())
    )


class ProductSitemap(RequestSitemap):
    def items(self):
        return visible_products().only("pk", "slug", "date_updated").order_by("pk")

    def lastmod(self, product):
        return product.date_updated

    def get_latest_lastmod(self):
        return visible_products().aggregate(latest=Max("date_updated"))["latest"]

    def location(self, product):
        return product.get_absolute_url()


class CooperativeSitemap(RequestSitemap):
    def items(self):
        return Cooperative.objects.filter(is_active=True).only("pk", "slug").order_by("pk")

    def lastmod(self, cooperative):
        return None

    def location(self, cooperative):
        return cooperative.get_absolute_url()


class CategorySitemap(RequestSitemap):
    """Public categories with a visible product in them or below them.

    Oscar's `Category.get_absolute_url` asks the database for each category's ancestors; here
    the full slug is joined from the listed categories' tree paths instead.
    """

    def items(self):
        listed = visible_products().filter(categories__path__startswith=OuterRef("path"))
        categories = list(
            Category.objects.browsable()
            .annotate(has_products=Exists(listed))
            .only("pk", "path", "depth", "slug")
            .order_by("path")
        )
        slugs = {category.path: category.slug for category in categories}
        listed_categories = []
        for category in categories:
            ancestry = [
                slugs.get(category.path[: Category.steplen * level])
                for level in range(1, category.depth + 1)
            ]
            if category.has_products and None not in ancestry:
                category.full_slug_from_path = Category._slug_separator.join(ancestry)
                listed_categories.append(category)
        return listed_categories

    def lastmod(self, category):
        return None

    def location(self, category):
        return reverse(
            "catalogue:category",
            kwargs={"category_slug": category.full_slug_from_path, "pk": category.pk},
        )


SECTIONS = {
    "pages": PageSitemap,
    "products": ProductSitemap,
    "cooperatives": CooperativeSitemap,
    "categories": CategorySitemap,
}
