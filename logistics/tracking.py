"""What shoppers see of their parcels: on their order pages and on the public tracking page.

The tracking page (`/theo-doi-don-hang/`) finds an order by its number plus the phone number or
e-mail address given at checkout. A wrong number and a wrong contact get the same "not found"
answer, and one visitor gets a limited number of misses, so the page cannot be used to learn
which order numbers exist or whose they are.
"""

import phonenumbers
from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from django.views import generic
from oscar.apps.order.models import Order

from logistics import couriers, states
from logistics.models import Shipment, TrackingEvent
from shop.addresses.phone import parse_vietnamese_phone

#: Misses one address may make in `MISS_WINDOW` seconds before the page stops answering.
MISS_LIMIT = 20
MISS_WINDOW = 15 * 60


def courier_name(code: str) -> str:
    courier = couriers.get(code)
    return str(courier.name) if courier else code


def shopper_events(shipment) -> list[TrackingEvent]:
    """The timeline a shopper reads, newest first: every event whose code we understood."""
    events = [event for event in shipment.events.all() if event.state != states.UNKNOWN]
    return sorted(events, key=lambda event: (event.event_time, event.pk), reverse=True)


def parcels_for(order) -> list[Shipment]:
    """The order's parcels with their cooperative, courier name and timeline, in two queries."""
    shipments = list(
        Shipment.objects.filter(order_id=order.pk)
        .select_related("partner")
        .prefetch_related(
            Prefetch("events", queryset=TrackingEvent.objects.order_by("event_time", "pk"))
        )
        .order_by("sequence", "pk")
    )
    for shipment in shipments:
        shipment.courier_name = courier_name(shipment.courier)
        shipment.timeline = shopper_events(shipment)
    return shipments


def _same_phone(typed: str, stored) -> bool:
    try:
        return bool(stored) and parse_vietnamese_phone(typed) == parse_vietnamese_phone(str(stored))
    except ValidationError:
        return False


def find_order(number: str, contact: str):
    """The order with this number whose e-mail or delivery phone is `contact`, else None."""
    number, contact = number.strip().lstrip("#"), contact.strip()
    if not number or not contact:
        return None
    order = Order.objects.filter(number=number).select_related("user", "shipping_address").first()
    if order is None:
        return None
    if "@" in contact:
        email = order.email or ""
        return order if email and email.casefold() == contact.casefold() else None
    address = order.shipping_address
    phone = getattr(address, "phone_number", None) if address else None
    if isinstance(phone, phonenumbers.PhoneNumber):
        phone = phonenumbers.format_number(phone, phonenumbers.PhoneNumberFormat.E164)
    return order if _same_phone(contact, phone) else None


class TrackOrderForm(forms.Form):
    number = forms.CharField(label=_("Order number"), max_length=128)
    contact = forms.CharField(
        label=_("Phone number or e-mail address"),
        max_length=254,
        help_text=_("The one you gave when you placed the order."),
    )


class TrackOrderView(generic.TemplateView):
    template_name = "logistics/track_order.html"

    def get(self, request, *args, **kwargs):
        asked = "number" in request.GET or "contact" in request.GET
        form = TrackOrderForm(request.GET if asked else None)
        context = {"form": form, "asked": asked}
        status = 200
        if asked and form.is_valid():
            if self.too_many_misses():
                context["throttled"] = True
                status = 429
            else:
                order = find_order(form.cleaned_data["number"], form.cleaned_data["contact"])
                if order is None:
                    self.count_miss()
                    context["not_found"] = True
                else:
                    context.update(order=order, parcels=parcels_for(order))
        return self.render_to_response(self.get_context_data(**context), status=status)

    def miss_key(self) -> str:
        return f"track-order-misses:{self.request.META.get('REMOTE_ADDR', '')}"

    def too_many_misses(self) -> bool:
        return cache.get(self.miss_key(), 0) >= getattr(settings, "TRACKING_MISS_LIMIT", MISS_LIMIT)

    def count_miss(self) -> None:
        key = self.miss_key()
        if not cache.add(key, 1, MISS_WINDOW):
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, MISS_WINDOW)
