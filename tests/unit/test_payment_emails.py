"""The shopper's payment e-mails (issue 4, point 8): in the language of the checkout, Vietnamese
first, with money as "150.000 ₫" and absolute links to the order and the payment page."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation
from oscar.apps.basket.models import Basket
from oscar.apps.partner.strategy import Selector
from oscar.test.factories import create_order

from payments import services, tasks
from payments.emails import send_payment_email_now
from payments.models import Payment, Transaction
from tests import factories
from tests.payments import gateways_config

pytestmark = pytest.mark.django_db

SITE = "https://cho-ocop.example.vn"
EMAIL = "khach@example.vn"
NBSP = "\xa0"


@pytest.fixture(autouse=True)
def site(settings):
    settings.PAYMENT_GATEWAYS = gateways_config()
    settings.SITE_URL = SITE


def place(method="vietqr", *, language="vi", price=150_000, user=None, email=EMAIL):
    product = factories.product("Miến dong Nam Cường", price, stock=10)
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(product)
    with translation.override(language):
        order = create_order(
            basket=basket,
            user=user,
            status=services.initial_order_status(method),
            guest_email="" if user else email,
        )
        order.refresh_from_db()
        return services.create_for_order(order, method, [method])


def send(payment, kind, amount=""):
    mail.outbox.clear()
    tasks.send_payment_email.delay(payment.pk, kind, amount)
    [message] = mail.outbox
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html" and message.to == [payment.order.email]
    return message.subject, message.body, html


def guest_link(order):
    path = reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )
    return SITE + path


def pay_link(order):
    path = reverse(
        "payments:pay", kwargs={"order_number": order.number, "hash": order.verification_hash()}
    )
    return SITE + path


def paid(payment, amount):
    payment.amount_received = Decimal(amount)
    payment.status = Payment.PAID
    payment.save()
    return payment


# --- Payment received ---------------------------------------------------------------------------


def test_received_in_vietnamese(settings):
    payment = paid(place(), 150_000)
    number = payment.order.number
    subject, text, html = send(payment, "received")

    assert subject == f"Chợ OCOP: đã nhận thanh toán cho đơn hàng {number}"
    assert f"Chúng tôi đã nhận 150.000{NBSP}₫ cho đơn hàng {number} của bạn." in text
    assert "Phương thức thanh toán: Chuyển khoản ngân hàng (VietQR)" in text
    assert "các hợp tác xã sẽ đóng gói sản phẩm" in text
    assert guest_link(payment.order) in text
    assert f'href="{guest_link(payment.order)}"' in html
    assert '<html lang="vi">' in html and f"150.000{NBSP}₫" in html
    assert "nhiều hơn" not in text


def test_received_in_english_keeps_the_vietnamese_money_format():
    payment = paid(place(language="en"), 150_000)
    subject, text, html = send(payment, "received")

    assert subject == f"Chợ OCOP: payment received for order {payment.order.number}"
    assert f"We have received 150.000{NBSP}₫ for your order {payment.order.number}." in text
    assert "Payment method: Bank transfer (VietQR)" in text
    assert "the cooperatives now pack your products" in text
    assert '<html lang="en">' in html


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("vi", f"Số tiền này nhiều hơn tổng đơn hàng (150.000{NBSP}₫) là 50.000{NBSP}₫."),
        ("en", f"That is 50.000{NBSP}₫ more than the order total of 150.000{NBSP}₫."),
    ],
)
def test_received_more_than_due_says_staff_will_give_it_back(language, sentence):
    payment = paid(place(language=language), 200_000)
    subject, text, html = send(payment, "received")
    assert f"200.000{NBSP}₫" in text and sentence in text and sentence in html


def test_received_cash_on_delivery_closes_the_order():
    payment = paid(place("cod", language="en"), 150_000)
    subject, text, html = send(payment, "received")
    assert "Payment method: Cash on delivery (COD)" in text
    assert "Your order is now fully paid." in text and "pack your products" not in text


def test_a_registered_shopper_follows_the_order_in_their_account(django_user_model):
    user = django_user_model.objects.create_user(email="an@example.vn", password="x-2026")
    payment = paid(place(user=user), 150_000)
    subject, text, html = send(payment, "received")
    assert SITE + reverse("customer:order", kwargs={"order_number": payment.order.number}) in text
    assert payment.order.verification_hash() not in text


# --- Card payment failed ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "subject", "reason", "retry"),
    [
        (
            "vi",
            "Chợ OCOP: thanh toán thẻ cho đơn hàng {n} không thành công",
            "Lý do: Thẻ của bạn không đủ số dư.",
            "bạn hãy thử lại với thẻ khác hoặc chọn cách thanh toán khác",
        ),
        (
            "en",
            "Chợ OCOP: the card payment for order {n} did not go through",
            "Reason: Your card has insufficient funds.",
            "try again with another card, or choose another way to pay",
        ),
    ],
)
def test_failed_card_payment_gives_the_reason_and_the_way_back(language, subject, reason, retry):
    payment = place("stripe", language=language)
    payment.last_error = "insufficient_funds"
    payment.expires_at = timezone.make_aware(timezone.datetime(2026, 11, 27, 9, 30))
    payment.save()
    got_subject, text, html = send(payment, "failed")

    assert got_subject == subject.format(n=payment.order.number)
    assert reason in text and retry in text
    assert f"150.000{NBSP}₫" in text
    assert "09:30 27/11/2026" in text  # the deadline, in Vietnam's time
    assert pay_link(payment.order) in text
    assert f'href="{pay_link(payment.order)}"' in html


def test_failed_card_payment_with_an_unknown_code_gets_the_generic_reason():
    payment = place("stripe", language="en")
    payment.last_error = "do_not_honor"
    payment.save()
    subject, text, html = send(payment, "failed")
    assert "Card payment is unavailable right now." in text


# --- Order expired ------------------------------------------------------------------------------


def test_expired_in_vietnamese_says_cancelled_and_not_to_pay():
    payment = place()
    payment.status = Payment.EXPIRED
    payment.save()
    subject, text, html = send(payment, "expired")

    number = payment.order.number
    assert subject == f"Chợ OCOP: đơn hàng {number} đã bị hủy vì chưa được thanh toán đúng hạn"
    assert f"khoản thanh toán 150.000{NBSP}₫ cho đơn hàng {number}" in text
    assert "Vui lòng không thanh toán cho đơn hàng này nữa." in text
    assert "Nếu bạn vừa chuyển tiền, khoản tiền đó không bị mất" in text
    assert f'href="{SITE}"' in html


def test_expired_with_money_already_received_promises_it_back():
    payment = place(language="en")
    payment.status = Payment.EXPIRED
    payment.amount_received = Decimal(100_000)
    payment.save()
    subject, text, html = send(payment, "expired")

    assert subject == f"Chợ OCOP: order {payment.order.number} cancelled, it was not paid in time"
    assert "Please do not pay for this order any more." in text
    assert f"We had already received 100.000{NBSP}₫ for it" in text
    assert "If you have just sent the money" not in text


# --- Refund made --------------------------------------------------------------------------------


def refund(payment, amount, *, source="manual", bank_reference=""):
    Transaction.objects.create(
        source=source,
        provider_id=bank_reference or f"re_{payment.pk}_{amount}",
        kind=Transaction.REFUND,
        refund_status=Transaction.SUCCEEDED,
        payment=payment,
        amount=Decimal(amount),
        bank_reference=bank_reference,
    )
    payment.amount_refunded += Decimal(amount)
    payment.save()


def test_refund_by_bank_transfer_in_vietnamese():
    payment = paid(place(), 200_000)
    refund(payment, 50_000, bank_reference="FT26331A")
    subject, text, html = send(payment, "refunded", "50000")

    number = payment.order.number
    assert subject == f"Chợ OCOP: hoàn tiền 50.000 ₫ cho đơn hàng {number}"
    assert f"Chúng tôi đã hoàn 50.000{NBSP}₫ cho đơn hàng {number} của bạn." in text
    assert "Chúng tôi đã chuyển khoản lại cho bạn (mã giao dịch: FT26331A)." in text
    assert "Tổng cộng" not in text  # the only refund
    assert f'href="{guest_link(payment.order)}"' in html


def test_second_card_refund_in_english_tells_the_total():
    payment = paid(place("stripe", language="en"), 150_000)
    refund(payment, 40_000, source="stripe")
    refund(payment, 60_000, source="stripe")
    subject, text, html = send(payment, "refunded", "60000")

    assert subject == f"Chợ OCOP: refund of 60.000 ₫ for order {payment.order.number}"
    assert "The money goes back to the card you paid with." in text
    assert f"In all, 100.000{NBSP}₫ has been refunded for this order." in text


def test_cash_refund_by_hand():
    payment = paid(place("cod", language="en"), 150_000)
    refund(payment, 150_000)
    subject, text, html = send(payment, "refunded", "150000")
    assert "Our staff returned it to you as agreed with you." in text
    assert "card" not in text


# --- Edges --------------------------------------------------------------------------------------


def test_an_order_without_email_sends_nothing():
    payment = place(email="")
    send_payment_email_now(payment.pk, "received")
    assert mail.outbox == []


def test_unknown_kind_is_a_programming_error():
    payment = place()
    with pytest.raises(ValueError):
        send_payment_email_now(payment.pk, "thanks")
