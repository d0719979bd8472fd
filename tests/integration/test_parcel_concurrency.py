"""Courier webhooks for the parcels of one order arriving at the same moment, each thread on its
own PostgreSQL connection: every event is kept once and the order ends where its parcels are."""

from django.test import Client

from logistics import services, states
from logistics.couriers import sandbox
from logistics.models import Shipment, TrackingEvent
from payments.models import Payment
from tests import shipments as helpers
from tests.concurrency import ONLY_ON_POSTGRES, at_once

pytestmark = ONLY_ON_POSTGRES


def booked_parcels():
    order, _rice, _tea = helpers.two_cooperative_order("cod")
    for shipment in services.create_shipments(order):
        services.book(shipment.pk)
    return order, list(Shipment.objects.filter(order=order).order_by("code"))


def deliver(shipment, status, minutes):
    payload = helpers.event(shipment, status, helpers.at(minutes))
    return lambda: helpers.post_signed(Client(), payload).status_code


def test_both_parcels_delivered_at_once_deliver_and_pay_the_order():
    order, parcels = booked_parcels()
    jobs = [deliver(parcel, sandbox.DELIVERED, 10) for parcel in parcels]

    assert at_once(jobs) == [200, 200]

    order.refresh_from_db()
    assert {p.state for p in Shipment.objects.filter(order=order)} == {states.DELIVERED}
    assert set(order.lines.values_list("status", flat=True)) == {"delivered"}
    # The sandbox settles cash at delivery: both parcels' cash counted, none lost, order paid.
    payment = Payment.objects.get(order=order)
    assert payment.amount_received == order.total_incl_tax
    assert (payment.status, order.status) == (Payment.PAID, "paid")


def test_one_event_delivered_many_times_at_once_is_kept_once():
    order, (parcel, _other) = booked_parcels()
    jobs = [deliver(parcel, sandbox.PICKED, 5) for _ in range(6)]

    assert at_once(jobs) == [200] * 6

    assert TrackingEvent.objects.filter(shipment=parcel, raw_status=sandbox.PICKED).count() == 1
    parcel.refresh_from_db()
    assert parcel.state == states.IN_TRANSIT
    order.refresh_from_db()
    assert order.status == "partly_shipped"
