"""Payments in the Wagtail admin: the list and each payment's actions, the unmatched transfers,
the webhook log, and a panel on the admin home for what waits for staff.

Who may do what follows the Payment model permissions: `payments.view_payment` to read,
`payments.change_payment` to act; superusers have both. Unmatched transfers and webhook
deliveries are part of the same job, so they follow the Payment permissions too (registered
below, before anything asks for their policy). Commerce officers have none of these.
"""

import django_filters
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import policy_registry, register_permission_policy

from payments import staff_views as views
from payments.models import Payment, Transaction, WebhookEvent
from shop.wagtail_viewsets import ReadOnlyViewSetMixin

payment_policy = ModelPermissionPolicy(Payment)
register_permission_policy(Transaction, payment_policy)
register_permission_policy(WebhookEvent, payment_policy)


def _money_column(name, label):
    return Column(
        name, label=label, accessor=lambda item: views.money(getattr(item, name)), sort_key=name
    )


# --- Payments ---------------------------------------------------------------------------------


class PaymentFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Payment.STATUSES)
    method = django_filters.ChoiceFilter(label=_("Method"), choices=views.method_choices)
    needs_review = django_filters.BooleanFilter(
        label=_("Needs review"), method="filter_needs_review"
    )
    review_reason = django_filters.ChoiceFilter(
        label=_("Why it needs review"), choices=Payment.REVIEW_REASONS
    )

    class Meta:
        model = Payment
        fields = ["status", "method", "needs_review", "review_reason"]

    def filter_needs_review(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.exclude(review_reason="") if value else queryset.filter(review_reason="")


class PaymentViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Payment
    name = "staff_payments"
    url_prefix = "payments"
    icon = "form"
    menu_label = _("Payments")
    detail_url = "detail"
    index_view_class = views.PaymentIndexView
    filterset_class = PaymentFilterSet
    search_fields = ["reference", "order__number", "stripe_payment_intent"]
    ordering = ["-created_at"]
    list_per_page = 50
    list_display = [
        "order",  # replaced by the order number, linking to the payment
        Column("method", label=_("Method"), accessor=lambda item: views.method_label(item.method)),
        StatusTagColumn(
            "get_status_display",
            label=_("Status"),
            primary=lambda item: item.status == Payment.PENDING,
            sort_key="status",
        ),
        _money_column("amount_due", _("Due")),
        _money_column("amount_received", _("Received")),
        _money_column("amount_refunded", _("Refunded")),
        Column("review_reason", label=_("Needs review"), accessor="get_review_reason_display"),
        DateColumn("created_at", label=_("Created")),
    ]
    actions = {
        "refund": views.RefundView,
        "collect_cash": views.CashCollectedView,
        "reinstate": views.ReinstateView,
        "clear_review": views.ClearReviewView,
        "simulate": views.SimulateTransferView,
    }

    def get_permissions_to_register(self):
        content_type = ContentType.objects.get_for_model(Payment)
        return Permission.objects.filter(
            content_type=content_type, codename__in=["view_payment", "change_payment"]
        )

    def _payment_view(self, view_class):
        names = {name: self.get_url_name(name) for name in ["detail", *self.actions]}
        return self.construct_view(view_class, action_url_names=names)

    def get_urlpatterns(self):
        return (
            self.list_urlpatterns()
            + [
                path("<int:pk>/", self._payment_view(views.PaymentDetailView), name="detail"),
            ]
            + [
                path(f"<int:pk>/{name.replace('_', '-')}/", self._payment_view(view), name=name)
                for name, view in self.actions.items()
            ]
        )


# --- Unmatched transfers ----------------------------------------------------------------------


class UnmatchedTransferFilterSet(WagtailFilterSet):
    unmatched_reason = django_filters.ChoiceFilter(
        label=_("Why unmatched"), choices=Transaction.UNMATCHED_REASONS
    )

    class Meta:
        model = Transaction
        fields = ["unmatched_reason"]


class UnmatchedTransferViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Transaction
    name = "unmatched_transfers"
    url_prefix = "unmatched-transfers"
    icon = "link"
    menu_label = _("Unmatched transfers")
    detail_url = "assign"
    index_view_class = views.UnmatchedTransferIndexView
    filterset_class = UnmatchedTransferFilterSet
    search_fields = ["content", "bank_reference", "provider_id"]
    ordering = ["-occurred_at", "-pk"]
    list_per_page = 50
    list_display = [
        "amount",  # replaced by the amount in dong, linking to the assign page
        Column("content", label=_("Transfer content")),
        Column("account_number", label=_("Receiving account")),
        Column(
            "unmatched_reason", label=_("Why unmatched"), accessor="get_unmatched_reason_display"
        ),
        Column("source", label=_("Source")),
        DateColumn("occurred_at", label=_("When")),
    ]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(assign_url_name=self.get_url_name("assign"), **kwargs)

    def get_urlpatterns(self):
        assign = self.construct_view(
            views.AssignTransferView,
            payment_url_name=payment_viewset.get_url_name("detail"),
        )
        return self.list_urlpatterns() + [
            path("<int:pk>/", assign, name="assign"),
        ]


# --- Webhook deliveries -----------------------------------------------------------------------


def webhook_sources():
    sources = WebhookEvent.objects.values_list("source", flat=True).distinct().order_by("source")
    return [(source, source) for source in sources]


class WebhookEventFilterSet(WagtailFilterSet):
    source = django_filters.ChoiceFilter(label=_("Source"), choices=webhook_sources)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=WebhookEvent.STATUSES)

    class Meta:
        model = WebhookEvent
        fields = ["source", "status"]


class WebhookEventViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = WebhookEvent
    name = "webhook_events"
    url_prefix = "webhook-events"
    icon = "resubmit"
    menu_label = _("Webhook events")
    inspect_view_enabled = True
    inspect_view_class = views.WebhookEventInspectView
    inspect_view_fields = [
        "source",
        "event_id",
        "event_type",
        "status",
        "detail",
        "received_at",
        "body",
    ]
    filterset_class = WebhookEventFilterSet
    search_fields = ["event_id", "event_type", "detail"]
    ordering = ["-received_at"]
    list_per_page = 50
    list_display = [
        "__str__",
        Column("event_type", label=_("Event type")),
        StatusTagColumn(
            "get_status_display",
            label=_("Status"),
            primary=lambda item: item.status == WebhookEvent.REJECTED,
            sort_key="status",
        ),
        Column("detail", label=_("Detail")),
        DateColumn("received_at", label=_("Received")),
    ]


payment_viewset = PaymentViewSet()
unmatched_viewset = UnmatchedTransferViewSet()
webhook_viewset = WebhookEventViewSet()


class MoneyViewSetGroup(ViewSetGroup):
    items = (payment_viewset, unmatched_viewset, webhook_viewset)
    menu_label = _("Payments")
    menu_icon = "form"
    menu_order = 230


@hooks.register("register_admin_viewset")
def register_money_viewsets():
    return MoneyViewSetGroup()


# --- Admin home -------------------------------------------------------------------------------


class PaymentsPanel(Component):
    """Admin home: payments that need a decision and money that matched no order."""

    name = "payments_review"
    order = 80
    template_name = "payments/admin/home_panel.html"

    def get_context_data(self, parent_context):
        payments_url = reverse(payment_viewset.get_url_name("index"))
        return {
            "review_count": Payment.objects.exclude(review_reason="").count(),
            "review_url": f"{payments_url}?needs_review=true",
            "unmatched_count": Transaction.objects.filter(
                payment__isnull=True, kind=Transaction.IN
            ).count(),
            "unmatched_url": reverse(unmatched_viewset.get_url_name("index")),
        }


@hooks.register("construct_homepage_panels")
def add_payments_panel(request, panels):
    policy = policy_registry.get_by_type(Payment)
    if policy.user_has_any_permission(request.user, ["view", "change"]):
        panels.append(PaymentsPanel())
