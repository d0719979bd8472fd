"""Stripe card payments: the real `stripe` library against a local fake API, and signed webhooks.

No database: these exercise payments/stripe_client.py end to end over loopback HTTP.
"""

import json
import time
from decimal import Decimal

import pytest
import stripe
from django.utils import translation

from payments import stripe_client as sc
from payments.bank_webhooks import WebhookAuthError, WebhookPayloadError
from tests.fakes.stripe_server import API_KEY, FakeStripeServer

SECRET = "whsec_ocop_example_secret"


@pytest.fixture
def fake_stripe():
    """A fresh fake Stripe API per test; `fake_stripe.url` is the client's `api_base`."""
    with FakeStripeServer() as fake:
        yield fake


def _create(fake, *, amount=Decimal("150000.00"), key="pi-create-basket-7-1", **kwargs):
    return sc.create_payment_intent(
        order_number="104271",
        amount=amount,
        email="khach@example.vn",
        api_key=kwargs.pop("api_key", API_KEY),
        idempotency_key=key,
        api_base=fake.url,
        max_network_retries=0,
        **kwargs,
    )


# --- minor units ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "expected"),
    [
        (Decimal("150000.00"), "VND", 150000),
        (Decimal("150000"), "vnd", 150000),
        (250000, "VND", 250000),
        (Decimal("500"), "JPY", 500),
        (Decimal("12.34"), "USD", 1234),
    ],
)
def test_to_minor_units(amount, currency, expected):
    assert sc.to_minor_units(amount, currency) == expected


def test_vnd_is_never_multiplied_by_100():
    assert sc.to_minor_units(Decimal("150000.00")) != 15_000_000
    assert sc.from_minor_units(150000) == Decimal("150000")


@pytest.mark.parametrize("amount", [Decimal("150000.50"), Decimal("0.01"), Decimal("NaN")])
def test_fractional_dong_is_refused(amount):
    with pytest.raises(ValueError):
        sc.to_minor_units(amount, "VND")


# --- PaymentIntents ------------------------------------------------------------------------------


def test_create_payment_intent_sends_whole_dong(fake_stripe):
    info = _create(fake_stripe, metadata={"basket_id": "7"})

    assert info.id.startswith("pi_")
    assert info.client_secret.startswith(f"{info.id}_secret_")
    assert (info.status, info.amount, info.currency) == ("requires_payment_method", 150000, "vnd")
    assert info.order_number == "104271"
    [req] = fake_stripe.posts("/v1/payment_intents")
    assert req.header("Authorization") == f"Bearer {API_KEY}"
    assert req.header("Idempotency-Key") == "pi-create-basket-7-1"
    assert req.header("Content-Type").startswith("application/x-www-form-urlencoded")
    assert req.form["amount"] == "150000"
    assert req.form["currency"] == "vnd"
    assert req.form["metadata[order_number]"] == "104271"
    assert req.form["metadata[basket_id]"] == "7"
    assert req.form["automatic_payment_methods[enabled]"] == "true"
    assert req.form["receipt_email"] == "khach@example.vn"


def test_create_is_idempotent_on_replay(fake_stripe):
    first = _create(fake_stripe)
    again = _create(fake_stripe)

    assert again == first
    assert len(fake_stripe.intents) == 1
    assert len(fake_stripe.posts("/v1/payment_intents")) == 2


def test_reusing_a_key_with_other_params_is_an_error(fake_stripe):
    _create(fake_stripe)
    with pytest.raises(sc.StripeGatewayError) as exc:
        _create(fake_stripe, amount=Decimal("200000"))
    assert exc.value.retryable is False


def test_amount_below_minimum_maps_to_gateway_error(fake_stripe):
    with pytest.raises(sc.StripeGatewayError) as exc:
        _create(fake_stripe, amount=Decimal("5000"))

    err = exc.value
    assert (err.code, err.http_status, err.retryable) == ("amount_too_small", 400, False)
    with translation.override("en"):
        assert "minimum" in str(err.message)
    assert "cents" not in str(err.message)  # Stripe's own text is not shown to shoppers


def test_amount_above_eight_digits_is_refused_before_calling_stripe(fake_stripe):
    with pytest.raises(sc.StripeGatewayError) as exc:
        _create(fake_stripe, amount=Decimal("100000000"))
    assert exc.value.code == "amount_too_large"
    assert fake_stripe.requests == []


def test_wrong_api_key_is_an_auth_error(fake_stripe):
    with pytest.raises(sc.StripeGatewayError) as exc:
        _create(fake_stripe, api_key="sk_test_wrong_key_123")
    assert (exc.value.http_status, exc.value.retryable) == (401, False)
    assert "sk_test" not in str(exc.value)


def test_unreachable_stripe_is_retryable():
    with FakeStripeServer() as fake:
        url = fake.url
    with pytest.raises(sc.StripeGatewayError) as exc:
        sc.retrieve_payment_intent("pi_x", api_key=API_KEY, api_base=url, max_network_retries=0)
    assert exc.value.retryable is True


def test_retrieve_payment_intent(fake_stripe):
    created = _create(fake_stripe)
    fake_stripe.succeed(created.id)

    info = sc.retrieve_payment_intent(created.id, api_key=API_KEY, api_base=fake_stripe.url)

    assert (info.status, info.amount, info.amount_received) == ("succeeded", 150000, 150000)
    assert info.order_number == "104271"
    get = fake_stripe.requests[-1]
    assert (get.method, get.path) == ("GET", f"/v1/payment_intents/{created.id}")


def test_retrieve_missing_intent(fake_stripe):
    with pytest.raises(sc.StripeGatewayError) as exc:
        sc.retrieve_payment_intent("pi_nope", api_key=API_KEY, api_base=fake_stripe.url)
    assert (exc.value.code, exc.value.http_status) == ("resource_missing", 404)


# --- refunds -------------------------------------------------------------------------------------


def _refund(fake, pi_id, amount=None, key="refund-104271-1"):
    return sc.refund(
        pi_id,
        amount=amount,
        api_key=API_KEY,
        idempotency_key=key,
        api_base=fake.url,
        max_network_retries=0,
    )


def test_full_refund(fake_stripe):
    pi = _create(fake_stripe)
    fake_stripe.succeed(pi.id)

    info = _refund(fake_stripe, pi.id)

    assert (info.status, info.amount, info.currency, info.payment_intent) == (
        "succeeded",
        150000,
        "vnd",
        pi.id,
    )
    [req] = fake_stripe.posts("/v1/refunds")
    assert "amount" not in req.form
    assert req.header("Idempotency-Key") == "refund-104271-1"


def test_partial_refunds_then_over_refund(fake_stripe):
    pi = _create(fake_stripe)
    fake_stripe.succeed(pi.id)

    first = _refund(fake_stripe, pi.id, Decimal("50000.00"), key="refund-104271-1")
    second = _refund(fake_stripe, pi.id, Decimal("60000"), key="refund-104271-2")
    assert (first.amount, second.amount) == (50000, 60000)
    assert fake_stripe.posts("/v1/refunds")[0].form["amount"] == "50000"
    # Replaying a key does not refund twice.
    assert _refund(fake_stripe, pi.id, Decimal("60000"), key="refund-104271-2") == second

    with pytest.raises(sc.StripeGatewayError) as exc:
        _refund(fake_stripe, pi.id, Decimal("50000"), key="refund-104271-3")
    assert (exc.value.code, exc.value.http_status, exc.value.retryable) == (
        "amount_too_large",
        400,
        False,
    )
    assert fake_stripe.intents[pi.id]["amount_refunded"] == 110000


def test_refund_of_unpaid_intent_is_refused(fake_stripe):
    pi = _create(fake_stripe)
    with pytest.raises(sc.StripeGatewayError):
        _refund(fake_stripe, pi.id)


def test_fractional_refund_is_refused_locally(fake_stripe):
    with pytest.raises(ValueError):
        _refund(fake_stripe, "pi_x", Decimal("10.5"))
    assert fake_stripe.requests == []


# --- webhooks ------------------------------------------------------------------------------------


def _event(type_, obj, event_id="evt_test_ocop_1"):
    body = {
        "id": event_id,
        "object": "event",
        "type": type_,
        "created": 1767232800,
        "livemode": False,
        "data": {"object": obj},
    }
    return json.dumps(body, separators=(",", ":")).encode()


def _sign(payload: bytes, secret=SECRET, timestamp=None):
    ts = int(time.time()) if timestamp is None else timestamp
    return stripe.WebhookSignature.generate_signature_header(payload.decode(), secret, ts)


PI = {
    "id": "pi_test_ocop_1",
    "object": "payment_intent",
    "amount": 250000,
    "currency": "vnd",
    "status": "succeeded",
    "metadata": {"order_number": "104271"},
}


def test_spec_test_vector():
    payload = (
        b'{"id":"evt_test_ocop_1","object":"event","type":"payment_intent.succeeded","data":'
        b'{"object":{"id":"pi_test_ocop_1","object":"payment_intent","amount":250000,"currency":'
        b'"vnd","status":"succeeded","metadata":{"order_number":"104271"}}}}'
    )
    header = "t=1767232800,v1=4d6056270440b7a892297be84335479ae65aabd57e4908add948a8484ce451fb"
    event = sc.parse_webhook(payload, header, secret=SECRET, tolerance=None)
    assert (event.type, event.object_id, event.amount, event.order_number) == (
        "payment_intent.succeeded",
        "pi_test_ocop_1",
        250000,
        "104271",
    )
    with pytest.raises(WebhookAuthError, match="tolerance"):
        sc.parse_webhook(payload, header, secret=SECRET)


def test_payment_intent_succeeded():
    payload = _event("payment_intent.succeeded", PI)
    event = sc.parse_webhook(payload, _sign(payload), secret=SECRET)

    assert event.id == "evt_test_ocop_1"
    assert event.handled
    assert (event.object_id, event.payment_intent, event.object_type) == (
        "pi_test_ocop_1",
        "pi_test_ocop_1",
        "payment_intent",
    )
    assert (event.amount, event.currency, event.status) == (250000, "vnd", "succeeded")
    assert (event.order_number, event.created) == ("104271", 1767232800)


def test_payment_intent_payment_failed():
    obj = {
        **PI,
        "status": "requires_payment_method",
        "last_payment_error": {"code": "card_declined", "decline_code": "insufficient_funds"},
    }
    payload = _event("payment_intent.payment_failed", obj)
    event = sc.parse_webhook(payload, _sign(payload), secret=SECRET)
    assert (event.type, event.status, event.order_number) == (
        "payment_intent.payment_failed",
        "requires_payment_method",
        "104271",
    )
    assert event.raw["data"]["object"]["last_payment_error"]["decline_code"] == "insufficient_funds"


def test_charge_refunded_partial():
    charge = {
        "id": "ch_1",
        "object": "charge",
        "amount": 250000,
        "amount_refunded": 100000,
        "currency": "vnd",
        "status": "succeeded",
        "refunded": False,
        "payment_intent": "pi_test_ocop_1",
        "metadata": {"order_number": "104271"},
    }
    payload = _event("charge.refunded", charge)
    event = sc.parse_webhook(payload, _sign(payload), secret=SECRET)
    assert (event.object_id, event.payment_intent) == ("ch_1", "pi_test_ocop_1")
    assert (event.amount, event.amount_refunded) == (250000, 100000)


def test_unlisted_event_parses_but_is_not_handled():
    payload = _event("customer.created", {"id": "cus_1", "object": "customer"})
    event = sc.parse_webhook(payload, _sign(payload), secret=SECRET)
    assert event.type == "customer.created"
    assert not event.handled
    assert event.amount is None and event.order_number is None


def test_rolled_secret_any_v1_matches():
    payload = _event("payment_intent.succeeded", PI)
    good = _sign(payload)
    t, v1 = good.split(",")
    header = f"{t},v1={'0' * 64},{v1},v0=ignored"
    assert sc.parse_webhook(payload, header, secret=SECRET).id == "evt_test_ocop_1"


@pytest.mark.parametrize(
    "tamper",
    [
        "wrong_secret",
        "changed_body",
        "stale",
        "no_v1",
        "missing_header",
        "garbage_header",
    ],
)
def test_bad_signatures(tamper):
    payload = _event("payment_intent.succeeded", PI)
    header = _sign(payload)
    if tamper == "wrong_secret":
        header = _sign(payload, secret="whsec_other")
    elif tamper == "changed_body":
        payload = payload.replace(b"250000", b"250001")
    elif tamper == "stale":
        header = _sign(payload, timestamp=int(time.time()) - 301)
    elif tamper == "no_v1":
        header = header.replace("v1=", "v0=")
    elif tamper == "missing_header":
        header = None
    else:
        header = "not a header"
    with pytest.raises(WebhookAuthError):
        sc.parse_webhook(payload, header, secret=SECRET)


def test_missing_secret_is_an_auth_error():
    payload = _event("payment_intent.succeeded", PI)
    with pytest.raises(WebhookAuthError):
        sc.parse_webhook(payload, _sign(payload), secret="")


@pytest.mark.parametrize(
    "payload",
    [
        b"{not json",
        b"[]",
        b'{"id":"evt_1","object":"event","type":"x"}',
        b'{"id":"evt_1","object":"event","type":"x","data":{"object":"nope"}}',
        b"\xff\xfe",
    ],
)
def test_malformed_payloads(payload):
    header = stripe.WebhookSignature.generate_signature_header(
        payload.decode("utf-8", "replace"), SECRET
    )
    with pytest.raises(WebhookPayloadError):
        sc.parse_webhook(payload, header, secret=SECRET)


@pytest.mark.parametrize(
    ("exc", "code", "retryable"),
    [
        (
            stripe.CardError(
                "Your card has insufficient funds.",
                None,
                "card_declined",
                http_status=402,
                json_body={
                    "error": {
                        "type": "card_error",
                        "code": "card_declined",
                        "decline_code": "insufficient_funds",
                    }
                },
            ),
            "insufficient_funds",
            False,
        ),
        (stripe.RateLimitError("Too many requests", http_status=429), None, True),
        (stripe.APIError("boom", http_status=500), None, True),
        (stripe.PermissionError("no", http_status=403), None, False),
    ],
)
def test_error_mapping(exc, code, retryable):
    err = sc._gateway_error(exc)
    assert (err.code, err.retryable) == (code, retryable)
    if code == "insufficient_funds":
        with translation.override("en"):
            assert str(err.message) == "Your card has insufficient funds."
