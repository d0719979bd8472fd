"""A guest buys from two cooperatives with cash on delivery; each parcel is booked with the sandbox
courier; the courier's signed webhook says one was delivered; the shopper's order page and the
public tracking page show that parcel delivered and the other still waiting for the courier.

Everything runs through the live server: checkout in Debian's Chromium, the webhook as an HTTP
POST, Celery eager (the embedded default), as a person and a courier would meet the site.
"""

import json
from datetime import timedelta

import httpx
import pytest
from django.urls import reverse
from django.utils import timezone, translation
from oscar.apps.order.models import Order
from playwright.sync_api import expect

from logistics import states
from logistics.couriers import sandbox
from logistics.models import Shipment
from tests.e2e.steps import enter_guest_details, place_order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

EMAIL = "khach.giao@example.com"


@pytest.fixture(autouse=True)
def sandbox_only(settings):
    settings.COURIERS = {
        "sandbox": {"BACKEND": "logistics.couriers.sandbox.SandboxCourier", "OPTIONS": {}}
    }


def vi(text) -> str:
    with translation.override("vi"):
        return str(text)


def courier_says(live_server, shipment, status, minutes_ago):
    """The sandbox courier's webhook, signed as the courier signs it."""
    body = json.dumps(
        {
            "tracking_code": shipment.tracking_code,
            "client_code": shipment.code,
            "status": status,
            "time": (timezone.now() - timedelta(minutes=minutes_ago)).isoformat(),
            "description": f"Sandbox: {status}",
        }
    ).encode()
    response = httpx.post(
        live_server.url + reverse("logistics:webhook", kwargs={"courier": "sandbox"}),
        content=body,
        headers={"Content-Type": "application/json", sandbox.SIGNATURE_HEADER: sandbox.sign(body)},
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_guest_order_is_booked_and_followed_to_the_door(page, live_server, shop_catalogue):
    # A guest buys from two cooperatives and pays on delivery.
    for product in (shop_catalogue["rice_wine"], shop_catalogue["noodles"]):
        page.goto(live_server.url + product.get_absolute_url())
        page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator(".basket-link .count")).to_have_text("2")
    page.locator(".basket-link").click()
    enter_guest_details(page, email=EMAIL)
    page.locator("input[name=payment_method][value=cod]").check()
    page.get_by_role("button", name="Xem lại đơn hàng").click()
    place_order(page)
    expect(page.locator("[data-order-number]")).to_be_visible()

    # One parcel per cooperative, each booked with the sandbox courier after the order committed.
    order = Order.objects.get()
    parcels = {s.partner.name: s for s in Shipment.objects.filter(order=order)}
    assert len(parcels) == 2
    for shipment in parcels.values():
        assert shipment.booking_status == Shipment.BOOKED, shipment.booking_error
        assert shipment.tracking_code == sandbox.tracking_code_for(shipment.code)
        assert shipment.state == states.AWAITING_PICKUP
    noodles = parcels["HTX Miến dong Nam Cường"]
    wine = parcels["HTX rượu men lá Thanh Tâm"]

    # The courier collects the noodles, then reports them delivered.
    courier_says(live_server, noodles, sandbox.PICKED, 30)
    courier_says(live_server, noodles, sandbox.DELIVERED, 5)
    noodles.refresh_from_db()
    assert noodles.state == states.DELIVERED

    # The shopper follows the order from the confirmation page.
    follow = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    page.locator(f"a[href='{follow}']").click()
    if page.locator("input[name=email]").count():
        page.fill("input[name=email]", EMAIL)
        page.locator("form button[type=submit]").last.click()
    delivered = page.locator(f"[data-parcel='{noodles.code}']")
    expect(delivered).to_have_attribute("data-state", states.DELIVERED)
    expect(delivered).to_contain_text(vi(states.label(states.DELIVERED)))
    expect(delivered).to_contain_text(noodles.tracking_code)
    expect(delivered.locator("[data-event]")).to_have_count(2)
    waiting = page.locator(f"[data-parcel='{wine.code}']")
    expect(waiting).to_have_attribute("data-state", states.AWAITING_PICKUP)
    expect(waiting).to_contain_text("HTX rượu men lá Thanh Tâm")

    # Anyone with the order number and the phone number finds the same on the tracking page.
    page.goto(live_server.url + reverse("track-order"))
    page.fill("input[name=number]", order.number)
    page.fill("input[name=contact]", "+84 912 345 678")
    page.locator("[data-track-form] button[type=submit]").click()
    expect(page.locator(f"[data-parcel='{noodles.code}']")).to_have_attribute(
        "data-state", states.DELIVERED
    )
    page.fill("input[name=contact]", "0999 999 999")
    page.locator("[data-track-form] button[type=submit]").click()
    expect(page.locator("[data-track-not-found]")).to_be_visible()
    expect(page.locator("[data-parcel]")).to_have_count(0)
