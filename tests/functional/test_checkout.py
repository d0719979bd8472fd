from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.apps.order.models import Order

from tests.checkout import (
    ADDRESS,
    add_to_basket,
    enter_details,
    give_email,
    guest_checkout,
    place_order,
)

pytestmark = pytest.mark.django_db


def test_guest_buys_with_cash_on_delivery(client, shop_catalogue, settings):
    wine = shop_catalogue["rice_wine"]
    response = guest_checkout(client, wine, quantity=2)
    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:thank-you")

    order = Order.objects.get()
    assert order.guest_email == "khach@example.com"
    assert order.status == "confirmed"
    # Delivery: the sandbox courier's quote for one parcel of 1.8 kg within Thái Nguyên.
    assert order.shipping_incl_tax == Decimal(27_000)
    assert order.total_incl_tax == Decimal(2 * 120_000 + 27_000)
    charge = order.shipping_charges.get()
    assert (charge.courier, charge.fee, charge.source) == ("sandbox", 27_000, "quote")
    line = order.lines.get()
    assert (line.product, line.quantity, line.partner_name) == (
        wine,
        2,
        "HTX rượu men lá Thanh Tâm",
    )
    assert [source.source_type.code for source in order.sources.all()] == ["cod"]

    address = order.shipping_address
    assert address.first_name == "Nguyễn Văn An"
    assert str(address.phone_number) == "+84912345678"
    assert (address.line1, address.line4, address.state) == (
        "Thôn Nà Pài",
        "Xã Đồng Phúc",
        "Thái Nguyên",
    )
    assert address.postcode == ""
    assert (address.units.province_code, address.units.commune_code) == ("19", "01933")

    record = wine.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (40, 2)

    thanks = client.get(response["Location"])
    assert order.number in thanks.text
    assert "267.000\xa0₫" in thanks.text
    assert "Thanh toán khi nhận hàng" in thanks.text


def test_review_step_shows_items_quantities_shipping_and_total(client, shop_catalogue):
    add_to_basket(client, shop_catalogue["rice_wine"], 1)
    add_to_basket(client, shop_catalogue["noodles"], 3)
    review = enter_details(client)
    assert review.status_code == 200
    text = review.text
    for expected in (
        "Rượu men lá Bằng Phúc",
        "Miến dong Nam Cường",
        "120.000\xa0₫",
        "195.000\xa0₫",  # 3 × 65.000
        # Two parcels quoted by the sandbox courier: 900 g (22.000) and 2.7 kg (35.000).
        "22.000\xa0₫",
        "35.000\xa0₫",
        "57.000\xa0₫",
        "372.000\xa0₫",  # 120.000 + 195.000 + 57.000
        "Xã Đồng Phúc",
        "0912 345 678",
        "Thanh toán khi nhận hàng",
    ):
        assert expected in text, expected
    assert Order.objects.count() == 0


def test_confirmation_email_is_vietnamese_with_order_number(
    client, shop_catalogue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        guest_checkout(client, shop_catalogue["noodles"], quantity=2)
    order = Order.objects.get()
    (message,) = mail.outbox
    assert message.to == ["khach@example.com"]
    assert order.number in message.subject
    assert "Chợ OCOP: đơn hàng" in message.subject
    assert "Cảm ơn bạn" in message.body
    assert "130.000\xa0₫" in message.body and "157.000\xa0₫" in message.body
    assert f"/shop/accounts/order-status/{order.number}/" in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html" and order.number in html


def test_failing_mail_server_does_not_lose_the_order(
    client, shop_catalogue, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.functional.test_checkout.BrokenMailBackend"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = guest_checkout(client, shop_catalogue["noodles"])
    assert len(callbacks) == 2  # the parcel's booking, and the e-mail (attempted, failed)
    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:thank-you")
    assert Order.objects.count() == 1
    assert mail.outbox == []


class BrokenMailBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("mail server down")


def test_registered_shopper_sees_history_and_last_address(
    client, shop_catalogue, django_user_model
):
    user = django_user_model.objects.create_user(email="an@example.com", password="mật-khẩu-dài")
    client.force_login(user)
    add_to_basket(client, shop_catalogue["noodles"])
    client.post(reverse("checkout:index"))
    enter_details(client, guest=False)
    assert place_order(client).status_code == 302
    order = Order.objects.get()
    assert order.user == user

    history = client.get(reverse("customer:order-list"))
    assert order.number in history.text
    detail = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert "Miến dong Nam Cường" in detail.text

    # The next checkout starts from the address of the last order.
    add_to_basket(client, shop_catalogue["noodles"])
    form = client.get(reverse("checkout:shipping-address")).context["form"]
    assert form.initial["first_name"] == ADDRESS["first_name"]
    assert (form.initial["province"], form.initial["commune"]) == ("19", "01933")
    assert form.initial["phone_number"] == "0912 345 678"


def test_guest_follows_order_with_the_link_from_the_email(client, shop_catalogue):
    guest_checkout(client, shop_catalogue["noodles"])
    order = Order.objects.get()
    url = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    other = client.__class__()
    first = other.get(url)
    assert first.status_code == 302  # asks for the e-mail address first
    other.post(first["Location"], {"email": "khach@example.com"})
    page = other.get(url)
    assert page.status_code == 200 and "Miến dong Nam Cường" in page.text


def test_cancelling_an_order_releases_its_stock(client, shop_catalogue):
    bottle = shop_catalogue["last_bottle"]
    guest_checkout(client, bottle)
    order = Order.objects.get()
    assert bottle.stockrecords.get().net_stock_level == 0
    order.set_status("cancelled")
    assert bottle.stockrecords.get().net_stock_level == 1
    order.refresh_from_db()
    order.set_status("cancelled")  # a second time changes nothing
    assert bottle.stockrecords.get().net_stock_level == 1


def test_experience_needs_no_address(client, shop_catalogue):
    from tests import factories

    tour = factories.product(
        "Trải nghiệm nấu rượu men lá – 1 ngày",
        450_000,
        stock=None,
        klass=factories.product_class("trai-nghiem", requires_shipping=False, track_stock=False),
        weight=None,
    )
    add_to_basket(client, tour)
    give_email(client)
    # No address step: the shop goes straight on to payment.
    assert client.get(reverse("checkout:shipping-address"))["Location"].endswith(
        reverse("checkout:shipping-method")
    )
    client.get(reverse("checkout:shipping-method"))
    client.post(reverse("checkout:payment-method"), {"payment_method": "cod"})
    review = client.get(reverse("checkout:preview"))
    assert review.status_code == 200
    assert "Không cần giao hàng" in review.text
    assert place_order(client).status_code == 302
    order = Order.objects.get()
    assert order.shipping_address is None
    assert order.total_incl_tax == 450_000


def test_staff_dashboard_shows_money_in_vnd(client, shop_catalogue, django_user_model):
    guest_checkout(client, shop_catalogue["noodles"])
    staff = django_user_model.objects.create_superuser(email="staff@example.com", password="x" * 12)
    client.force_login(staff)
    page = client.get(reverse("dashboard:order-list"))
    assert page.status_code == 200
    assert "87.000\xa0₫" in page.text  # 65.000 + 22.000 delivery
