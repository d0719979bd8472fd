"""Checkout offers the enabled payment gateways, each only where the law and limits allow, and
places VietQR and card orders as "pending payment" with their Payment record."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.models import Order

from catalog.models import AgeConfirmation
from payments.models import Payment
from tests import factories
from tests.checkout import (
    ADDRESS,
    PLACE_ORDER,
    add_to_basket,
    choose_delivery,
    enter_details,
    give_email,
    guest_checkout,
    place_order,
)
from tests.payments import gateway_settings
from tests.shopper import confirm_age

pytestmark = pytest.mark.django_db


def make_drink():
    """A real alcoholic drink (its class carries the ABV attribute)."""
    wine = factories.product(
        "Rượu ngô Bắc Hà 40%", 150_000, 20, klass=factories.alcohol_class(), weight=None
    )
    wine.attr.abv_percent = 40.0
    wine.save()
    return wine


@pytest.fixture
def drink(shop_catalogue):
    return make_drink()


def choice(response, code):
    return next(c for c in response.context["choices"] if c.code == code)


# --- Placing orders with each method ---------------------------------------------------------


def test_vietqr_order_waits_for_payment_on_the_payment_page(
    client, shop_catalogue, settings, django_capture_on_commit_callbacks
):
    noodles = shop_catalogue["noodles"]
    with django_capture_on_commit_callbacks(execute=True):
        response = guest_checkout(client, noodles, quantity=2, method="vietqr")
    order = Order.objects.get()
    pay_url = reverse(
        "payments:pay", kwargs={"order_number": order.number, "hash": order.verification_hash()}
    )
    assert response.status_code == 302 and response["Location"] == pay_url

    total = Decimal(2 * 65_000 + 27_000)  # sandbox courier: 1.8 kg within Thái Nguyên
    assert order.status == "pending_payment"
    assert order.total_incl_tax == total
    assert set(order.lines.values_list("status", flat=True)) == {"pending_payment"}
    record = noodles.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (80, 2)  # reserved while unpaid

    payment = order.payment
    assert (payment.method, payment.status, payment.amount_due) == ("vietqr", "pending", total)
    assert payment.offered_methods == ["vietqr", "cod"]
    assert payment.reference.startswith("OCOP") and len(payment.reference) == 13
    minutes = settings.PAYMENT_EXPIRY_MINUTES
    assert abs(payment.expires_at - timezone.now() - datetime.timedelta(minutes=minutes)) < (
        datetime.timedelta(minutes=1)
    )
    (source,) = order.sources.all()
    assert (source.source_type.code, source.amount_allocated) == ("vietqr", total)
    assert not AgeConfirmation.objects.exists()  # no drink in this basket

    (message,) = mail.outbox
    assert pay_url in message.body
    assert pay_url in message.alternatives[0][0]

    page = client.get(pay_url)
    assert page.status_code == 200
    assert payment.reference in page.text


def test_cash_on_delivery_is_confirmed_at_once(client, shop_catalogue):
    response = guest_checkout(client, shop_catalogue["noodles"], method="cod")
    assert response["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert order.status == "confirmed"
    assert set(order.lines.values_list("status", flat=True)) == {"confirmed"}
    payment = order.payment
    assert (payment.method, payment.status, payment.expires_at) == ("cod", "pending", None)
    thanks = client.get(response["Location"])
    assert "data-awaiting-payment" not in thanks.text
    assert reverse("payments:pay", args=[order.number, order.verification_hash()]) not in (
        thanks.text
    )


def test_card_order_is_pending_and_its_page_creates_one_payment_intent(
    client, shop_catalogue, with_stripe
):
    response = guest_checkout(client, shop_catalogue["noodles"], method="stripe")
    order = Order.objects.get()
    assert order.status == "pending_payment"
    assert order.payment.method == "stripe"
    assert order.payment.offered_methods == ["vietqr", "stripe", "cod"]
    assert with_stripe.posts("/v1/payment_intents") == []  # nothing is called while placing

    page = client.get(response["Location"])
    assert page.status_code == 200
    (created,) = with_stripe.posts("/v1/payment_intents")
    assert created.form["amount"] == str(int(order.total_incl_tax))  # whole dong, never × 100
    assert created.form["currency"] == "vnd"
    assert created.form["metadata[order_number]"] == order.number
    intent_id = order.payment.__class__.objects.get().stripe_payment_intent
    secret = with_stripe.intents[intent_id]["client_secret"]
    assert "https://js.stripe.com/v3/" in page.text
    assert f'data-client-secret="{secret}"' in page.text
    assert 'data-stripe-key="pk_test_ocop_fake"' in page.text

    client.get(response["Location"])
    assert len(with_stripe.posts("/v1/payment_intents")) == 1  # the intent is reused


def test_default_choice_is_the_first_available_method(client, shop_catalogue):
    add_to_basket(client, shop_catalogue["noodles"])
    give_email(client)
    client.post(reverse("checkout:shipping-address"), ADDRESS)
    choose_delivery(client)
    page = client.get(reverse("checkout:payment-method"))
    assert [c.code for c in page.context["choices"]] == ["vietqr", "cod"]
    assert page.context["selected"] == "vietqr"
    assert 'value="vietqr" checked' in page.text

    client.post(reverse("checkout:payment-method"), {"payment_method": "cod"})
    page = client.get(reverse("checkout:payment-method"))
    assert page.context["selected"] == "cod"  # the shopper's choice is remembered


# --- Cash on delivery where it is not allowed -------------------------------------------------


def test_no_cash_on_delivery_for_alcoholic_drinks(client, drink):
    confirm_age(client)
    add_to_basket(client, drink)
    enter_details(client, method="vietqr")
    page = client.get(reverse("checkout:payment-method"))
    cod = choice(page, "cod")
    assert not cod.available
    assert "cash" in str(cod.availability.reason).lower() or "tiền mặt" in str(
        cod.availability.reason
    )
    assert 'value="cod" disabled' in page.text
    assert str(cod.availability.reason) in page.text
    assert page.context["selected"] == "vietqr"

    # A forged choice is refused and forgets the method chosen before.
    forged = client.post(reverse("checkout:payment-method"), {"payment_method": "cod"})
    assert forged.status_code == 400
    assert str(cod.availability.reason) in forged.text
    assert client.get(reverse("checkout:preview"))["Location"].endswith(
        reverse("checkout:payment-method")
    )
    assert place_order(client).status_code == 302
    assert Order.objects.count() == 0


def test_no_cash_on_delivery_above_the_limit(client, shop_catalogue, settings):
    gateway_settings(settings, cod_limit=200_000)
    add_to_basket(client, shop_catalogue["rice_wine"], 2)  # 240.000 + 27.000 delivery
    enter_details(client, method="cod")
    page = client.get(reverse("checkout:payment-method"))
    cod = choice(page, "cod")
    assert not cod.available
    assert "200.000\xa0₫" in str(cod.availability.reason)
    assert 'value="cod" disabled' in page.text
    forged = client.post(reverse("checkout:payment-method"), {"payment_method": "cod"})
    assert forged.status_code == 400
    place_order(client)
    assert Order.objects.count() == 0


def test_the_limit_counts_the_delivery_fee(client, shop_catalogue, settings):
    gateway_settings(settings, cod_limit=250_000)
    add_to_basket(client, shop_catalogue["rice_wine"], 2)  # 240.000 goods, 267.000 in all
    enter_details(client, method="cod")
    assert not choice(client.get(reverse("checkout:payment-method")), "cod").available


def test_basket_changed_after_choosing_cod_is_checked_again(client, shop_catalogue, drink):
    confirm_age(client)
    add_to_basket(client, shop_catalogue["noodles"])
    review = enter_details(client, method="cod")
    assert review.status_code == 200
    add_to_basket(client, drink)  # in another tab, after choosing cash on delivery

    preview = client.get(reverse("checkout:preview"))
    assert preview["Location"].endswith(reverse("checkout:payment-method"))
    response = place_order(client)
    assert response["Location"].endswith(reverse("checkout:payment-method"))
    assert Order.objects.count() == 0


def test_unknown_method_is_refused(client, shop_catalogue):
    add_to_basket(client, shop_catalogue["noodles"])
    enter_details(client, method="vietqr")
    response = client.post(reverse("checkout:payment-method"), {"payment_method": "stripe"})
    assert response.status_code == 400  # Stripe is not configured here
    assert client.get(reverse("checkout:preview")).status_code == 302


# --- The age confirmation --------------------------------------------------------------------


def test_age_confirmation_is_kept_with_the_order(client, drink):
    before = timezone.now()
    confirm_age(client)
    guest_checkout(client, drink, method="vietqr")
    order = Order.objects.get()
    confirmation = AgeConfirmation.objects.get(order=order)
    assert before - datetime.timedelta(seconds=1) <= confirmation.confirmed_at <= timezone.now()
    assert order.payment.offered_methods == ["vietqr"]  # no cash for drinks, later either


def test_placing_an_order_adds_one_payment_per_order(client, shop_catalogue):
    guest_checkout(client, shop_catalogue["noodles"], method="vietqr")
    client.post(reverse("checkout:preview"), PLACE_ORDER)  # a second click
    assert Order.objects.count() == Payment.objects.count() == 1
