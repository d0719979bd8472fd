"""One contract for every courier the registry can hold: the sandbox, and GHN, GHTK and Viettel
Post against their local fake servers. Each is configured through `settings.COURIERS` and taken
from the registry, as the shop does; then a whole order goes through it, webhook included."""

import contextlib
import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from logistics import couriers, services, states
from logistics.couriers import (
    Address,
    Booking,
    BookingRequest,
    Item,
    Label,
    Parcel,
    Quote,
    Service,
    TrackingUpdate,
    WebhookAuthError,
)
from logistics.couriers import sandbox as sandbox_courier
from logistics.models import Shipment
from tests import shipments as helpers
from tests.fakes import ghn_server, ghtk_server, viettelpost_server

pytestmark = pytest.mark.django_db

ORIGIN = Address(
    name="HTX Chè Đồng Phúc",
    phone="+84912345678",
    province_code="19",
    commune_code="01933",
    street="Thôn Nà Hỳ",
)
DESTINATION = Address(
    name="Nguyễn Thị Lan",
    phone="+84987654321",
    province_code="01",
    commune_code="00004",
    street="12 Phố Đội Cấn",
)
PARCEL = Parcel(
    weight_grams=1200,
    value=Decimal(240_000),
    cod_amount=Decimal(270_000),
    items=(Item("Chè Đồng Phúc 200g", 2, 600, Decimal(120_000)),),
)
GHN_SECRET = "ghn-contract-secret-5d1e"
GHTK_SECRET = "ghtk-contract-secret-8a2c"


class Sandbox:
    code = "sandbox"

    @contextlib.contextmanager
    def running(self):
        yield {"BACKEND": "logistics.couriers.sandbox.SandboxCourier", "OPTIONS": {}}

    def webhook(self, tracking_code, client_code):
        body = json.dumps(
            {
                "tracking_code": tracking_code,
                "client_code": client_code,
                "status": sandbox_courier.PICKED,
                "time": timezone.now().isoformat(),
            }
        ).encode()
        return {sandbox_courier.SIGNATURE_HEADER: sandbox_courier.sign(body)}, {}, body

    def forged(self, headers, query, body):
        return {sandbox_courier.SIGNATURE_HEADER: "0" * 64}, query, body


class GHN:
    code = "ghn"

    @contextlib.contextmanager
    def running(self):
        with ghn_server.FakeGHNServer() as fake:
            self.fake = fake
            yield {
                "BACKEND": "logistics.couriers.ghn.GHN",
                "OPTIONS": {
                    "TOKEN": ghn_server.TOKEN,
                    "SHOP_ID": ghn_server.SHOP_ID,
                    "BASE_URL": fake.url,
                    "WEBHOOK_SECRET": GHN_SECRET,
                    "TIMEOUT": 5,
                },
            }

    def webhook(self, tracking_code, client_code):
        self.fake.advance(tracking_code, "picked")
        body = json.dumps(self.fake.webhook_event(tracking_code)).encode()
        return {"Content-Type": "application/json"}, {"secret": GHN_SECRET}, body

    def forged(self, headers, query, body):
        return headers, {"secret": "guessed"}, body


class GHTK:
    code = "ghtk"

    @contextlib.contextmanager
    def running(self):
        with ghtk_server.FakeGHTKServer() as fake:
            self.fake = fake
            yield {
                "BACKEND": "logistics.couriers.ghtk.GHTK",
                "OPTIONS": {
                    "TOKEN": ghtk_server.TOKEN,
                    "CLIENT_SOURCE": ghtk_server.CLIENT_SOURCE,
                    "BASE_URL": fake.url,
                    "WEBHOOK_SECRET": GHTK_SECRET,
                    "TIMEOUT": 5,
                },
            }

    def webhook(self, tracking_code, client_code):
        now = timezone.localtime(timezone.now(), ghtk_server.VIETNAM_TZ).replace(microsecond=0)
        payload = ghtk_server.FakeGHTK.webhook(
            tracking_code, client_code, 3, action_time=now.isoformat()
        )
        body = json.dumps(payload).encode()
        return {"Content-Type": "application/json"}, {"hash": GHTK_SECRET}, body

    def forged(self, headers, query, body):
        return headers, {"hash": "guessed"}, body


class ViettelPost:
    code = "viettelpost"

    @contextlib.contextmanager
    def running(self):
        with viettelpost_server.FakeViettelPostServer() as fake:
            self.fake = fake
            yield {
                "BACKEND": "logistics.couriers.viettelpost.ViettelPost",
                "OPTIONS": {
                    "USERNAME": viettelpost_server.USERNAME,
                    "PASSWORD": viettelpost_server.PASSWORD,
                    "BASE_URL": fake.url,
                    "WEBHOOK_SECRET": viettelpost_server.WEBHOOK_SECRET,
                    "TIMEOUT": 5,
                },
            }

    def webhook(self, tracking_code, client_code):
        when = timezone.localtime(timezone.now()) + timedelta(seconds=1)
        headers, body = self.fake.callback(tracking_code, 105, when.strftime("%d/%m/%Y %H:%M:%S"))
        return headers, {}, body

    def forged(self, headers, query, body):
        return {**headers, "Authorization": "guessed"}, query, body


COURIERS = [Sandbox(), GHN(), GHTK(), ViettelPost()]


@pytest.fixture(params=COURIERS, ids=lambda spec: spec.code)
def registered(request, settings):
    spec = request.param
    with spec.running() as config:
        settings.COURIERS = {spec.code: config}
        courier = couriers.get(spec.code)
        assert courier is not None and courier.code == spec.code
        yield spec, courier


def test_services_and_quotes(registered):
    _spec, courier = registered
    offered = courier.services()
    assert offered and all(isinstance(service, Service) for service in offered)
    quotes = courier.quote(ORIGIN, DESTINATION, PARCEL)
    assert quotes
    for quote in quotes:
        assert isinstance(quote, Quote)
        assert quote.courier == courier.code
        assert quote.fee > 0 and quote.fee == quote.fee.to_integral_value()


def test_booking_twice_books_once_then_label_and_cancel(registered):
    _spec, courier = registered
    request = BookingRequest(code="700001-1", origin=ORIGIN, destination=DESTINATION, parcel=PARCEL)
    first = courier.create(request)
    again = courier.create(request)
    assert isinstance(first, Booking) and first.tracking_code
    assert again.tracking_code == first.tracking_code
    label = courier.label([first.tracking_code])
    assert isinstance(label, Label)
    assert label.url or (label.content and label.content_type)
    courier.cancel(first.tracking_code)


def test_webhooks_are_verified_and_parsed(registered):
    spec, courier = registered
    booking = courier.create(
        BookingRequest(code="700002-1", origin=ORIGIN, destination=DESTINATION, parcel=PARCEL)
    )
    headers, query, body = spec.webhook(booking.tracking_code, "700002-1")
    updates = courier.parse_webhook(headers, query, body)
    assert updates and all(isinstance(update, TrackingUpdate) for update in updates)
    for update in updates:
        assert update.courier == courier.code
        assert update.tracking_code == booking.tracking_code
        assert update.state in states.LABELS
        assert update.event_time.tzinfo is not None
    with pytest.raises(WebhookAuthError):
        courier.parse_webhook(*spec.forged(headers, query, body))


def test_an_order_travels_through_the_courier(
    registered, client, django_capture_on_commit_callbacks
):
    """Booked by the task with the order's real addresses, then moved by the courier's webhook."""
    spec, courier = registered
    product = helpers.factories.product()
    cooperative = product.stockrecords.get().partner.cooperative
    cooperative.phone_number = "+84912345678"
    cooperative.street_address = "Thôn Nà Hỳ"
    cooperative.save()
    order = helpers.order_of([(product, 2)])
    with django_capture_on_commit_callbacks(execute=True):
        services.create_shipments(order)
    shipment = Shipment.objects.get(order=order)
    assert shipment.courier == courier.code
    assert (shipment.booking_status, shipment.booking_error) == (Shipment.BOOKED, "")
    headers, query, body = spec.webhook(shipment.tracking_code, shipment.code)
    url = helpers.webhook_url(courier.code)
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    response = client.post(
        url,
        data=body,
        content_type=headers.pop("Content-Type", "application/json"),
        headers=headers,
    )
    assert response.status_code == 200
    shipment.refresh_from_db()
    assert shipment.state == states.IN_TRANSIT
    assert shipment.events.get().applied
    order.refresh_from_db()
    assert order.status == "shipped"
