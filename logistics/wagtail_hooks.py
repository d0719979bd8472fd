"""Parcels in the Wagtail admin, for platform staff: a read-only list with filters, each parcel's
whole timeline (incl. events that did not move it and codes we do not know), and "retry booking".

Who may do what follows the Shipment model permissions: `logistics.view_shipment` to read,
`logistics.change_shipment` to retry; superusers have both. Commerce officers and cooperative
owners have neither (owners follow their own parcels in the Oscar dashboard).
"""

import django_filters
from django.contrib.admin.utils import quote
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.viewsets.model import ModelViewSet

from logistics import couriers, services, states
from logistics.models import Shipment, TrackingEvent, UnmatchedTrackingEvent
from logistics.tracking import courier_name
from shop.wagtail_viewsets import ReadOnlyViewSetMixin


def courier_choices():
    """The enabled couriers, plus any older one that shipments still name."""
    choices = {courier.code: str(courier.name) for courier in couriers.all_couriers()}
    for code in Shipment.objects.values_list("courier", flat=True).distinct().order_by("courier"):
        choices.setdefault(code, code)
    return list(choices.items())


class ShipmentFilterSet(WagtailFilterSet):
    state = django_filters.ChoiceFilter(label=gettext_lazy("Parcel status"), choices=states.CHOICES)
    booking_status = django_filters.ChoiceFilter(
        label=gettext_lazy("Booking"), choices=Shipment.BOOKING_STATUSES
    )
    courier = django_filters.ChoiceFilter(label=gettext_lazy("Courier"), choices=courier_choices)

    class Meta:
        model = Shipment
        fields = ["state", "booking_status", "courier"]


class ShipmentIndexView(IndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("order", "partner")
            .annotate(unknown_events=Count("events", filter=Q(events__state=states.UNKNOWN)))
        )

    @cached_property
    def columns(self):
        title = self._get_title_column_class(TitleColumn)(
            "code",
            label=gettext_lazy("Parcel"),
            accessor="code",
            get_url=self.get_inspect_url,
            sort_key="code",
        )
        return [title, *super().columns[1:]]


class ShipmentDetailView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """The parcel, its booking, and every event the courier sent, applied or not."""

    model = Shipment
    any_permission_required = ["view", "change"]
    template_name = "logistics/admin/shipment_detail.html"
    header_icon = "group"
    index_url_name = None
    retry_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(
            Shipment.objects.select_related("order", "partner").prefetch_related(
                Prefetch("events", queryset=TrackingEvent.objects.order_by("-event_time", "-pk"))
            ),
            pk=kwargs["pk"],
        )

    def get_page_title(self):
        return _("Parcel %(code)s") % {"code": self.object.code}

    def get_page_subtitle(self):
        return self.object.partner.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": Shipment._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        shipment = self.object
        try:
            order_url = reverse("dashboard:order-detail", kwargs={"number": shipment.order.number})
        except NoReverseMatch:
            order_url = ""
        context.update(
            shipment=shipment,
            order=shipment.order,
            order_url=order_url,
            courier_name=courier_name(shipment.courier),
            events=list(shipment.events.all()),
            can_retry=shipment.booking_status == Shipment.FAILED
            and self.user_has_permission("change"),
            retry_url=reverse(self.retry_url_name, args=(quote(shipment.pk),)),
        )
        return context


class RetryBookingView(ShipmentDetailView):
    http_method_names = ["post"]
    permission_required = "change"
    any_permission_required = None
    detail_url_name = None

    def post(self, request, *args, **kwargs):
        shipment = self.object
        if services.retry_booking(shipment):
            messages.success(
                request, _("Parcel %(code)s is being booked again.") % {"code": shipment.code}
            )
        else:
            messages.error(request, _("Only a parcel whose booking failed can be retried."))
        return redirect(self.detail_url_name, quote(shipment.pk))


class ShipmentViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    model = Shipment
    name = "shipments"
    url_prefix = "shipments"
    icon = "group"
    menu_label = gettext_lazy("Shipments")
    menu_order = 240
    add_to_admin_menu = True
    detail_url = "detail"
    index_view_class = ShipmentIndexView
    filterset_class = ShipmentFilterSet
    search_fields = ["code", "tracking_code", "order__number"]
    ordering = ["-created_at", "-pk"]
    list_per_page = 50
    list_display = [
        "code",  # replaced by a title column linking to the detail page
        Column("order", label=gettext_lazy("Order"), accessor=lambda item: item.order.number),
        Column("partner", label=gettext_lazy("Cooperative"), accessor=lambda s: s.partner.name),
        Column(
            "state", label=gettext_lazy("Parcel status"), accessor="state_label", sort_key="state"
        ),
        Column(
            "courier", label=gettext_lazy("Courier"), accessor=lambda s: courier_name(s.courier)
        ),
        Column("tracking_code", label=gettext_lazy("Tracking code")),
        Column(
            "booking_status",
            label=gettext_lazy("Booking"),
            accessor=lambda s: " – ".join(
                part for part in (s.get_booking_status_display(), s.booking_error) if part
            ),
        ),
        Column("unknown_events", label=gettext_lazy("Unknown codes")),
        DateColumn("created_at", label=gettext_lazy("Created")),
    ]

    def get_permissions_to_register(self):
        content_type = ContentType.objects.get_for_model(Shipment)
        return Permission.objects.filter(
            content_type=content_type, codename__in=["view_shipment", "change_shipment"]
        )

    def get_urlpatterns(self):
        names = {
            "index_url_name": self.get_url_name("index"),
            "retry_url_name": self.get_url_name("retry"),
        }
        detail = self.construct_view(ShipmentDetailView, **names)
        retry = self.construct_view(
            RetryBookingView, detail_url_name=self.get_url_name("detail"), **names
        )
        return self.list_urlpatterns() + [
            path("<int:pk>/", detail, name="detail"),
            path("<int:pk>/retry/", retry, name="retry"),
        ]


shipment_viewset = ShipmentViewSet()


@hooks.register("register_admin_viewset")
def register_shipment_viewset():
    return shipment_viewset


class UnmatchedEventViewSet(ReadOnlyViewSetMixin, ModelViewSet):
    """Courier events naming no parcel of ours: kept, never lost, for staff to look into."""

    model = UnmatchedTrackingEvent
    name = "unmatched_tracking_events"
    url_prefix = "unmatched-tracking-events"
    icon = "warning"
    menu_label = gettext_lazy("Unmatched courier events")
    menu_order = 241
    add_to_admin_menu = True
    inspect_view_enabled = True
    search_fields = ["tracking_code", "client_code", "raw_status"]
    ordering = ["-received_at", "-pk"]
    list_per_page = 50
    list_filter = ["courier"]
    list_display = [
        "tracking_code",
        Column("client_code", label=gettext_lazy("Shipment code")),
        Column(
            "courier", label=gettext_lazy("Courier"), accessor=lambda e: courier_name(e.courier)
        ),
        Column("raw_status", label=gettext_lazy("Courier status")),
        DateColumn("event_time", label=gettext_lazy("When")),
        DateColumn("received_at", label=gettext_lazy("Received")),
    ]

    def get_permissions_to_register(self):
        content_type = ContentType.objects.get_for_model(UnmatchedTrackingEvent)
        return Permission.objects.filter(content_type=content_type, codename__startswith="view_")

    def get_urlpatterns(self):
        return self.list_urlpatterns() + [
            path("inspect/<str:pk>/", self.inspect_view, name="inspect"),
        ]


@hooks.register("register_admin_viewset")
def register_unmatched_event_viewset():
    return UnmatchedEventViewSet()
