"""Stripe webhooks through HTTP, signed with the stripe library's own helper (stripe.md 4-7):
card money in whole dong, replays, failures, refunds kept in sync, and nothing misapplied."""

import time
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from payments.models import Payment, Transaction, WebhookEvent
from tests.payments import (
    charge,
    gateways_config,
    intent,
    pending_order,
    post,
    stripe_event,
    stripe_headers,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def stripe_keys(settings):
    settings.PAYMENT_GATEWAYS = gateways_config()


@pytest.fixture
def payment():
    payment = pending_order(price=250_000, method="stripe", offered=("stripe", "vietqr"))
    payment.stripe_payment_intent = f"pi_test_{payment.order.number}"
    payment.save()
    return payment


def deliver(client, body, **signing):
    return post(client, "stripe", body, stripe_headers(body, **signing))


def fresh(payment):
    payment.refresh_from_db()
    payment.order.refresh_from_db()
    return payment


def test_succeeded_pays_in_whole_dong(client, payment):
    body = stripe_event("payment_intent.succeeded", intent(payment))
    response = deliver(client, body)

    assert response.status_code == 200 and response.json() == {"success": True}
    payment = fresh(payment)
    assert payment.status == Payment.PAID and payment.review_reason == ""
    assert payment.amount_received == Decimal(250_000)  # not 2,500 (÷100) nor 25,000,000 (×100)
    assert payment.order.status == "paid"
    txn = Transaction.objects.get()
    assert (txn.source, txn.provider_id, txn.amount) == (
        "stripe",
        payment.stripe_payment_intent,
        Decimal(250_000),
    )


def test_amount_counted_is_amount_received(client, payment):
    body = stripe_event("payment_intent.succeeded", intent(payment, received=100_000))
    deliver(client, body)
    payment = fresh(payment)
    assert (payment.status, payment.amount_received) == (Payment.PENDING, Decimal(100_000))
    assert payment.review_reason == Payment.PARTIAL


def test_replayed_event_changes_nothing(client, payment):
    body = stripe_event("payment_intent.succeeded", intent(payment), id="evt_once")
    for _ in range(3):
        assert deliver(client, body).status_code == 200
    assert fresh(payment).amount_received == Decimal(250_000)
    assert Transaction.objects.count() == 1 and WebhookEvent.objects.count() == 1


def test_a_second_event_for_the_same_intent_pays_once(client, payment):
    """Stripe may send two events about one success (e.g. after a resend): idempotent on pi."""
    deliver(client, stripe_event("payment_intent.succeeded", intent(payment), id="evt_a"))
    deliver(client, stripe_event("payment_intent.succeeded", intent(payment), id="evt_b"))
    payment = fresh(payment)
    assert payment.amount_received == Decimal(250_000) and payment.review_reason == ""
    assert Transaction.objects.count() == 1 and WebhookEvent.objects.count() == 2


def test_payment_failed_keeps_the_order_waiting_with_the_decline_code(client, payment):
    failed = intent(
        payment,
        status="requires_payment_method",
        received=0,
        last_payment_error={"code": "card_declined", "decline_code": "insufficient_funds"},
    )
    assert deliver(client, stripe_event("payment_intent.payment_failed", failed)).status_code == 200
    payment = fresh(payment)
    assert payment.last_error == "insufficient_funds"
    assert (payment.status, payment.amount_received) == (Payment.PENDING, 0)
    assert payment.order.status == "pending_payment"
    assert not Transaction.objects.exists()

    # The shopper retries with another card: success clears the error.
    deliver(client, stripe_event("payment_intent.succeeded", intent(payment)))
    payment = fresh(payment)
    assert (payment.status, payment.last_error) == (Payment.PAID, "")


def test_failure_after_success_does_not_unpay(client, payment):
    deliver(client, stripe_event("payment_intent.succeeded", intent(payment)))
    failed = intent(payment, status="requires_payment_method", last_payment_error={"code": "x"})
    deliver(client, stripe_event("payment_intent.payment_failed", failed))
    payment = fresh(payment)
    assert (payment.status, payment.last_error) == (Payment.PAID, "")


def test_charge_refunded_partial_then_full_is_synced(client, payment):
    deliver(client, stripe_event("payment_intent.succeeded", intent(payment)))

    deliver(client, stripe_event("charge.refunded", charge(payment, refunded=50_000)))
    payment = fresh(payment)
    assert payment.amount_refunded == Decimal(50_000)

    full = stripe_event("charge.refunded", charge(payment, refunded=250_000))
    deliver(client, full)
    deliver(client, full)  # replay
    # An older event arriving late (Stripe does not order deliveries) changes nothing either.
    deliver(client, stripe_event("charge.refunded", charge(payment, refunded=50_000)))
    payment = fresh(payment)
    assert payment.amount_refunded == Decimal(250_000)
    refunds = payment.transactions.filter(kind=Transaction.REFUND)
    assert sorted(refunds.values_list("amount", flat=True)) == [50_000, 200_000]
    assert set(refunds.values_list("refund_status", flat=True)) == {Transaction.SUCCEEDED}


def test_card_journey_against_the_fake_stripe_api(client, settings):
    """The real client code creates the intent and the refund on a local fake Stripe; the
    signed webhooks then pay the order and confirm the refund without counting it twice."""
    from payments import gateways, services
    from tests.fakes.stripe_server import API_KEY, FakeStripeServer

    with FakeStripeServer() as fake:
        options = settings.PAYMENT_GATEWAYS["stripe"]["OPTIONS"]
        options.update(SECRET_KEY=API_KEY, API_BASE=fake.url)
        payment = pending_order(price=250_000, method="stripe", offered=("stripe",))
        gateways.get("stripe").start(payment)
        assert fake.posts("/v1/payment_intents")[0].form["amount"] == "250000"  # never x100

        paid = fake.succeed(payment.stripe_payment_intent)
        assert deliver(client, stripe_event("payment_intent.succeeded", paid)).status_code == 200
        payment = fresh(payment)
        assert (payment.status, payment.amount_received) == (Payment.PAID, Decimal(250_000))

        staff = get_user_model().objects.create_user(email="staff@example.com")
        assert services.refund(payment, Decimal(100_000), by=staff) == "succeeded"
        assert fake.posts("/v1/refunds")[0].form["amount"] == "100000"
    refunded = charge(payment, refunded=100_000)
    deliver(client, stripe_event("charge.refunded", refunded))
    payment = fresh(payment)
    assert payment.amount_refunded == Decimal(100_000)
    assert payment.transactions.filter(kind=Transaction.REFUND).count() == 1

    # A further refund made in Stripe's own dashboard arrives only as `charge.refunded`.
    deliver(client, stripe_event("charge.refunded", charge(payment, refunded=150_000)))
    payment = fresh(payment)
    assert payment.amount_refunded == Decimal(150_000)
    assert payment.transactions.filter(kind=Transaction.REFUND).count() == 2


@pytest.mark.parametrize(
    "event_type",
    ["customer.created", "payment_intent.created", "invoice.paid", "payment_intent.processing"],
)
def test_other_event_types_are_acknowledged_and_ignored(client, payment, event_type):
    response = deliver(client, stripe_event(event_type, intent(payment)))
    assert response.status_code == 200
    assert fresh(payment).status == Payment.PENDING and not Transaction.objects.exists()
    assert WebhookEvent.objects.get().status == WebhookEvent.IGNORED


@pytest.mark.parametrize(
    "headers",
    [
        lambda body: {},
        lambda body: stripe_headers(body, secret="whsec_wrong"),
        lambda body: stripe_headers(body, timestamp=int(time.time()) - 301),
        lambda body: stripe_headers(body + b" "),
        lambda body: {"Stripe-Signature": "t=1,v0=abc"},
        lambda body: {"Stripe-Signature": "garbage"},
    ],
    ids=["missing", "wrong-secret", "stale", "other-body", "no-v1", "garbage"],
)
def test_bad_signatures_get_401_and_change_nothing(client, payment, headers):
    body = stripe_event("payment_intent.succeeded", intent(payment))
    response = post(client, "stripe", body, headers(body))
    assert response.status_code == 401 and response.json() == {"success": False}
    assert fresh(payment).status == Payment.PENDING and not Transaction.objects.exists()
    assert WebhookEvent.objects.get().status == WebhookEvent.REJECTED


def test_stripe_webhook_is_404_when_stripe_is_not_configured(client, settings, payment):
    settings.PAYMENT_GATEWAYS = {
        key: value for key, value in gateways_config().items() if key != "stripe"
    }
    body = stripe_event("payment_intent.succeeded", intent(payment))
    assert deliver(client, body).status_code == 404
    assert fresh(payment).status == Payment.PENDING


def test_metadata_naming_another_order_does_not_pay_it(client, payment):
    other = pending_order(price=250_000, method="stripe", offered=("stripe",))
    other.stripe_payment_intent = "pi_other"
    other.save()
    body = stripe_event(
        "payment_intent.succeeded", intent(payment, order_number=other.order.number)
    )
    assert deliver(client, body).status_code == 200
    assert fresh(other).status == Payment.PENDING and fresh(other).amount_received == 0
    assert not other.transactions.exists()


def test_unknown_intent_naming_a_bank_transfer_order_does_not_pay_it(client):
    """An intent this shop never made for the order (another integration on the same Stripe
    account, or a forged metadata field) is not money for a VietQR order."""
    bank = pending_order(price=250_000)
    obj = {
        "id": "pi_foreign",
        "object": "payment_intent",
        "amount": 250_000,
        "amount_received": 250_000,
        "currency": "vnd",
        "status": "succeeded",
        "metadata": {"order_number": bank.order.number},
    }
    assert deliver(client, stripe_event("payment_intent.succeeded", obj)).status_code == 200
    bank = fresh(bank)
    assert (bank.status, bank.amount_received) == (Payment.PENDING, 0)


def test_intent_in_another_currency_is_not_counted_as_dong(client, payment):
    obj = {**intent(payment, amount=1000), "currency": "usd"}
    assert deliver(client, stripe_event("payment_intent.succeeded", obj)).status_code == 200
    payment = fresh(payment)
    assert (payment.status, payment.amount_received) == (Payment.PENDING, 0)


@pytest.mark.parametrize(
    ("received", "status"),
    [("250000", 200), (250000.0, 200), (True, 200), (None, 200), ([1], 200), (10**20, 400)],
    ids=["string", "float", "bool", "null", "array", "huge"],
)
def test_wrong_amount_types_never_500_and_never_pay(client, payment, received, status):
    obj = intent(payment)
    obj["amount_received"] = received
    obj["amount"] = received
    response = deliver(client, stripe_event("payment_intent.succeeded", obj))
    assert response.status_code == status
    payment = fresh(payment)
    assert (payment.status, payment.amount_received) == (Payment.PENDING, 0)
    assert not Transaction.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        b"{",
        b"[]",
        b'{"id": "evt_1"}',
        b'{"id": "evt_1", "type": "payment_intent.succeeded", "data": []}',
        b'{"id": 5, "type": "payment_intent.succeeded", "data": {"object": {}}}',
        b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    ],
    ids=["truncated", "array", "no-type", "data-array", "id-int", "nested"],
)
def test_malformed_signed_bodies_get_400(client, payment, body):
    response = deliver(client, body)
    assert response.status_code == 400
    assert fresh(payment).status == Payment.PENDING and not Transaction.objects.exists()


def test_non_utf8_body_gets_400(client, payment):
    body = b'{"id": "evt_\xff"}'
    header = {"Stripe-Signature": f"t={int(time.time())},v1={'0' * 64}"}
    response = post(client, "stripe", body, header)
    assert response.status_code == 400
    assert fresh(payment).status == Payment.PENDING


def test_signed_body_over_one_megabyte_gets_413(client, payment):
    body = stripe_event("payment_intent.succeeded", intent(payment, description="x" * 1_100_000))
    assert deliver(client, body).status_code == 413
    assert fresh(payment).status == Payment.PENDING


def test_spec_test_vector_signature_is_accepted_by_the_library_helper():
    """stripe.md 4: the library's helper reproduces the spec's constructed vector."""
    import stripe

    payload = (
        '{"id":"evt_test_ocop_1","object":"event","type":"payment_intent.succeeded","data":'
        '{"object":{"id":"pi_test_ocop_1","object":"payment_intent","amount":250000,'
        '"currency":"vnd","status":"succeeded","metadata":{"order_number":"104271"}}}}'
    )
    header = stripe.WebhookSignature.generate_signature_header(
        payload, "whsec_ocop_example_secret", timestamp=1767232800
    )
    assert header == (
        "t=1767232800,v1=4d6056270440b7a892297be84335479ae65aabd57e4908add948a8484ce451fb"
    )
