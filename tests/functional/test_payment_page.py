"""The shopper's payment page: who may see it, what it shows in each state, its QR codes and
status endpoint, switching method, and the order pages pointing to it while unpaid."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from oscar.apps.order.models import Order
from PIL import Image, ImageDraw

from payments import services, stripe_client, vietqr
from payments.gateways import get as get_gateway
from payments.models import Payment
from tests.checkout import guest_checkout
from tests.fakes.stripe_server import FakeStripeServer
from tests.functional.test_checkout_payments import make_drink
from tests.payments import gateway_settings
from tests.shopper import confirm_age

pytestmark = pytest.mark.django_db

zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp decodes the QR codes")


def url(order, name="pay", hash=None):
    return reverse(
        f"payments:{name}",
        kwargs={"order_number": order.number, "hash": hash or order.verification_hash()},
    )


@pytest.fixture
def order(client, shop_catalogue):
    # 2 × 65.000 ₫ + the sandbox courier's quote for 1.8 kg within Thái Nguyên (27.000 ₫).
    guest_checkout(client, shop_catalogue["noodles"], quantity=2, method="vietqr")
    return Order.objects.select_related("payment").get()


def decode(image: Image.Image) -> str:
    (result,) = zxingcpp.read_barcodes(image)
    return result.text


def rasterise_svg(svg: str, scale: int = 8) -> Image.Image:
    """Draw qrcode's path SVG (one `Mx,yH..V..H..z` square per dark module) as a bitmap."""
    size = int(re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).group(1))
    image = Image.new("L", (size * scale, size * scale), 255)
    draw = ImageDraw.Draw(image)
    for x, y in re.findall(r"M(\d+),(\d+)H", svg):
        x, y = int(x) * scale, int(y) * scale
        draw.rectangle([x, y, x + scale - 1, y + scale - 1], fill=0)
    return image


# --- Access ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["pay", "pay-status", "pay-qr-png", "pay-qr-svg"])
def test_wrong_number_or_hash_is_404(client, order, shop_catalogue, name):
    guest_checkout(client, shop_catalogue["rice_wine"], method="vietqr")
    other = Order.objects.exclude(pk=order.pk).get()
    assert client.get(url(order, name)).status_code == 200
    assert client.get(url(order, name, hash="x" + order.verification_hash())).status_code == 404
    assert client.get(url(order, name, hash=other.verification_hash())).status_code == 404
    missing = reverse(f"payments:{name}", args=["99999999", order.verification_hash()])
    assert client.get(missing).status_code == 404


def test_page_needs_no_login_or_session(order):
    from django.test import Client

    assert Client().get(url(order)).status_code == 200


# --- VietQR ----------------------------------------------------------------------------------


def test_vietqr_page_shows_everything_to_transfer(client, order):
    payment = order.payment
    gateway = get_gateway("vietqr")
    page = client.get(url(order))
    assert page["Cache-Control"] == "no-store"
    text = page.text
    for expected in (
        gateway.bank.short_name,
        gateway.account_number,
        gateway.account_holder,
        "157.000\xa0₫",
        payment.reference,
        f'data-copy="{payment.reference}"',
        'data-copy="157000"',
        f'data-copy="{gateway.account_number}"',
        url(order, "pay-qr-png"),
        url(order, "pay-qr-svg"),
        url(order, "pay-status"),
        "data-qr",
        "<noscript>",
        "js/payment.js",
    ):
        assert expected in text, expected
    seconds = page.context["seconds_left"]
    assert 59 * 60 <= seconds <= 60 * 60
    assert 'data-paid-panel role="status" hidden' in text


def test_qr_png_and_svg_carry_amount_reference_and_account(client, order):
    payment = order.payment
    gateway = get_gateway("vietqr")
    png = client.get(url(order, "pay-qr-png"))
    assert png["Content-Type"] == "image/png"
    svg = client.get(url(order, "pay-qr-svg"))
    assert svg["Content-Type"] == "image/svg+xml"
    page = client.get(url(order)).text
    inline = re.search(r"<figure[^>]*data-qr>\s*(<svg.*?</svg>)", page, re.S).group(1)
    texts = {
        decode(Image.open(io.BytesIO(png.content))),
        decode(rasterise_svg(svg.content.decode())),
        decode(rasterise_svg(inline)),
    }
    assert len(texts) == 1
    parsed = vietqr.parse_payload(texts.pop())
    assert parsed.amount == 157_000
    assert parsed.purpose == payment.reference
    assert (parsed.bin, parsed.account) == (gateway.bank.bin, gateway.account_number)
    assert parsed.is_dynamic


def test_partial_payment_asks_for_the_rest(client, order):
    payment = order.payment
    assert services.simulate_transfer(payment, Decimal(100_000)) == "partial"
    page = client.get(url(order))
    assert "data-partial" in page.text
    assert "100.000\xa0₫" in page.text and "57.000\xa0₫" in page.text
    png = client.get(url(order, "pay-qr-png")).content
    assert vietqr.parse_payload(decode(Image.open(io.BytesIO(png)))).amount == 57_000
    status = client.get(url(order, "pay-status")).json()
    assert status == {
        "status": "pending",
        "paid": False,
        "amount_due": 157_000,
        "amount_received": 100_000,
        "amount_outstanding": 57_000,
    }
    assert page.context["others"] == []  # money came in: no switching method any more


def test_paid_page_and_status(client, order):
    services.simulate_transfer(order.payment)
    page = client.get(url(order))
    assert page.context["state"] == "paid"
    assert 'data-paid-panel role="status">' in page.text.replace(" hidden>", "")
    assert "data-pending-panel" not in page.text and "data-qr" not in page.text
    response = client.get(url(order, "pay-status"))
    assert response["Cache-Control"] == "no-store"
    body = response.json()
    assert (body["paid"], body["status"], body["amount_outstanding"]) == (True, "paid", 0)
    assert client.get(url(order, "pay-qr-png")).status_code == 404
    order.refresh_from_db()
    assert order.status == "paid"


def test_expired_order_says_not_to_pay(client, order):
    services.expire_overdue(now=timezone.now() + timezone.timedelta(days=1))
    page = client.get(url(order))
    assert page.context["state"] == "expired"
    assert "data-expired-panel" in page.text
    assert "data-qr" not in page.text and "data-simulate" not in page.text
    assert client.get(url(order, "pay-status")).json()["status"] == "expired"
    assert client.get(url(order, "pay-qr-svg")).status_code == 404


def test_time_running_out_before_the_job_shows_expired(client, order):
    Payment.objects.update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get(url(order)).context["state"] == "expired"


def test_demo_transfer_button(client, order):
    page = client.get(url(order))
    assert "data-simulate" in page.text
    response = client.post(url(order, "pay-simulate"))
    assert response.status_code == 302 and response["Location"] == url(order)
    order.payment.refresh_from_db()
    assert order.payment.status == "paid"


def test_no_demo_button_for_a_real_account(client, order, settings):
    gateway_settings(settings, DEMO=False)
    assert "data-simulate" not in client.get(url(order)).text
    assert client.post(url(order, "pay-simulate")).status_code == 404
    order.payment.refresh_from_db()
    assert order.payment.status == "pending"


def test_simulate_needs_csrf(order):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post(url(order, "pay-simulate")).status_code == 403


def test_payment_page_query_count_is_small_and_constant(client, order, shop_catalogue):
    guest_checkout(client, shop_catalogue["rice_wine"], quantity=3, method="vietqr")
    bigger = Order.objects.exclude(pk=order.pk).get()
    client.get(url(order))  # warm: the site's cached chrome
    counts = []
    for each in (order, bigger):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(each)).status_code == 200
        counts.append(len(captured))
    services.simulate_transfer(bigger.payment, Decimal(1000))
    with CaptureQueriesContext(connection) as captured:
        client.get(url(bigger))
    counts.append(len(captured))
    print(f"payment page: {counts} queries")
    assert len(set(counts)) == 1 and counts[0] <= 8


# --- Stripe ----------------------------------------------------------------------------------


@pytest.fixture
def card_order(client, shop_catalogue, with_stripe):
    guest_checkout(client, shop_catalogue["noodles"], method="stripe")
    return Order.objects.select_related("payment").get()


def test_card_failure_offers_retry_and_other_offered_methods(client, card_order):
    Payment.objects.update(last_error="insufficient_funds")
    page = client.get(url(card_order))
    with translation.override("vi"):
        message = str(stripe_client.card_error_message("insufficient_funds"))
    assert message in page.text
    assert "data-client-secret" in page.text  # the Payment Element again, to retry
    assert [g.code for g in page.context["others"]] == ["vietqr", "cod"]

    response = client.post(url(card_order, "pay-switch"), {"method": "vietqr"})
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert (payment.method, payment.last_error) == ("vietqr", "")
    page = client.get(url(card_order))
    assert payment.reference in page.text and "js.stripe.com" not in page.text


def test_switching_to_cash_confirms_the_order(client, card_order):
    client.post(url(card_order, "pay-switch"), {"method": "cod"})
    card_order.refresh_from_db()
    assert card_order.status == "confirmed"
    assert set(card_order.lines.values_list("status", flat=True)) == {"confirmed"}


def test_switching_to_a_method_not_offered_is_refused(client, shop_catalogue, with_stripe):
    confirm_age(client)
    guest_checkout(client, make_drink(), method="stripe")
    order = Order.objects.get()
    assert order.payment.offered_methods == ["vietqr", "stripe"]
    for method in ("cod", "bitcoin", ""):
        response = client.post(url(order, "pay-switch"), {"method": method})
        assert response.status_code == 400
    order.payment.refresh_from_db()
    assert order.payment.method == "stripe"
    assert [g.code for g in client.get(url(order)).context["others"]] == ["vietqr"]


def test_shopper_back_before_the_webhook_sees_processing(client, card_order, with_stripe):
    client.get(url(card_order))
    intent = Payment.objects.get().stripe_payment_intent
    with_stripe.succeed(intent)
    # The query string Stripe adds is never trusted; the state comes from Stripe and our rows.
    page = client.get(url(card_order) + f"?payment_intent={intent}&redirect_status=succeeded")
    assert "data-processing" in page.text and "data-client-secret" not in page.text
    assert page.context["state"] == "pending"
    assert Payment.objects.get().status == "pending"


def test_stripe_down_gives_a_friendly_page(client, shop_catalogue, settings):
    with FakeStripeClosed() as dead_url:
        gateway_settings(settings, stripe_url=dead_url)
        guest_checkout(client, shop_catalogue["noodles"], method="stripe")
        order = Order.objects.get()
        page = client.get(url(order))
    assert page.status_code == 200
    assert "data-stripe-unavailable" in page.text
    assert [g.code for g in page.context["others"]] == ["vietqr", "cod"]


class FakeStripeClosed:
    """An API base on a port where nothing listens."""

    def __enter__(self):
        server = FakeStripeServer()
        server.httpd.server_close()
        return server.fake.url

    def __exit__(self, *exc):
        return None


# --- Oscar's order pages ---------------------------------------------------------------------


def test_order_pages_point_to_the_payment_page_while_unpaid(
    client, shop_catalogue, django_user_model
):
    user = django_user_model.objects.create_user(email="an@example.com", password="x" * 12)
    client.force_login(user)
    from tests.checkout import add_to_basket, enter_details, place_order

    add_to_basket(client, shop_catalogue["noodles"])
    client.post(reverse("checkout:index"))
    enter_details(client, guest=False, method="vietqr")
    place_order(client)
    order = Order.objects.get()
    detail = reverse("customer:order", kwargs={"order_number": order.number})
    page = client.get(detail)
    assert "data-awaiting-payment" in page.text and url(order) in page.text
    services.simulate_transfer(order.payment)
    page = client.get(detail)
    assert "data-awaiting-payment" not in page.text and url(order) not in page.text


def test_guest_order_status_page_points_to_the_payment_page(client, order):
    from django.test import Client

    status_url = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    other = Client()
    other.post(other.get(status_url)["Location"], {"email": "khach@example.com"})
    page = other.get(status_url)
    assert "data-awaiting-payment" in page.text and url(order) in page.text
