"""What a page shows when its link is shared on Zalo or Facebook (Open Graph), any page type."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from .forms import ScopedChoicesPageForm


class SharedPage(Page):
    """A page with its own picture for shared links (the page's banner is used when empty)."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("picture for shared links"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Shown when the link is shared on Zalo or Facebook; 1200 × 630 works best."),
    )

    promote_panels = Page.promote_panels + [FieldPanel("social_image")]
    base_form_class = ScopedChoicesPageForm

    class Meta:
        abstract = True

    def sharing_image(self):
        """The picture of shared links: this one, else the page's banner (if it has one)."""
        return self.social_image or getattr(self, "banner_image", None)


class BannerPage(SharedPage):
    """A landing page (region, story, campaign) that opens with a wide picture."""

    banner_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("banner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True
