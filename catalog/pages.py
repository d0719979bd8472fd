"""Campaign pages (e.g. Tết gift baskets): a landing page live between a start and an end date,
with products chosen by hand or by rule. Drinks of 15 % ABV or more never appear (Law 44/2019).

The start and end are Wagtail's scheduled publishing (`go_live_at`, `expire_at`), edited on the
content tab and required to submit or publish; `manage.py publish_scheduled` (Celery beat,
`catalog.tasks.publish_scheduled_pages`) puts the campaign online and takes it off. Until that
job has run, a campaign past its end says it has ended and sells nothing.

Campaigns go through review (`catalog.workflows`): officers submit, reviewers publish.
"""

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField

from shop.cms.blocks import ContentBlocks
from shop.cms.forms import ScopedChoicesPageForm
from shop.cms.sharing import BannerPage, SharedPage

from . import workflows
from .selection_blocks import SelectionBlock


class CampaignPageForm(ScopedChoicesPageForm):
    """Start and end are required to submit or publish (not to save a draft), end after start."""

    @property
    def show_schedule_publishing_toggle(self):
        # The dates are on the content tab; the side panel's scheduling dialog is not there.
        return False

    def clean(self):
        cleaned_data = super().clean()
        start, end = cleaned_data.get("go_live_at"), cleaned_data.get("expire_at")
        if not self.is_deferred_validation:
            if start is None and "go_live_at" not in self.errors:
                self.add_error("go_live_at", _("Set when the campaign starts."))
            if end is None and "expire_at" not in self.errors:
                self.add_error("expire_at", _("Set when the campaign ends."))
        if start and end and end <= start:
            # Wagtail's own message names "go live" and "expiry": say it in campaign words.
            for name in ("go_live_at", "expire_at"):
                self.errors.pop(name, None)
            self.add_error(
                "expire_at",
                forms.ValidationError(
                    _("The campaign must end after it starts (start %(start)s).")
                    % {"start": timezone.localtime(start).strftime("%d/%m/%Y %H:%M")}
                ),
            )
        return cleaned_data


class CampaignPage(BannerPage):
    class Layout(models.TextChoices):
        GRID = "grid", _("Product grid")
        SHOWCASE = "showcase", _("Showcase: the first products large")

    tagline = models.CharField(_("tagline"), max_length=250, blank=True)
    layout = models.CharField(
        _("layout"), max_length=12, choices=Layout.choices, default=Layout.GRID
    )
    show_on_home_page = models.BooleanField(
        _("show on the home page"),
        default=True,
        help_text=_("While it runs, the campaign's banner appears on the home page."),
    )
    selection = StreamField(SelectionBlock(), blank=True, verbose_name=_("products"))
    body = StreamField(ContentBlocks(), blank=True, verbose_name=_("body"))

    content_panels = SharedPage.content_panels + [
        FieldPanel("tagline"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("go_live_at", heading=_("Starts")),
                        FieldPanel("expire_at", heading=_("Ends")),
                    ]
                )
            ],
            heading=_("Campaign dates"),
            help_text=_(
                "The campaign goes online at its start and comes off at its end, once a "
                "reviewer has approved it."
            ),
        ),
        FieldPanel("banner_image"),
        FieldPanel("layout"),
        FieldPanel("show_on_home_page"),
        FieldPanel("selection"),
        FieldPanel("body"),
    ]
    # The dates are on the content tab: leave Wagtail's scheduling panel out of the settings.
    settings_panels = [
        panel
        for panel in SharedPage.settings_panels
        if getattr(panel, "path", "") != "wagtail.admin.panels.PublishingPanel"
    ]
    base_form_class = CampaignPageForm
    parent_page_types = ["cooperatives.RegionPage", "cms.HomePage"]
    subpage_types: list[str] = []
    template = "catalog/campaign_page.html"

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    @property
    def has_ended(self) -> bool:
        """Past its end, even if the job that unpublishes it has not run yet."""
        return self.expire_at is not None and self.expire_at <= timezone.now()

    def get_context(self, request, *args, **kwargs):
        from . import campaigns

        context = super().get_context(request, *args, **kwargs)
        context["has_ended"] = self.has_ended
        context["products"] = [] if self.has_ended else campaigns.products_for(self, request)
        return context

    def permissions_for_user(self, user):
        return workflows.CampaignPermissionTester(user, self)

    def get_workflow(self):
        return workflows.campaign_workflow() or super().get_workflow()

    @property
    def has_workflow(self):
        return self.get_workflow() is not None
