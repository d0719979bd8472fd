"""Region pages (a region's communes, cooperatives and campaigns) and cooperative story pages.

Each region has one RegionPage; its officers' group holds the Wagtail page permissions on that
subtree (`cooperatives.regions`), so an officer edits only the pages of its own region.
A page never fails on a deleted region or cooperative: it shows what is left.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from shop.addresses import units
from shop.cms.blocks import ContentBlocks
from shop.cms.forms import ScopedChoicesPageForm
from shop.cms.sharing import BannerPage, SharedPage

PRODUCTS_ON_REGION_PAGE = 12
PRODUCTS_ON_STORY_PAGE = 8


def _region_products(codes, request):
    from catalog import age_gate, queries

    products = queries.browsable_products().filter(
        queries.sold_by_active_cooperative(commune_code__in=codes)
    )
    return age_gate.without_drinks(products, request)[:PRODUCTS_ON_REGION_PAGE]


class RegionIndexPage(SharedPage):
    """The list of regions (/vung/)."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = SharedPage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cooperatives.RegionPage"]
    max_count = 1

    class Meta:
        verbose_name = _("list of regions")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["region_pages"] = (
            RegionPage.objects.live()
            .child_of(self)
            .select_related("region")
            .prefetch_related("banner_image__renditions")
            .order_by("title")
        )
        return context


class RegionPage(BannerPage):
    """A region's landing page: its story, featured products and cooperatives, its campaigns."""

    region = models.OneToOneField(
        "cooperatives.Region",
        verbose_name=_("region"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="page",
    )
    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    body = StreamField(ContentBlocks(), blank=True, verbose_name=_("body"))

    content_panels = SharedPage.content_panels + [
        # Which region a page presents is the platform staff's choice, not its officers'.
        FieldPanel("region", permission="cooperatives.change_region"),
        FieldPanel("intro"),
        FieldPanel("banner_image"),
        FieldPanel("body"),
    ]
    parent_page_types = ["cooperatives.RegionIndexPage"]
    subpage_types = ["cooperatives.CooperativeStoryPage", "catalog.CampaignPage"]

    class Meta:
        verbose_name = _("region page")

    def clean(self):
        super().clean()
        if (
            self.region_id
            and RegionPage.objects.filter(region_id=self.region_id).exclude(pk=self.pk).exists()
        ):
            message = _("This region already has its page; edit that one instead.")
            raise ValidationError({"region": ValidationError(message, code="region_has_page")})

    def get_context(self, request, *args, **kwargs):
        from catalog.blocks import running_now
        from catalog.pages import CampaignPage

        context = super().get_context(request, *args, **kwargs)
        region = self.region
        codes = region.commune_codes if region else []
        communes = [unit for code in codes if (unit := units.commune(code))]
        context["communes"] = sorted(communes, key=lambda unit: units._sort_key(unit.name))
        context["cooperatives"] = (
            list(region.cooperatives().filter(is_active=True).order_by("legal_name"))
            if region
            else []
        )
        context["products"] = _region_products(codes, request) if codes else []
        context["campaigns"] = (
            CampaignPage.objects.live()
            .child_of(self)
            .filter(running_now())
            .prefetch_related("banner_image__renditions")
            .order_by("-go_live_at", "-first_published_at")
        )
        context["stories"] = (
            CooperativeStoryPage.objects.live()
            .child_of(self)
            .prefetch_related("banner_image__renditions")
            .order_by("title")
        )
        return context


class CooperativeStoryPageForm(ScopedChoicesPageForm):
    """The story's cooperative: one of the parent region's cooperatives (and the officer's)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import regions
        from .models import Cooperative

        field = self.fields["cooperative"]
        cooperatives = regions.cooperatives_for(self.for_user, Cooperative.objects.all())
        if (region := self.parent_region()) is not None:
            cooperatives = cooperatives.filter(commune_code__in=region.commune_codes)
        field.queryset = cooperatives.order_by("legal_name")
        field.error_messages["required"] = _(
            "Choose the cooperative this story is about. If its cooperative was deleted, "
            "choose another one or unpublish the story."
        )
        field.error_messages["invalid_choice"] = _(
            "Choose one of this region's cooperatives: the story belongs to the region whose "
            "page it is under."
        )
        cooperative_id = self.instance.cooperative_id
        if self.instance.pk and not Cooperative.objects.filter(pk=cooperative_id).exists():
            field.help_text = _(
                "This story's cooperative was deleted: the page shows the story without its "
                "products. Choose another cooperative, or unpublish the story."
            )

    def parent_region(self):
        parent = self.parent_page.specific if self.parent_page is not None else None
        return getattr(parent, "region", None)


class CooperativeStoryPage(BannerPage):
    """A cooperative's story told with pictures, linked to its record (and so to its products)."""

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="story_pages",
    )
    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    body = StreamField(ContentBlocks(), blank=True, verbose_name=_("body"))

    base_form_class = CooperativeStoryPageForm
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

    def shop_cooperative(self):
        """The cooperative whose shop the story shows: none once deleted or made inactive."""
        cooperative = self.cooperative if self.cooperative_id else None
        return cooperative if cooperative is not None and cooperative.is_active else None

    def get_context(self, request, *args, **kwargs):
        from catalog import age_gate

        from .views import products_of

        context = super().get_context(request, *args, **kwargs)
        cooperative = self.shop_cooperative()
        context["cooperative"] = cooperative
        context["products"] = (
            age_gate.without_drinks(products_of(cooperative), request)[:PRODUCTS_ON_STORY_PAGE]
            if cooperative
            else []
        )
        return context
