"""Site chrome shown on every page (product groups, footer pages), cached until edited."""

from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oscar.apps.catalogue.models import Category
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished

from catalog import queries

NAV_KEY = "site-chrome:categories"
FOOTER_KEY = "site-chrome:footer-pages"
TIMEOUT = 60 * 60


def nav_categories() -> list[dict]:
    """The OCOP product groups: in the menu, and as tiles and chips on the pages listing them."""
    return cache.get_or_set(
        NAV_KEY, lambda: queries.category_links(queries.top_categories()), TIMEOUT
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

    return cache.get_or_set(FOOTER_KEY, load, TIMEOUT)


@receiver(post_save, sender=Category, dispatch_uid="chrome-category-saved")
@receiver(post_delete, sender=Category, dispatch_uid="chrome-category-deleted")
def forget_categories(**kwargs):
    cache.delete(NAV_KEY)


@receiver(page_published, dispatch_uid="chrome-page-published")
@receiver(page_unpublished, dispatch_uid="chrome-page-unpublished")
@receiver(post_delete, sender=Page, dispatch_uid="chrome-page-deleted")
def forget_pages(**kwargs):
    cache.delete(FOOTER_KEY)
