"""OCOP certificates in the Wagtail admin: commerce officers read each scan, set the stars and
verify it (or reject it with a reason); the admin home shows what waits for them.

Permissions: `catalog.change_ocopcertificate` to review (the "Commerce officers" group has it,
see `cooperatives.roles`); certificates are submitted by owners from their dashboard, so there
is no "add" here.
"""

import django_filters
from django.core.exceptions import PermissionDenied
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import policy_registry

from cooperatives import regions

from . import admin_views, review, workflows
from .models import OcopCertificate
from .pages import CampaignPage

PANEL_ROWS = 8


class CertificateFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=OcopCertificate.Status.choices)
    stars = django_filters.ChoiceFilter(label=_("Stars"), choices=OcopCertificate.Stars.choices)
    cooperative = django_filters.ModelChoiceFilter(
        label=_("Cooperative"),
        queryset=lambda request: regions.cooperatives_for(getattr(request, "user", None)),
    )
    expiring = django_filters.BooleanFilter(
        label=_("Ends within 90 days"), method="filter_expiring"
    )

    class Meta:
        model = OcopCertificate
        fields = ["status", "stars", "cooperative", "expiring"]

    def filter_expiring(self, queryset, name, value):
        if value is None:
            return queryset
        soon = admin_views.expiring(queryset)
        return soon if value else queryset.exclude(pk__in=soon.values("pk"))


def _stars(certificate) -> str:
    return "★" * certificate.stars if certificate.stars else "—"


class CertificateViewSet(ModelViewSet):
    model = OcopCertificate
    url_prefix = "ocop-certificates"
    icon = "doc-full"
    menu_label = _("OCOP certificates")
    menu_order = 220
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = admin_views.CertificateIndexView
    edit_view_class = admin_views.CertificateEditView
    history_view_class = admin_views.CertificateHistoryView
    usage_view_class = admin_views.CertificateUsageView
    filterset_class = CertificateFilterSet
    search_fields = ["decision_number", "product_name_certified", "cooperative__legal_name"]
    ordering = ["-submitted_at"]
    list_per_page = 50
    list_display = [
        "decision_number",
        Column("cooperative", label=_("Cooperative")),
        Column("stars", label=_("Stars"), accessor=_stars),
        StatusTagColumn(
            "get_status_display",
            label=_("Status"),
            primary=lambda item: item.status == OcopCertificate.Status.SUBMITTED,
        ),
        Column(
            "valid_until",
            label=_("Valid until"),
            accessor=lambda item: date_format(item.valid_until, "d/m/Y"),
            sort_key="valid_until",
        ),
        DateColumn("submitted_at", label=_("Submitted")),
    ]

    def get_form_class(self, for_update=False):
        return admin_views.CertificateForm

    def get_index_view_kwargs(self, **kwargs):
        # Owners submit certificates from their dashboard: no "add" button here.
        return super().get_index_view_kwargs(add_url_name=None, **kwargs)

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(**self._review_url_names(), **kwargs)

    def _review_url_names(self):
        return {
            "verify_url_name": self.get_url_name("verify"),
            "reject_url_name": self.get_url_name("reject"),
        }

    def _review_view(self, view_class):
        return self.construct_view(
            view_class,
            index_url_name=self.get_url_name("index"),
            edit_url_name=self.get_url_name("edit"),
            **self._review_url_names(),
        )

    def get_urlpatterns(self):
        patterns = [p for p in super().get_urlpatterns() if p.name != "add"]
        return patterns + [
            path("verify/<int:pk>/", self._review_view(admin_views.VerifyView), name="verify"),
            path("reject/<int:pk>/", self._review_view(admin_views.RejectView), name="reject"),
        ]


certificate_viewset = CertificateViewSet()


@hooks.register("register_admin_viewset")
def register_certificate_viewset():
    return certificate_viewset


@hooks.register("register_log_actions")
def register_review_actions(actions):
    actions.register_action(review.VERIFY_ACTION, _("Verify certificate"), _("Verified"))
    actions.register_action(review.REJECT_ACTION, _("Reject certificate"), _("Rejected"))


class CertificatesPanel(Component):
    """Admin home: certificates waiting for verification, and those ending within 90 days
    (an officer's regions' only)."""

    name = "ocop_certificates"
    order = 90
    template_name = "catalog/admin/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context):
        certificates = regions.certificates_for(
            self.request.user, OcopCertificate.objects.select_related("cooperative")
        )
        waiting = certificates.filter(status=OcopCertificate.Status.SUBMITTED).order_by(
            "submitted_at"
        )
        ending = admin_views.expiring(certificates).order_by("valid_until")
        index_url = reverse(certificate_viewset.get_url_name("index"))
        return {
            "waiting": waiting[:PANEL_ROWS],
            "waiting_count": waiting.count(),
            "waiting_url": f"{index_url}?status={OcopCertificate.Status.SUBMITTED}",
            "ending": ending[:PANEL_ROWS],
            "ending_count": ending.count(),
            "ending_url": f"{index_url}?expiring=true",
            "edit_url_name": certificate_viewset.get_url_name("edit"),
            "verify_url_name": certificate_viewset.get_url_name("verify"),
            "today": timezone.localdate(),
        }


@hooks.register("construct_homepage_panels")
def add_certificates_panel(request, panels):
    policy = policy_registry.get_by_type(OcopCertificate)
    if policy.user_has_permission(request.user, "change"):
        panels.append(CertificatesPanel(request))


@hooks.register("register_admin_viewset")
def register_product_chooser():
    from .choosers import product_chooser_viewset

    return product_chooser_viewset


@hooks.register("register_admin_viewset")
def register_category_chooser():
    from .choosers import category_chooser_viewset

    return category_chooser_viewset


def _creating_campaign(request) -> bool:
    match = getattr(request, "resolver_match", None)
    kwargs = match.kwargs if match else {}
    return (kwargs.get("content_type_app_name"), kwargs.get("content_type_model_name")) == (
        "catalog",
        "campaignpage",
    )


class CampaignSubmitMenuItem(SubmitForModerationMenuItem):
    """On a new campaign, name the workflow it goes to (Wagtail names the parent page's)."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        workflow = workflows.campaign_workflow()
        if workflow is not None:
            context["label"] = _("Submit to %(workflow_name)s") % {"workflow_name": workflow.name}
        return context


@hooks.register("construct_page_action_menu")
def new_campaign_actions(menu_items, request, context):
    """A new campaign is submitted for review or saved as a draft: officers never see "Publish"
    (their region's page permission would otherwise allow it on a new page)."""
    if context.get("view") != "create" or not _creating_campaign(request):
        return
    reviewer = workflows.is_reviewer(request.user)
    menu_items[:] = [
        CampaignSubmitMenuItem(order=item.order) if item.name == "action-submit" else item
        for item in menu_items
        if reviewer or item.name != "action-publish"
    ]


@hooks.register("before_create_page")
def refuse_campaign_publish_by_officers(request, parent_page, page_class):
    if (
        request.method == "POST"
        and request.POST.get("action-publish")
        and issubclass(page_class, CampaignPage)
        and not workflows.is_reviewer(request.user)
    ):
        raise PermissionDenied(_("A campaign is published by a reviewer: submit it for review."))
