"""A cooperative's parcels ("Vận đơn") in its dashboard: the list, each parcel's timeline, the
courier's label, "handed over" and "retry booking".

Like the other pages of a cooperative, the views find the signed-in user's cooperative and look
every shipment up among that cooperative's own, so another cooperative's id answers 404. The
changes go through `logistics.services` (row locks, one place for the rules). A constant number
of queries, however many parcels there are.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import generic

from logistics import couriers, services, states
from logistics.couriers import CourierError
from logistics.models import Shipment, TrackingEvent
from logistics.tracking import courier_name

from .views import CooperativeMixin

SHIPMENTS_PER_PAGE = 50
#: What the owner can filter the list by.
FILTERS = {
    "failed": {"booking_status": Shipment.FAILED},
    "to_hand_over": {
        "booking_status": Shipment.BOOKED,
        "handed_over_at__isnull": True,
        "state__in": [states.AWAITING_PICKUP, states.PICKUP_PROBLEM],
    },
    "on_the_way": {"state__in": [states.IN_TRANSIT, states.OUT_FOR_DELIVERY]},
    "problem": {"state__in": [states.DELIVERY_FAILED, states.RETURNING, states.LOST_DAMAGED]},
}


def can_print_label(shipment: Shipment) -> bool:
    return (
        shipment.booking_status == Shipment.BOOKED
        and bool(shipment.tracking_code)
        and shipment.state != states.CANCELLED
    )


def can_hand_over(shipment: Shipment) -> bool:
    return (
        shipment.booking_status == Shipment.BOOKED
        and shipment.handed_over_at is None
        and shipment.state in (states.AWAITING_PICKUP, states.PICKUP_PROBLEM)
    )


def can_retry(shipment: Shipment) -> bool:
    return shipment.booking_status == Shipment.FAILED


def decorate(shipment: Shipment) -> Shipment:
    shipment.courier_name = courier_name(shipment.courier)
    shipment.can_print_label = can_print_label(shipment)
    shipment.can_hand_over = can_hand_over(shipment)
    shipment.can_retry = can_retry(shipment)
    return shipment


class ShipmentMixin(CooperativeMixin):
    def shipments(self):
        return Shipment.objects.filter(partner_id=self.cooperative.partner_id)

    def get_shipment(self) -> Shipment:
        return get_object_or_404(self.shipments().select_related("order"), pk=self.kwargs["pk"])


class ShipmentListView(ShipmentMixin, generic.TemplateView):
    template_name = "oscar/dashboard/cooperative/shipments.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        chosen = self.request.GET.get("show", "")
        shipments = self.shipments().select_related("order").order_by("-created_at", "-pk")
        if chosen in FILTERS:
            shipments = shipments.filter(**FILTERS[chosen])
        page = Paginator(shipments, SHIPMENTS_PER_PAGE).get_page(self.request.GET.get("page"))
        ctx.update(
            page_obj=page,
            shipments=[decorate(shipment) for shipment in page.object_list],
            chosen=chosen if chosen in FILTERS else "",
            filters=[
                ("", _("All")),
                ("failed", _("Booking failed")),
                ("to_hand_over", _("To hand over")),
                ("on_the_way", _("On the way")),
                ("problem", _("Delivery problems")),
            ],
        )
        return ctx


class ShipmentDetailView(ShipmentMixin, generic.TemplateView):
    template_name = "oscar/dashboard/cooperative/shipment_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        shipment = decorate(
            get_object_or_404(
                self.shipments()
                .select_related("order", "order__shipping_address")
                .prefetch_related(
                    Prefetch(
                        "events", queryset=TrackingEvent.objects.order_by("-event_time", "-pk")
                    )
                ),
                pk=self.kwargs["pk"],
            )
        )
        ctx.update(
            shipment=shipment,
            order=shipment.order,
            events=list(shipment.events.all()),
            lines=list(shipment.order.lines.filter(partner_id=shipment.partner_id).order_by("pk")),
        )
        return ctx


class ShipmentLabelView(ShipmentMixin, generic.View):
    """The courier's label: its own page (GHN, Viettel Post) or a document we pass on."""

    http_method_names = ["get"]

    def get(self, request, pk):
        shipment = self.get_shipment()
        if not can_print_label(shipment):
            messages.error(request, _("This parcel has no label: it is not booked yet."))
            return redirect("dashboard:shipment-detail", pk=shipment.pk)
        courier = couriers.get(shipment.courier)
        try:
            if courier is None:
                raise CourierError(f"Courier {shipment.courier!r} is not configured.")
            label = courier.label([shipment.tracking_code])
        except CourierError as exc:
            messages.error(
                request,
                _("The courier did not give the label (%(error)s). Please try again later.")
                % {"error": exc},
            )
            return redirect("dashboard:shipment-detail", pk=shipment.pk)
        if label.url:
            return redirect(label.url)
        content = label.content
        content = content.encode("utf-8") if isinstance(content, str) else content
        response = HttpResponse(content, content_type=label.content_type or "application/pdf")
        if "pdf" in response["Content-Type"]:
            response["Content-Disposition"] = f'inline; filename="{shipment.code}.pdf"'
        return response


class ShipmentActionView(ShipmentMixin, generic.View):
    """POST only; the page's form carries the CSRF token."""

    http_method_names = ["post"]

    def post(self, request, pk):
        shipment = self.get_shipment()
        self.perform(shipment)
        return redirect("dashboard:shipment-detail", pk=shipment.pk)


class HandedOverView(ShipmentActionView):
    def perform(self, shipment):
        if can_hand_over(shipment) and services.mark_handed_over(shipment, by=self.request.user):
            messages.success(
                self.request,
                _("Parcel %(code)s is marked as handed to the courier.") % {"code": shipment.code},
            )
        else:
            messages.error(self.request, _("This parcel cannot be marked as handed over now."))


class RetryBookingView(ShipmentActionView):
    def perform(self, shipment):
        if can_retry(shipment) and services.retry_booking(shipment):
            messages.success(
                self.request,
                _("Parcel %(code)s is being booked with the courier again.")
                % {"code": shipment.code},
            )
        else:
            messages.error(self.request, _("Only a parcel whose booking failed can be retried."))
