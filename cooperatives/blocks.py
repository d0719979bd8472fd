"""StreamField blocks on cooperatives: they store ids and leave out cooperatives that were
deleted or made inactive since, so the pages never fail or show a hidden seller.

Page models import these blocks while Django loads the models (cooperatives.pages among them),
so models and the chooser are imported when used, not at the top.
"""

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from shop.cms.block_tools import MissingChoiceMessage

MAX_FEATURED = 12


class CooperativeChooserBlock(MissingChoiceMessage, blocks.ChooserBlock):
    """A cooperative, stored by id, chosen in `cooperatives.choosers` (the officer's region)."""

    target_model = "cooperatives.Cooperative"
    missing_message = _(
        "Choose a cooperative or remove this item. A cooperative chosen earlier may have been "
        "deleted."
    )

    @cached_property
    def widget(self):
        from .choosers import cooperative_chooser_viewset

        return cooperative_chooser_viewset.widget_class()

    def choosable(self, user):
        """What this user may put in the block (`shop.cms.forms` checks it on save)."""
        from .choosers import choosable_cooperatives

        return choosable_cooperatives(user)

    class Meta:
        icon = "group"
        label = _("Cooperative")


def _preview_cooperatives():
    from .models import Cooperative

    return {
        "heading": "Hợp tác xã tiêu biểu",
        "cooperatives": list(Cooperative.objects.filter(is_active=True)[:3]),
    }


class FeaturedCooperativesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    cooperatives = blocks.ListBlock(
        CooperativeChooserBlock(), label=_("Cooperatives"), min_num=1, max_num=MAX_FEATURED
    )

    class Meta:
        template = "cms/blocks/featured_cooperatives.html"
        icon = "group"
        label = _("Featured cooperatives")
        description = _("Cooperatives chosen by hand, with their commune and a link to their page.")
        preview_value = staticmethod(_preview_cooperatives)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["cooperatives"] = [
            cooperative
            for cooperative in dict.fromkeys(value["cooperatives"])
            if cooperative is not None and cooperative.is_active
        ]
        return context
