"""`/logistics/webhooks/<courier>/` over HTTP, with the sandbox courier's signed callbacks."""

import json

import pytest
from django.db import OperationalError

from logistics import services, states
from logistics.couriers import sandbox
from logistics.models import Shipment, TrackingEvent, UnmatchedTrackingEvent
from shop.webhooks import MAX_BODY_BYTES
from tests import shipments as helpers

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipment(django_capture_on_commit_callbacks):
    order = helpers.order_of([(helpers.factories.product(), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        services.create_shipments(order)
    return Shipment.objects.get(order=order)


def test_a_signed_event_moves_the_parcel(client, shipment):
    response = helpers.post_signed(
        client, helpers.event(shipment, sandbox.PICKED, helpers.at(1), description="Đã lấy hàng")
    )
    assert response.status_code == 200
    assert response.json() == {"success": True}
    shipment.refresh_from_db()
    assert shipment.state == states.IN_TRANSIT
    event = shipment.events.get()
    assert (event.raw_status, event.description, event.applied) == ("picked", "Đã lấy hàng", True)
    assert event.payload["status"] == "picked"


def test_several_events_in_one_call_in_any_order(client, shipment):
    body = {
        "events": [
            helpers.event(shipment, sandbox.DELIVERING, helpers.at(3)),
            helpers.event(shipment, sandbox.PICKED, helpers.at(1)),
        ]
    }
    assert helpers.post_signed(client, body).status_code == 200
    shipment.refresh_from_db()
    assert shipment.state == states.OUT_FOR_DELIVERY
    assert shipment.events.filter(applied=False).get().raw_status == sandbox.PICKED


def test_repeated_deliveries_change_nothing(client, shipment):
    payload = helpers.event(shipment, sandbox.PICKED, helpers.at(1))
    for _attempt in range(3):
        assert helpers.post_signed(client, payload).status_code == 200
    assert TrackingEvent.objects.filter(shipment=shipment).count() == 1


def test_late_events_never_reopen_a_delivered_parcel(client, shipment):
    helpers.post_signed(client, helpers.event(shipment, sandbox.DELIVERED, helpers.at(10)))
    response = helpers.post_signed(
        client, helpers.event(shipment, sandbox.DELIVERING, helpers.at(20))
    )
    assert response.status_code == 200
    shipment.refresh_from_db()
    assert shipment.state == states.DELIVERED
    assert shipment.order.status == "paid"  # cash on delivery, collected by the sandbox


def test_unknown_status_is_kept_and_answered(client, shipment):
    response = helpers.post_signed(client, helpers.event(shipment, "lost_in_space", helpers.at(1)))
    assert response.status_code == 200
    shipment.refresh_from_db()
    assert shipment.state == states.AWAITING_PICKUP
    assert shipment.events.get().state == states.UNKNOWN


def test_unknown_tracking_code_is_kept_for_staff(client, shipment):
    payload = {
        "tracking_code": "SBXNOSUCHONE",
        "status": sandbox.PICKED,
        "time": helpers.at(1).isoformat(),
    }
    for _attempt in range(2):
        assert helpers.post_signed(client, payload).status_code == 200
    kept = UnmatchedTrackingEvent.objects.get()
    assert (kept.courier, kept.tracking_code, kept.raw_status) == (
        "sandbox",
        "SBXNOSUCHONE",
        "picked",
    )
    assert kept.state == states.IN_TRANSIT
    assert not TrackingEvent.objects.exists()


@pytest.mark.parametrize("signature", ["", "0" * 64, "not-hex"])
def test_bad_signature_is_refused(client, shipment, signature):
    payload = helpers.event(shipment, sandbox.DELIVERED, helpers.at(1))
    response = helpers.post_signed(client, payload, signature=signature)
    assert response.status_code == 401
    shipment.refresh_from_db()
    assert shipment.state == states.AWAITING_PICKUP
    assert not TrackingEvent.objects.exists()


def test_signature_of_another_body_is_refused(client, shipment):
    signed = json.dumps(helpers.event(shipment, sandbox.PICKED, helpers.at(1))).encode()
    forged = json.dumps(helpers.event(shipment, sandbox.DELIVERED, helpers.at(1))).encode()
    response = client.post(
        helpers.webhook_url(),
        data=forged,
        content_type="application/json",
        headers={sandbox.SIGNATURE_HEADER: sandbox.sign(signed)},
    )
    assert response.status_code == 401


@pytest.mark.parametrize(
    "body",
    [
        b"{not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'"just a string"',
        b'{"status": "picked"}',
        b'{"tracking_code": "SBX1", "status": "picked", "time": "yesterday"}',
        b'{"tracking_code": "SBX1", "status": "picked", "time": "2026-11-27T10:00:00"}',
        b'{"tracking_code": 5, "status": "picked", "time": "2026-11-27T10:00:00+07:00"}',
        b'{"tracking_code": "SBX1", "status": ["picked"], "time": "2026-11-27T10:00:00+07:00"}',
        b'{"events": [1]}',
        b'{"events": "x"}',
    ],
)
def test_malformed_bodies_are_refused(client, shipment, body):
    response = helpers.post_signed(client, body)
    assert response.status_code == 400
    assert not TrackingEvent.objects.exists()
    assert not UnmatchedTrackingEvent.objects.exists()


def test_huge_body_is_refused_unread(client, shipment):
    body = b'{"pad": "' + b"x" * MAX_BODY_BYTES + b'"}'
    assert helpers.post_signed(client, body).status_code == 413


def test_unknown_courier_is_not_found(client, shipment):
    payload = helpers.event(shipment, sandbox.PICKED, helpers.at(1))
    assert helpers.post_signed(client, payload, courier="pigeon").status_code == 404


def test_only_post(client):
    assert client.get(helpers.webhook_url()).status_code == 405


def test_database_down_asks_the_courier_to_retry(client, shipment, monkeypatch):
    def down(update):
        raise OperationalError("database is down")

    monkeypatch.setattr(services, "apply_update", down)
    response = helpers.post_signed(client, helpers.event(shipment, sandbox.PICKED, helpers.at(1)))
    assert response.status_code == 503


def test_no_csrf_token_needed(shipment):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = helpers.post_signed(strict, helpers.event(shipment, sandbox.PICKED, helpers.at(1)))
    assert response.status_code == 200
