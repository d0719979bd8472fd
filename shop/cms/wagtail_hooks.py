"""Shoppers' consents to the privacy notice, for platform staff answering a data-subject request
or an inspection: which order, which version, when, from where. Read-only: evidence is not edited.
"""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet

from shop.wagtail_viewsets import ReadOnlyViewSetMixin

from .models import PolicyConsent


class PolicyConsentIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("order")


class PolicyConsentViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = PolicyConsent
    name = "policy_consents"
    url_prefix = "policy-consents"
    icon = "tick-inverse"
    menu_label = _("Policy consents")
    menu_order = 260
    add_to_admin_menu = True
    index_view_class = PolicyConsentIndexView
    # Wagtail would index each consent's link to its order (queries at every checkout) to show
    # "usage" that nobody needs here.
    add_to_reference_index = False
    inspect_view_enabled = True
    inspect_view_fields = ["order", "policy", "version", "consented_at", "ip_address", "user_agent"]
    search_fields = ["order__number", "version"]
    list_filter = ["policy", "version"]
    ordering = ["-consented_at"]
    list_per_page = 50
    list_display = [
        Column("order", label=_("Order"), accessor=lambda consent: consent.order.number),
        Column("policy", label=_("Policy"), accessor="get_policy_display"),
        Column("version", label=_("Version")),
        DateColumn("consented_at", label=_("Consented at")),
        Column("ip_address", label=_("IP address")),
    ]

    def get_permissions_to_register(self):
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(PolicyConsent),
            codename="view_policyconsent",
        )


@hooks.register("register_admin_viewset")
def register_policy_consents():
    return PolicyConsentViewSet()
