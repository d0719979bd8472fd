from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField

from catalog import age_gate, queries
from catalog.blocks import running_now
from catalog.pages import CampaignPage

from . import navigation
from .blocks import ContentBlocks, HomeBlocks
from .sharing import SharedPage

NEW_PRODUCTS_ON_HOME = 8
CAMPAIGNS_ON_HOME = 3


class HomePage(SharedPage):
    """The front door: a welcome, the campaigns running now, the blocks officers compose
    (banners, featured products and cooperatives, tiles, text), the product groups and the
    newest products of the market."""

    hero_title = models.CharField(_("hero title"), max_length=120)
    hero_text = models.CharField(_("hero text"), max_length=250, blank=True)
    body = StreamField(HomeBlocks(), blank=True, verbose_name=_("body"))

    content_panels = SharedPage.content_panels + [
        FieldPanel("hero_title"),
        FieldPanel("hero_text"),
        FieldPanel("body"),
    ]

    max_count = 1
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["cms.StandardPage", "cooperatives.RegionIndexPage", "catalog.CampaignPage"]

    class Meta:
        verbose_name = _("home page")

    def clean(self):
        super().clean()
        if self.expire_at:
            raise ValidationError(
                {"expire_at": _("The home page cannot have an end date: the shop would go dark.")}
            )

    def permissions_for_user(self, user):
        """Officers edit and publish this page, not the pages below it (`cooperatives.regions`)."""
        from cooperatives.regions import HomePagePermissionTester

        return HomePagePermissionTester(user, self)

    def running_campaigns(self):
        """Campaigns of this site running now and marked for the home page, newest first, except
        those an editor already placed in the body as a banner (shown once, where placed):
        one query for the pages and their banners, one for the banners' renditions."""
        placed = [
            block["value"].get("campaign")
            for block in self.body.raw_data
            if block["type"] == "campaign_banner"
        ]
        return (
            CampaignPage.objects.live()
            .descendant_of(self)
            .filter(running_now(), show_on_home_page=True)
            .exclude(pk__in=[pk for pk in placed if pk])
            .select_related("banner_image")
            .prefetch_related("banner_image__renditions")
            .order_by("-go_live_at", "-first_published_at")[:CAMPAIGNS_ON_HOME]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["categories"] = navigation.nav_categories()
        context["campaigns"] = self.running_campaigns()
        # Alcoholic drinks only for visitors who confirmed being 18 or older (catalog.age_gate).
        products = age_gate.without_drinks(queries.browsable_products(), request)
        context["new_products"] = products[:NEW_PRODUCTS_ON_HOME]
        return context


class StandardPage(SharedPage):
    """A plain content page: about us, help, and the policies e-commerce rules require."""

    class Policy(models.TextChoices):
        OPERATOR = "operator", _("Operator information")
        TERMS = "terms", _("Terms and operating rules")
        PRIVACY = "privacy", _("Privacy and personal-data notice")
        RETURNS = "returns", _("Returns and refunds")
        SHIPPING = "shipping", _("Shipping")
        PAYMENT = "payment", _("Payment")
        COMPLAINTS = "complaints", _("Complaint handling")

    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    body = StreamField(ContentBlocks(), blank=True, verbose_name=_("body"))
    policy = models.CharField(
        _("policy"),
        max_length=12,
        choices=Policy.choices,
        blank=True,
        help_text=_("Which required policy this page is; leave empty for other pages."),
    )
    version = models.CharField(
        _("version"),
        max_length=20,
        blank=True,
        help_text=_("Change it when the text changes: shoppers' consent records this version."),
    )
    effective_on = models.DateField(_("in force from"), null=True, blank=True)

    content_panels = SharedPage.content_panels + [
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("policy"),
        FieldPanel("version"),
        FieldPanel("effective_on"),
    ]

    class Meta:
        verbose_name = _("standard page")


class PolicyConsent(models.Model):
    """A shopper's explicit consent to a policy (the privacy notice) when placing an order:
    which version, when, from where. Evidence under Law 91/2025 (consent must be reproducible)."""

    order = models.ForeignKey(
        "order.Order",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="policy_consents",
    )
    policy = models.CharField(_("policy"), max_length=12, choices=StandardPage.Policy.choices)
    version = models.CharField(_("version"), max_length=20)
    consented_at = models.DateTimeField(_("consented at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("policy consent")
        verbose_name_plural = _("policy consents")
        constraints = [
            models.UniqueConstraint(fields=["order", "policy"], name="one_consent_per_policy")
        ]

    def __str__(self):
        return f"{self.order_id}: {self.policy} {self.version}"
