"""Shipments: one per cooperative, booked after commit, moved by courier events, Oscar in step."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.apps.order.models import ShippingEvent
from oscar.apps.partner.models import StockRecord

from logistics import services, states
from logistics.couriers import CourierError, TrackingUpdate, sandbox
from logistics.models import Shipment, ShippingCharge, TrackingEvent
from logistics.tasks import MAX_BOOKING_RETRIES, advance_sandbox_shipments
from payments.models import Payment
from tests import shipments as helpers
from tests.checkout import guest_checkout
from tests.payments import gateway_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def cod_order(django_capture_on_commit_callbacks):
    order, rice, tea = helpers.two_cooperative_order("cod")
    with django_capture_on_commit_callbacks(execute=True):
        services.create_shipments(order)
    return order, rice, tea


def parcels(order):
    return list(Shipment.objects.filter(order=order).order_by("code"))


def move(shipment, status, minutes, **more):
    shipment.refresh_from_db()
    return services.apply_update(helpers_update(shipment, status, minutes, **more))


def helpers_update(shipment, status, minutes, **more):
    update = sandbox.update_for(shipment, status, helpers.at(minutes))
    if more:
        fields = {**update.__dict__, **more}
        return TrackingUpdate(**fields)
    return update


# --- Creating and booking -------------------------------------------------------------------


def test_one_shipment_per_cooperative_with_its_cash_share(cod_order):
    order, rice, tea = cod_order
    first, second = parcels(order)
    assert [first.code, second.code] == [f"{order.number}-1", f"{order.number}-2"]
    assert {first.partner_id, second.partner_id} == {
        rice.stockrecords.get().partner_id,
        tea.stockrecords.get().partner_id,
    }
    by_partner = {s.partner_id: s for s in (first, second)}
    rice_parcel = by_partner[rice.stockrecords.get().partner_id]
    tea_parcel = by_partner[tea.stockrecords.get().partner_id]
    assert rice_parcel.goods_value == Decimal(240_000)
    assert tea_parcel.goods_value == Decimal(85_000)
    assert rice_parcel.shipping_fee + tea_parcel.shipping_fee == helpers.SHIPPING
    assert {rice_parcel.shipping_fee, tea_parcel.shipping_fee} == {Decimal(22_500)}
    assert rice_parcel.cod_amount == Decimal(262_500)
    assert tea_parcel.cod_amount == Decimal(107_500)
    assert rice_parcel.cod_amount + tea_parcel.cod_amount == order.total_incl_tax
    assert (rice_parcel.weight_grams, tea_parcel.weight_grams) == (1_800, 120)
    for parcel in (first, second):
        assert parcel.sequence == 1
        assert parcel.courier == "sandbox"
        assert parcel.booking_status == Shipment.BOOKED
        assert parcel.booking_attempts == 1
        assert parcel.tracking_code == sandbox.tracking_code_for(parcel.code)
        assert parcel.state == states.AWAITING_PICKUP


def test_creating_again_creates_and_books_nothing(cod_order, django_capture_on_commit_callbacks):
    order, _rice, _tea = cod_order
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert services.create_shipments(order) == []
    assert callbacks == []
    assert Shipment.objects.filter(order=order).count() == 2
    assert {s.booking_attempts for s in parcels(order)} == {1}


def test_prepaid_order_has_no_cash_to_collect_and_ships_when_paid(
    django_capture_on_commit_callbacks,
):
    order, _rice, _tea = helpers.two_cooperative_order("vietqr")
    assert not Shipment.objects.filter(order=order).exists()
    payment = Payment.objects.get(order=order)
    from payments import services as payments

    with django_capture_on_commit_callbacks(execute=True):
        payments.simulate_transfer(payment)
    found = parcels(order)
    assert len(found) == 2
    assert {s.cod_amount for s in found} == {Decimal(0)}
    assert all(s.booking_status == Shipment.BOOKED for s in found)


def test_the_couriers_chosen_at_checkout_are_kept(django_capture_on_commit_callbacks):
    order, rice, tea = helpers.two_cooperative_order("cod")
    rice_partner = rice.stockrecords.get().partner
    tea_partner = tea.stockrecords.get().partner
    for partner, fee, service in ((rice_partner, 30_000, "express"), (tea_partner, 15_000, "")):
        ShippingCharge.objects.create(
            order=order,
            partner=partner,
            courier="sandbox",
            service=service,
            fee=Decimal(fee),
            source="quote",
            weight_grams=100,
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.create_shipments(order)
    rice_parcel = Shipment.objects.get(order=order, partner=rice_partner)
    tea_parcel = Shipment.objects.get(order=order, partner=tea_partner)
    assert (rice_parcel.service, rice_parcel.shipping_fee) == ("express", Decimal(30_000))
    assert (tea_parcel.service, tea_parcel.shipping_fee) == ("", Decimal(15_000))
    assert rice_parcel.cod_amount + tea_parcel.cod_amount == order.total_incl_tax


def test_a_confirmed_cash_order_from_checkout_gets_its_parcels(
    client, settings, django_capture_on_commit_callbacks
):
    gateway_settings(settings)
    product = helpers.factories.product("Mật ong bạc hà", 150_000, stock=5)
    with django_capture_on_commit_callbacks(execute=True):
        response = guest_checkout(client, product, method="cod")
    assert response.status_code == 302
    shipment = Shipment.objects.get()
    assert shipment.order.status == "confirmed"
    assert shipment.booking_status == Shipment.BOOKED
    assert shipment.cod_amount == shipment.order.total_incl_tax


def _failing_create(monkeypatch, failures, retryable=True):
    calls = []
    real = sandbox.SandboxCourier.create

    def create(self, request):
        calls.append(request.code)
        if len(calls) <= failures:
            raise CourierError("courier answered 502", retryable=retryable)
        return real(self, request)

    monkeypatch.setattr(sandbox.SandboxCourier, "create", create)
    return calls


def test_booking_is_retried_until_the_courier_answers(
    monkeypatch, django_capture_on_commit_callbacks
):
    calls = _failing_create(monkeypatch, failures=2)
    order = helpers.order_of([(helpers.factories.product(), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        services.create_shipments(order)
    shipment = Shipment.objects.get(order=order)
    assert shipment.booking_status == Shipment.BOOKED
    assert shipment.booking_attempts == 3
    assert calls == [shipment.code] * 3  # one client order code: the courier books once


def test_booking_that_keeps_failing_is_shown_failed_and_can_be_retried(
    monkeypatch, django_capture_on_commit_callbacks
):
    calls = _failing_create(monkeypatch, failures=MAX_BOOKING_RETRIES + 1)
    order = helpers.order_of([(helpers.factories.product(), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        services.create_shipments(order)
    shipment = Shipment.objects.get(order=order)
    assert shipment.booking_status == Shipment.FAILED
    assert shipment.booking_error == "courier answered 502"
    assert len(calls) == MAX_BOOKING_RETRIES + 1
    assert shipment.state == states.AWAITING_BOOKING
    with django_capture_on_commit_callbacks(execute=True):
        assert services.retry_booking(shipment) is True
    shipment.refresh_from_db()
    assert shipment.booking_status == Shipment.BOOKED
    assert shipment.booking_error == ""
    assert services.retry_booking(shipment) is False


def test_a_refused_booking_is_not_retried(monkeypatch, django_capture_on_commit_callbacks):
    calls = _failing_create(monkeypatch, failures=5, retryable=False)
    order = helpers.order_of([(helpers.factories.product(), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        services.create_shipments(order)
    shipment = Shipment.objects.get(order=order)
    assert len(calls) == 1
    assert shipment.booking_status == Shipment.FAILED


def test_a_booked_shipment_is_not_booked_again(cod_order, monkeypatch):
    order, _rice, _tea = cod_order
    calls = _failing_create(monkeypatch, failures=0)
    assert services.book(parcels(order)[0].pk) == "already"
    assert calls == []


# --- Courier events -------------------------------------------------------------------------


def test_events_are_kept_once_and_move_the_parcel_and_its_lines(cod_order):
    order, rice, _tea = cod_order
    rice_parcel = Shipment.objects.get(order=order, partner=rice.stockrecords.get().partner)
    assert move(rice_parcel, sandbox.PICKED, 1) == "applied"
    assert move(rice_parcel, sandbox.PICKED, 1) == "duplicate"
    rice_parcel.refresh_from_db()
    assert rice_parcel.state == states.IN_TRANSIT
    assert rice_parcel.events.count() == 1
    lines = {line.partner_id: line.status for line in order.lines.all()}
    assert lines[rice_parcel.partner_id] == "shipped"
    assert [s for p, s in lines.items() if p != rice_parcel.partner_id] == ["confirmed"]
    order.refresh_from_db()
    assert order.status == "partly_shipped"
    event = ShippingEvent.objects.get(order=order)
    assert event.event_type.code == states.IN_TRANSIT
    assert {q.line.partner_id for q in event.line_quantities.all()} == {rice_parcel.partner_id}
    stock = rice.stockrecords.get()
    assert (stock.num_in_stock, stock.num_allocated) == (8, 0)  # shipped: consumed


def test_older_events_are_kept_but_do_not_move_the_parcel(cod_order):
    order, _rice, _tea = cod_order
    shipment = parcels(order)[0]
    move(shipment, sandbox.DELIVERING, 30)
    assert move(shipment, sandbox.TRANSPORTING, 20) == "stored"
    shipment.refresh_from_db()
    assert shipment.state == states.OUT_FOR_DELIVERY
    assert shipment.raw_status == sandbox.DELIVERING
    late = shipment.events.get(raw_status=sandbox.TRANSPORTING)
    assert late.applied is False


def test_unknown_codes_are_kept_for_staff_and_change_nothing(cod_order, caplog):
    order, _rice, _tea = cod_order
    shipment = parcels(order)[0]
    move(shipment, sandbox.PICKED, 1)
    assert move(shipment, "teleported", 2, state=states.UNKNOWN) == "stored"
    shipment.refresh_from_db()
    assert shipment.state == states.IN_TRANSIT
    event = shipment.events.get(raw_status="teleported")
    assert (event.state, event.applied) == (states.UNKNOWN, False)
    assert "teleported" in caplog.text


def test_provisional_reports_join_the_timeline_but_never_move_the_parcel(cod_order):
    """GHTK shipper reports and GHN `exception` may be followed by a normal journey."""
    order, _rice, _tea = cod_order
    shipment = parcels(order)[0]
    move(shipment, sandbox.PICKED, 1)
    outcome = move(shipment, "exception", 2, state=states.LOST_DAMAGED, provisional=True)
    assert outcome == "stored"
    shipment.refresh_from_db()
    assert shipment.state == states.IN_TRANSIT and not shipment.is_final
    assert shipment.events.get(raw_status="exception").applied is False
    assert move(shipment, sandbox.DELIVERED, 3) == "applied"


def test_final_states_stick(cod_order):
    order, _rice, _tea = cod_order
    shipment = parcels(order)[0]
    move(shipment, sandbox.DELIVERED, 10)
    assert move(shipment, sandbox.DELIVERING, 20) == "stored"
    assert move(shipment, sandbox.RETURNING, 30) == "stored"
    shipment.refresh_from_db()
    assert shipment.state == states.DELIVERED
    assert shipment.events.count() == 3


def test_failed_delivery_then_delivered_again(cod_order):
    order, _rice, _tea = cod_order
    shipment = parcels(order)[0]
    for minutes, status in enumerate(
        [sandbox.PICKED, sandbox.DELIVERING, sandbox.FAILED, sandbox.DELIVERING, sandbox.DELIVERED]
    ):
        assert move(shipment, status, minutes) == "applied"
    shipment.refresh_from_db()
    assert shipment.state == states.DELIVERED
    assert (
        ShippingEvent.objects.filter(order=order, event_type__code="out_for_delivery").count() == 2
    )


def test_delivered_parcels_deliver_the_order_and_their_cash_pays_it(cod_order, monkeypatch):
    order, _rice, _tea = cod_order
    first, second = parcels(order)
    move(first, sandbox.PICKED, 1)
    move(first, sandbox.DELIVERED, 5)
    order.refresh_from_db()
    assert order.status == "partly_shipped"
    payment = Payment.objects.get(order=order)
    assert payment.amount_received == first.cod_amount
    assert payment.status == Payment.PENDING
    move(second, sandbox.PICKED, 2)
    order.refresh_from_db()
    assert order.status == "shipped"
    move(second, sandbox.DELIVERED, 6)
    order.refresh_from_db()
    payment.refresh_from_db()
    assert payment.status == Payment.PAID
    assert payment.amount_received == order.total_incl_tax
    assert order.status == "paid"
    history = list(order.status_changes.order_by("pk").values_list("new_status", flat=True))
    assert history[-3:] == ["shipped", "delivered", "paid"]
    assert {line.status for line in order.lines.all()} == {"delivered"}
    for shipment in parcels(order):
        assert shipment.cod_settled_at is not None
    # A late repeat of "delivered" with cash settled does not count the cash twice.
    move(second, sandbox.DELIVERED, 7)
    payment.refresh_from_db()
    assert payment.amount_received == order.total_incl_tax


def test_a_real_courier_settles_cash_only_when_it_says_so(cod_order):
    order, _rice, _tea = cod_order
    first, _second = parcels(order)
    move(first, sandbox.DELIVERED, 5, cod_settled=False)
    first.refresh_from_db()
    assert first.state == states.DELIVERED
    assert first.cod_settled_at is None
    assert Payment.objects.get(order=order).amount_received == 0
    assert move(first, "cod_transferred", 60, state=states.DELIVERED, cod_settled=True) == "stored"
    first.refresh_from_db()
    assert first.cod_settled_at is not None
    assert Payment.objects.get(order=order).amount_received == first.cod_amount


def test_returned_parcel_gives_its_stock_back_and_waits_for_staff(
    django_capture_on_commit_callbacks,
):
    product = helpers.factories.product("Miến dong", 50_000, stock=10)
    order = helpers.order_of([(product, 3)])
    with django_capture_on_commit_callbacks(execute=True):
        services.create_shipments(order)
    shipment = Shipment.objects.get(order=order)
    move(shipment, sandbox.PICKED, 1)
    stock = StockRecord.objects.get(product=product)
    assert (stock.num_in_stock, stock.num_allocated) == (7, 0)
    move(shipment, sandbox.RETURNING, 2)
    move(shipment, sandbox.RETURNED, 3)
    stock.refresh_from_db()
    assert (stock.num_in_stock, stock.num_allocated) == (10, 0)
    order.refresh_from_db()
    assert order.status == "returned"
    assert {line.status for line in order.lines.all()} == {"returned"}
    assert Payment.objects.get(order=order).amount_received == 0
    move(shipment, sandbox.RETURNED, 4)  # a repeat never restocks twice
    stock.refresh_from_db()
    assert stock.num_in_stock == 10


def test_returned_before_pickup_releases_the_allocation(django_capture_on_commit_callbacks):
    product = helpers.factories.product("Miến dong", 50_000, stock=10)
    order = helpers.order_of([(product, 2)])
    with django_capture_on_commit_callbacks(execute=True):
        services.create_shipments(order)
    move(Shipment.objects.get(order=order), sandbox.RETURNED, 1)
    stock = StockRecord.objects.get(product=product)
    assert (stock.num_in_stock, stock.num_allocated) == (10, 0)


def test_order_target_from_parcel_states():
    target = services.order_target
    assert target([states.AWAITING_PICKUP, states.AWAITING_PICKUP]) is None
    assert target([states.IN_TRANSIT, states.AWAITING_PICKUP]) == "partly_shipped"
    assert target([states.DELIVERED, states.AWAITING_PICKUP]) == "partly_shipped"
    assert target([states.IN_TRANSIT, states.DELIVERED]) == "shipped"
    assert target([states.DELIVERED, states.DELIVERED]) == "delivered"
    assert target([states.DELIVERED, states.RETURNED]) == "delivered"
    assert target([states.RETURNED]) == "returned"
    assert target([states.CANCELLED]) is None


# --- Handing over and the sandbox's clock ---------------------------------------------------


def test_handing_over_a_sandbox_parcel_starts_its_journey(cod_order, admin_user):
    order, _rice, _tea = cod_order
    shipment = parcels(order)[0]
    assert services.mark_handed_over(shipment, by=admin_user) is True
    assert services.mark_handed_over(shipment, by=admin_user) is False
    shipment.refresh_from_db()
    assert shipment.handed_over_at is not None
    assert shipment.state == states.IN_TRANSIT
    assert order.notes.filter(message__contains=shipment.code).count() == 1


def test_sandbox_parcels_travel_to_the_door_step_by_step(cod_order):
    order, _rice, _tea = cod_order
    now = timezone.now()
    assert advance_sandbox_shipments(now=now) == 0  # just booked: not yet
    seen = []
    for step in range(1, 12):
        advance_sandbox_shipments(now=now + timedelta(minutes=4 * step))
        seen.append(tuple(s.state for s in parcels(order)))
    assert seen[-1] == (states.DELIVERED, states.DELIVERED)
    first = parcels(order)[0]
    raw = list(first.events.order_by("event_time").values_list("raw_status", flat=True))
    expected = [sandbox.PICKED, sandbox.TRANSPORTING, sandbox.DELIVERING]
    if sandbox.fails_first_attempt(first.code):
        expected += [sandbox.FAILED, sandbox.DELIVERING]
    assert raw == [*expected, sandbox.DELIVERED]
    assert Payment.objects.get(order=order).status == Payment.PAID


def test_every_seventh_parcel_fails_its_first_delivery():
    codes = [f"{number}-1" for number in range(100_000, 100_700)]
    failing = [code for code in codes if sandbox.fails_first_attempt(code)]
    assert 60 <= len(failing) <= 140
    code = failing[0]
    assert sandbox.next_status(sandbox.DELIVERING, code, failed_before=False) == sandbox.FAILED
    assert sandbox.next_status(sandbox.FAILED, code, failed_before=True) == sandbox.DELIVERING
    assert sandbox.next_status(sandbox.DELIVERING, code, failed_before=True) == sandbox.DELIVERED
    assert sandbox.next_status(sandbox.DELIVERED, code, failed_before=True) is None


def test_events_are_unique_per_status_and_time(cod_order):
    order, _rice, _tea = cod_order
    shipment = parcels(order)[0]
    move(shipment, sandbox.PICKED, 1)
    move(shipment, sandbox.PICKED, 1)
    move(shipment, sandbox.PICKED, 2)
    assert TrackingEvent.objects.filter(shipment=shipment).count() == 2


# --- Pickup address and label ---------------------------------------------------------------


def test_pickup_address_prefers_the_pickup_point():
    from cooperatives.pickup import pickup_address

    partner = helpers.factories.cooperative("HTX Chè Đồng Phúc", commune_code="01933")
    cooperative = partner.cooperative
    cooperative.street_address = "Thôn Nà Hỳ"
    cooperative.phone_number = "+84912345678"
    cooperative.save()
    registered = pickup_address(partner)
    assert (registered.commune_code, registered.province_code) == ("01933", "19")
    assert (registered.street, registered.phone, registered.name) == (
        "Thôn Nà Hỳ",
        "+84912345678",
        "HTX Chè Đồng Phúc",
    )
    assert registered.province_name == "Thái Nguyên"
    cooperative.pickup_commune_code = "00004"
    cooperative.pickup_street_address = "12 Phố Đội Cấn"
    cooperative.save()
    pickup = pickup_address(partner)
    assert (pickup.commune_code, pickup.province_code, pickup.street) == (
        "00004",
        "01",
        "12 Phố Đội Cấn",
    )
    other = helpers.factories.Partner.objects.create(name="No cooperative", code="none")
    assert pickup_address(other) is None


def test_the_sandbox_prints_its_own_label_with_a_qr_code(cod_order):
    order, _rice, _tea = cod_order
    shipment = parcels(order)[0]
    label = sandbox.SandboxCourier().label([shipment.tracking_code])
    html = label.content.decode()
    assert label.content_type.startswith("text/html")
    assert shipment.tracking_code in html
    assert shipment.code in html
    assert "<svg" in html and "<path" in html
    assert "262.500" in html or "107.500" in html
    assert "Nguyễn Văn An" in html


def test_an_event_naming_our_code_fills_in_a_lost_booking(
    monkeypatch, django_capture_on_commit_callbacks
):
    """A booking whose answer was lost: the courier's first event brings the waybill."""
    _failing_create(monkeypatch, failures=5, retryable=False)
    order = helpers.order_of([(helpers.factories.product(), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        services.create_shipments(order)
    shipment = Shipment.objects.get(order=order)
    assert (shipment.booking_status, shipment.tracking_code) == (Shipment.FAILED, "")
    update = TrackingUpdate(
        courier="sandbox",
        tracking_code="SBXFROMCOURIER",
        client_code=shipment.code,
        raw_status=sandbox.PICKED,
        state=states.IN_TRANSIT,
        event_time=helpers.at(1),
    )
    assert services.apply_update(update) == "applied"
    shipment.refresh_from_db()
    assert (shipment.tracking_code, shipment.booking_status) == ("SBXFROMCOURIER", Shipment.BOOKED)
    assert shipment.state == states.IN_TRANSIT


def test_a_broker_that_is_down_shows_the_booking_failed(
    monkeypatch, django_capture_on_commit_callbacks
):
    from logistics import tasks

    def down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(tasks.book_shipment, "delay", down)
    order = helpers.order_of([(helpers.factories.product(), 1)])
    with django_capture_on_commit_callbacks(execute=True):
        services.create_shipments(order)
    shipment = Shipment.objects.get(order=order)
    assert shipment.booking_status == Shipment.FAILED
    assert "broker unreachable" in shipment.booking_error
