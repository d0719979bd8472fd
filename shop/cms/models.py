from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page

from catalog import age_gate, queries

from . import navigation
from .blocks import ContentBlocks

NEW_PRODUCTS_ON_HOME = 8


class HomePage(Page):
    """The front door: a welcome, the product groups and the newest products of the market."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.CharField(_("hero text"), max_length=250, blank=True)
    body = StreamField(ContentBlocks(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = navigation.nav_categories()
        # Alcoholic drinks only for visitors who confirmed being 18 or older (catalog.age_gate).
        products = age_gate.without_drinks(queries.browsable_products(), request)
        context["new_products"] = products[:NEW_PRODUCTS_ON_HOME]
        return context


class StandardPage(Page):
    """A plain content page: policies, about us, help."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    body = StreamField(ContentBlocks(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("standard page")
