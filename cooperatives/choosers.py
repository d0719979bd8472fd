"""A Wagtail chooser on cooperatives, for the featured-cooperatives block.

Officers see the active cooperatives of their own regions (`regions.cooperatives_for`);
platform staff see them all. The "chosen" step answers 404 outside that list.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column

from shop.choosers import ScopedChooserViewSet

from . import regions
from .models import Cooperative


def choosable_cooperatives(user):
    return regions.cooperatives_for(user, Cooperative.objects.filter(is_active=True))


class CooperativeChooserViewSet(ScopedChooserViewSet):
    model = "cooperatives.Cooperative"
    icon = "group"
    choose_one_text = _("Choose a cooperative")
    choose_another_text = _("Choose another cooperative")
    edit_item_text = _("Edit cooperative")
    search_placeholder = _("Name of the cooperative")
    extra_columns = (Column("place", label=_("Commune")),)
    # The cooperative form of the admin keeps its own select; only blocks use this chooser.
    register_widget = False

    @staticmethod
    def matching(query) -> Q:
        return Q(legal_name__icontains=query) | Q(short_name__icontains=query)

    def choosable(self, user):
        return choosable_cooperatives(user)


cooperative_chooser_viewset = CooperativeChooserViewSet(
    "cooperative_chooser", url_prefix="cooperative-chooser"
)
