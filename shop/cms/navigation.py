"""Site chrome shown on every page (product groups, footer pages), cached until content changes."""

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import PageViewRestriction, Site

from catalog import queries
from shop.pagecache import versions

NAV_KEY = "site-chrome:categories"
FOOTER_KEY = "site-chrome:footer-pages"
TIMEOUT = 60 * 60


def nav_categories() -> list[dict]:
    """The OCOP product groups: in the menu, and as tiles and chips on the pages listing them."""
    return cache.get_or_set(
        versions.key(NAV_KEY), lambda: queries.category_links(queries.top_categories()), TIMEOUT
    )


def without_private(pages):
    """`pages` minus those in a private section (a view restriction on them or an ancestor), in
    the same query: Wagtail's `.public()` first loads every restriction with a query of its own."""
    restricted = PageViewRestriction.objects.filter(
        page__path=Substr(OuterRef("path"), 1, Length("page__path"))
    )
    return pages.exclude(Exists(restricted))


def footer_pages() -> list[dict]:
    from .models import StandardPage  # models import this module

    def load():
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            return []
        pages = (
            without_private(site.root_page.get_children().live().in_menu())
            # Policy pages have their own list in the footer (shop.cms.policies).
            .exclude(id__in=StandardPage.objects.exclude(policy="").values("id"))
            .specific(defer=True)
        )
        return [{"title": page.title, "url": page.get_url()} for page in pages]

    return cache.get_or_set(versions.key(FOOTER_KEY), load, TIMEOUT)
