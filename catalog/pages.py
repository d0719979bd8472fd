"""Campaign pages (e.g. Tết gift baskets): a landing page live between a start and an end date,
with products chosen by hand or by rule. Drinks of 15 % ABV or more never appear (Law 44/2019)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from shop.cms.blocks import ContentBlocks
from shop.cms.sharing import SharedPage


class CampaignPage(SharedPage):
    class Layout(models.TextChoices):
        GRID = "grid", _("Product grid")
        SHOWCASE = "showcase", _("Showcase: the first products large")

    tagline = models.CharField(_("tagline"), max_length=250, blank=True)
    banner_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("banner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    layout = models.CharField(
        _("layout"), max_length=12, choices=Layout.choices, default=Layout.GRID
    )
    show_on_home_page = models.BooleanField(
        _("show on the home page"),
        default=True,
        help_text=_("While it runs, the campaign's banner appears on the home page."),
    )
    selection = StreamField(ContentBlocks(), blank=True, verbose_name=_("products"))
    body = StreamField(ContentBlocks(), blank=True, verbose_name=_("body"))

    content_panels = SharedPage.content_panels + [
        FieldPanel("tagline"),
        FieldPanel("banner_image"),
        FieldPanel("layout"),
        FieldPanel("show_on_home_page"),
        FieldPanel("selection"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cooperatives.RegionPage", "cms.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
