"""Region pages (a region's communes, cooperatives and campaigns) and cooperative story pages.

Each region has one RegionPage; its officers' group holds the Wagtail page permissions on that
subtree (`cooperatives.regions`), so an officer edits only the pages of its own region.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from shop.cms.blocks import ContentBlocks
from shop.cms.sharing import SharedPage


class RegionIndexPage(SharedPage):
    """The list of regions (/vung/)."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = SharedPage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cooperatives.RegionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("list of regions")


class RegionPage(SharedPage):
    """A region's landing page: its story, featured products and cooperatives, its campaigns."""

    region = models.OneToOneField(
        "cooperatives.Region",
        verbose_name=_("region"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="page",
    )
    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    banner_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("banner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ContentBlocks(), blank=True, verbose_name=_("body"))

    content_panels = SharedPage.content_panels + [
        FieldPanel("region"),
        FieldPanel("intro"),
        FieldPanel("banner_image"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cooperatives.RegionIndexPage"]
    subpage_types = ["cooperatives.CooperativeStoryPage", "catalog.CampaignPage"]

    class Meta:
        verbose_name = _("region page")


class CooperativeStoryPage(SharedPage):
    """A cooperative's story told with pictures, linked to its record (and so to its products)."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="story_pages",
    )
    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    banner_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("banner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(ContentBlocks(), blank=True, verbose_name=_("body"))

    content_panels = SharedPage.content_panels + [
        FieldPanel("cooperative"),
        FieldPanel("intro"),
        FieldPanel("banner_image"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cooperatives.RegionPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("cooperative story")
        verbose_name_plural = _("cooperative stories")
