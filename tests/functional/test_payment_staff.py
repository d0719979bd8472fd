"""Platform staff handle money in the Wagtail admin: partial, late and unmatched payments,
refunds (by hand and through Stripe), cash collected, reinstated orders and the webhook log.

Orders are placed directly with Oscar's order creator and given their Payment with
`services.create_for_order`, as checkout does, so these tests do not depend on the checkout UI.
"""

from decimal import Decimal

import pytest
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.basket.models import Basket
from oscar.apps.order.models import Order
from oscar.apps.partner.models import StockRecord
from oscar.apps.partner.strategy import Selector
from oscar.test.factories import create_order

from cooperatives.roles import install_officer_group
from payments import gateways, services
from payments.gateways import PaymentEvent
from payments.models import Payment, Transaction, WebhookEvent
from tests import factories
from tests.fakes.stripe_server import FakeStripeServer
from tests.payments import stripe_gateway

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/payments/"
UNMATCHED_URL = "/admin/unmatched-transfers/"
EVENTS_URL = "/admin/webhook-events/"
DEMO_ACCOUNT = "0011004455667"


def vietqr_gateway(demo=True):
    return {
        "BACKEND": "payments.gateways.bank_transfer.VietQRTransfer",
        "OPTIONS": {
            "BANK_BIN": "970436",
            "ACCOUNT_NUMBER": DEMO_ACCOUNT,
            "ACCOUNT_HOLDER": "CHO OCOP DEMO",
            "SEPAY_API_KEY": "sepay-key",
            "DEMO": demo,
        },
    }


COD_GATEWAY = {"BACKEND": "payments.gateways.cash.CashOnDelivery", "OPTIONS": {"MAX_TOTAL": 0}}


@pytest.fixture(autouse=True)
def payment_gateways(settings):
    """The embedded default, whatever the environment says: the demo account and COD."""
    settings.PAYMENT_GATEWAYS = {"vietqr": vietqr_gateway(), "cod": COD_GATEWAY}
    return settings


@pytest.fixture
def fake_stripe(settings):
    with FakeStripeServer() as fake:
        settings.PAYMENT_GATEWAYS = {
            "vietqr": vietqr_gateway(),
            "stripe": stripe_gateway(fake.url),
            "cod": COD_GATEWAY,
        }
        yield fake


@pytest.fixture
def product(db):
    partner = factories.cooperative("HTX rượu men lá Thanh Tâm", "01933")
    return factories.product("Rượu men lá Bằng Phúc", 120_000, 10, partner)


def place(product, method="vietqr", quantity=1):
    """An order as checkout leaves it: lines allocated, status by method, its Payment."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(product, quantity)
    order = create_order(
        basket=basket,
        status=services.initial_order_status(method),
        guest_email="khach@example.com",
    )
    payment = services.create_for_order(order, method, ["vietqr", "cod"])
    return fresh(payment)  # the order number as stored: a string


def fresh(payment):
    return Payment.objects.select_related("order").get(pk=payment.pk)


def staff_user(*codenames, email="ketoan@cho-ocop.test"):
    user = get_user_model().objects.create_user(email=email, password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        *Permission.objects.filter(content_type__app_label="payments", codename__in=codenames),
    )
    return user


@pytest.fixture
def staff(client):
    """A finance clerk: the payments permissions only, no superuser."""
    client.force_login(staff_user("view_payment", "change_payment"))
    return client


@pytest.fixture
def admin_client_(client):
    client.force_login(
        get_user_model().objects.create_superuser(email="admin@cho-ocop.test", password="x")
    )
    return client


def detail_url(payment, action=""):
    return f"/admin/payments/{payment.pk}/" + (f"{action}/" if action else "")


def said(client, response):
    """The messages an action left: [(level, text)]; then the page shows (and uses) them."""
    found = [(m.level, str(m)) for m in messages.get_messages(response.wsgi_request)]
    if response.status_code == 302:
        client.get(response["Location"])
    return found


def levels(client, response):
    return [level for level, _text in said(client, response)]


def bank_transfer(amount, content, event_id="sepay-1", account=DEMO_ACCOUNT):
    return services.process_event(
        PaymentEvent(
            source="sepay",
            event_id=event_id,
            kind=PaymentEvent.TRANSFER_IN,
            event_type="transfer_in",
            amount=Decimal(amount),
            content=content,
            account_number=account,
        )
    )


# --- Who may ----------------------------------------------------------------------------------


def test_commerce_officers_get_no_payment_screens(client, product):
    payment = place(product)
    officer = get_user_model().objects.create_user(email="canbo@cho-ocop.test", password="x")
    officer.groups.add(install_officer_group())
    client.force_login(officer)
    home = client.get("/admin/")
    assert home.status_code == 200
    assert 'data-panel="payments-review"' not in home.text
    assert LIST_URL not in home.text  # no menu item either
    for url in [LIST_URL, detail_url(payment), UNMATCHED_URL, EVENTS_URL]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"] == "/admin/", url
    for action in ["simulate", "refund", "clear-review", "collect-cash", "reinstate"]:
        response = client.post(detail_url(payment, action), {"amount": "120000", "note": "x"})
        assert response.status_code == 302
        assert response["Location"] == "/admin/"
    assert fresh(payment).amount_received == 0
    assert not Transaction.objects.exists()


def test_owners_never_reach_the_payment_screens(client, product):
    payment = place(product)
    client.force_login(factories.owner(product.stockrecords.get().partner))
    for url in [LIST_URL, detail_url(payment), UNMATCHED_URL, EVENTS_URL]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/admin/login/"), url
    client.post(detail_url(payment, "simulate"), {"amount": "120000"})
    assert fresh(payment).amount_received == 0


def test_viewers_read_but_cannot_act(client, product):
    payment = place(product)
    client.force_login(staff_user("view_payment"))
    assert client.get(LIST_URL).status_code == 200
    page = client.get(detail_url(payment))
    assert page.status_code == 200
    assert "data-payment-action=" not in page.text
    response = client.post(detail_url(payment, "simulate"), {"amount": "120000"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert fresh(payment).amount_received == 0
    # The unmatched transfers are readable, not assignable.
    bank_transfer(120_000, "chuyen tien hang")
    txn = Transaction.objects.get()
    page = client.get(f"{UNMATCHED_URL}{txn.pk}/")
    assert page.status_code == 200 and "data-assign-form" not in page.text
    response = client.post(
        f"{UNMATCHED_URL}{txn.pk}/", {"order": payment.order.number, "note": "x"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/"
    txn.refresh_from_db()
    assert txn.payment_id is None


def test_superusers_and_clerks_see_the_menu_and_the_home_panel(admin_client_, product):
    place(product)
    home = admin_client_.get("/admin/")
    assert 'data-panel="payments-review"' in home.text
    assert LIST_URL in home.text and UNMATCHED_URL in home.text and EVENTS_URL in home.text


# --- The list ---------------------------------------------------------------------------------


def listed(client, query=None):
    response = client.get(LIST_URL, query or {})
    assert response.status_code == 200
    return [payment.order.number for payment in response.context["object_list"]]


def test_list_filters_search_and_newest_first(staff, product):
    first = place(product)
    partial = place(product, quantity=2)
    cod = place(product, method="cod")
    services.simulate_transfer(partial, Decimal(100_000))

    assert listed(staff) == [cod.order.number, partial.order.number, first.order.number]
    assert listed(staff, {"method": "cod"}) == [cod.order.number]
    assert listed(staff, {"needs_review": "true"}) == [partial.order.number]
    assert listed(staff, {"review_reason": "partial"}) == [partial.order.number]
    assert set(listed(staff, {"needs_review": "false"})) == {cod.order.number, first.order.number}
    assert listed(staff, {"status": "pending", "method": "vietqr"}) == [
        partial.order.number,
        first.order.number,
    ]
    assert listed(staff, {"q": first.order.number}) == [first.order.number]
    assert listed(staff, {"q": partial.reference.lower()}) == [partial.order.number]
    # The partial payment shows what came in and why it waits.
    page = staff.get(LIST_URL, {"needs_review": "true"}).text
    assert "100.000" in page and "240.000" in page
    assert listed(staff, {"ordering": "order__number"})[0] == first.order.number
    assert listed(staff, {"ordering": "-amount_due"})[0] == partial.order.number
    # Nonsense filters: no 500.
    listed(staff, {"status": "nope", "method": "bitcoin", "needs_review": "maybe", "q": "'%"})


def test_list_queries_stay_constant_as_payments_grow(staff, product):
    for _ in range(2):
        place(product)

    def queries():
        staff.get(LIST_URL)
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(LIST_URL).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(8):
        services.simulate_transfer(place(product), Decimal(50_000))
    assert queries() == few


# --- Simulated transfers (demo account) -------------------------------------------------------


def test_staff_simulate_partial_then_the_rest(staff, product):
    payment = place(product)
    page = staff.get(detail_url(payment))
    assert 'data-payment-action="simulate"' in page.text
    order_page = reverse("dashboard:order-detail", kwargs={"number": payment.order.number})
    assert f'href="{order_page}" data-order-link' in page.text

    response = staff.post(detail_url(payment, "simulate"), {"amount": "70000"})
    assert response.status_code == 302 and response["Location"] == detail_url(payment)
    assert levels(staff, response) == [messages.WARNING]
    payment = fresh(payment)
    assert (payment.status, payment.amount_received) == ("pending", Decimal(70_000))
    assert payment.review_reason == "partial"
    page = staff.get(detail_url(payment))
    assert "data-amount-outstanding" in page.text and "50.000" in page.text
    assert page.text.count("data-transaction=") == 1
    # The (simulated) bank notification is in this payment's delivery log.
    assert [event.source for event in page.context["events"]] == ["demo"]

    response = staff.post(detail_url(payment, "simulate"), {"amount": "50000"})
    assert levels(staff, response) == [messages.SUCCESS]
    payment = fresh(payment)
    assert (payment.status, payment.review_reason) == ("paid", "")
    assert payment.order.status == "paid"


def test_simulated_overpayment_is_flagged(staff, product):
    payment = place(product)
    staff.post(detail_url(payment, "simulate"), {"amount": "150000"})
    payment = fresh(payment)
    assert (payment.status, payment.review_reason) == ("paid", "overpaid")
    assert payment.refundable == Decimal(150_000)


@pytest.mark.parametrize("amount", ["", "0", "-5", "12.5", "abc", "1" * 20])
def test_simulate_refuses_bad_amounts(staff, product, amount):
    payment = place(product)
    response = staff.post(detail_url(payment, "simulate"), {"amount": amount})
    assert response.status_code == 200
    assert response.context["forms"]["simulate"].errors["amount"]
    assert fresh(payment).amount_received == 0


def test_no_simulation_on_a_real_bank_account(staff, product, settings):
    payment = place(product)
    settings.PAYMENT_GATEWAYS = {"vietqr": vietqr_gateway(demo=False), "cod": COD_GATEWAY}
    assert 'data-payment-action="simulate"' not in staff.get(detail_url(payment)).text
    response = staff.post(detail_url(payment, "simulate"), {"amount": "120000"})
    assert response.status_code == 302
    assert levels(staff, response) == [messages.ERROR]
    assert fresh(payment).amount_received == 0
    assert not WebhookEvent.objects.exists()


# --- Refunds ----------------------------------------------------------------------------------


def test_manual_refund_of_an_overpayment(staff, product):
    payment = place(product)
    services.simulate_transfer(payment, Decimal(150_000))
    page = staff.get(detail_url(payment))
    assert 'data-payment-action="refund"' in page.text
    assert page.context["forms"]["refund"]["amount"].value() == 150_000  # all by default

    # More than was paid, or without a note: refused, nothing recorded.
    response = staff.post(detail_url(payment, "refund"), {"amount": "150001", "note": "thừa"})
    assert response.status_code == 200
    assert response.context["forms"]["refund"].errors["amount"]
    response = staff.post(detail_url(payment, "refund"), {"amount": "30000", "note": "  "})
    assert response.context["forms"]["refund"].errors["note"]
    assert not Transaction.objects.filter(kind=Transaction.REFUND).exists()

    response = staff.post(
        detail_url(payment, "refund"),
        {"amount": "30000", "note": "Trả lại tiền chuyển thừa", "bank_reference": "FT2611270001"},
    )
    assert response.status_code == 302
    assert levels(staff, response) == [messages.SUCCESS]
    payment = fresh(payment)
    assert payment.amount_refunded == Decimal(30_000)
    assert payment.review_reason == ""  # the overpayment is settled
    refund = Transaction.objects.get(kind=Transaction.REFUND)
    assert (refund.source, refund.provider_id, refund.refund_status) == (
        "manual",
        "FT2611270001",
        "succeeded",
    )
    assert refund.note == "Trả lại tiền chuyển thừa"
    assert refund.recorded_by.email == "ketoan@cho-ocop.test"


def test_refund_of_an_unpaid_order_is_refused(staff, product):
    payment = place(product)
    assert 'data-payment-action="refund"' not in staff.get(detail_url(payment)).text
    response = staff.post(detail_url(payment, "refund"), {"amount": "1000", "note": "x"})
    assert levels(staff, response) == [messages.ERROR]
    assert not Transaction.objects.exists()


def paid_by_card(product, fake):
    payment = place(product, method="stripe")
    gateways.get("stripe").start(payment)
    payment = fresh(payment)
    fake.succeed(payment.stripe_payment_intent)
    outcome = services.process_event(
        PaymentEvent(
            source="stripe",
            event_id="evt_paid_1",
            kind=PaymentEvent.CARD_SUCCEEDED,
            event_type="payment_intent.succeeded",
            amount=Decimal(120_000),
            provider_id=payment.stripe_payment_intent,
            order_number=payment.order.number,
        )
    )
    assert outcome == "paid"
    return fresh(payment)


def test_partial_then_full_refund_through_stripe(staff, product, fake_stripe):
    payment = paid_by_card(product, fake_stripe)
    page = staff.get(detail_url(payment))
    assert "bank_reference" not in page.context["forms"]["refund"].fields  # Stripe's own id

    response = staff.post(detail_url(payment, "refund"), {"amount": "50000", "note": "Hết hàng"})
    assert levels(staff, response) == [messages.SUCCESS]
    [sent] = fake_stripe.posts("/v1/refunds")
    assert sent.form["payment_intent"] == payment.stripe_payment_intent
    assert sent.form["amount"] == "50000"  # whole dong, never x100
    assert fresh(payment).amount_refunded == Decimal(50_000)

    response = staff.post(detail_url(payment, "refund"), {"amount": "70000", "note": "Huỷ đơn"})
    assert levels(staff, response) == [messages.SUCCESS]
    assert fake_stripe.intents[payment.stripe_payment_intent]["amount_refunded"] == 120_000
    payment = fresh(payment)
    assert payment.amount_refunded == Decimal(120_000) and payment.refundable == 0
    refunds = Transaction.objects.filter(kind=Transaction.REFUND, source="stripe")
    assert {txn.provider_id[:8] for txn in refunds} == {"re_fake_"}
    # Nothing left to refund: no form, and a POST changes nothing.
    assert 'data-payment-action="refund"' not in staff.get(detail_url(payment)).text
    staff.post(detail_url(payment, "refund"), {"amount": "1000", "note": "x"})
    assert len(fake_stripe.posts("/v1/refunds")) == 2


def test_a_stripe_refusal_is_a_message_not_a_500(staff, product, fake_stripe):
    payment = place(product, method="stripe")
    gateways.get("stripe").start(payment)
    payment = fresh(payment)
    # Recorded as paid, but Stripe never captured the charge: it refuses the refund.
    services.process_event(
        PaymentEvent(
            source="stripe",
            event_id="evt_paid_2",
            kind=PaymentEvent.CARD_SUCCEEDED,
            event_type="payment_intent.succeeded",
            amount=Decimal(120_000),
            provider_id=payment.stripe_payment_intent,
        )
    )
    response = staff.post(detail_url(payment, "refund"), {"amount": "120000", "note": "Huỷ"})
    assert response.status_code == 302
    [(level, text)] = said(staff, response)
    assert level == messages.ERROR and "charge_not_refundable" in text
    assert fresh(payment).amount_refunded == 0
    assert not Transaction.objects.filter(kind=Transaction.REFUND).exists()


# --- Cash on delivery -------------------------------------------------------------------------


def test_staff_mark_cash_collected(staff, product):
    payment = place(product, method="cod")
    assert payment.order.status == "confirmed"
    page = staff.get(detail_url(payment))
    assert 'data-payment-action="collect_cash"' in page.text
    response = staff.post(detail_url(payment, "collect-cash"), {"amount": "120000"})
    assert levels(staff, response) == [messages.SUCCESS]
    payment = fresh(payment)
    assert (payment.status, payment.amount_received) == ("paid", Decimal(120_000))
    txn = Transaction.objects.get()
    assert (txn.source, txn.recorded_by.email) == ("cod", "ketoan@cho-ocop.test")
    # Paid: the action is gone, and a second POST is refused.
    assert 'data-payment-action="collect_cash"' not in staff.get(detail_url(payment)).text
    response = staff.post(detail_url(payment, "collect-cash"), {"amount": "120000"})
    assert levels(staff, response) == [messages.ERROR]
    assert Transaction.objects.count() == 1


def test_partial_cash_then_the_rest_with_a_receipt(staff, product):
    payment = place(product, method="cod")
    response = staff.post(detail_url(payment, "collect-cash"), {"amount": "100000"})
    assert levels(staff, response) == [messages.WARNING]
    assert fresh(payment).review_reason == "partial"
    # The same receipt twice is recorded once.
    response = staff.post(detail_url(payment, "collect-cash"), {"amount": "20000"})
    assert levels(staff, response) == [messages.WARNING]
    assert fresh(payment).amount_received == Decimal(100_000)
    staff.post(detail_url(payment, "collect-cash"), {"amount": "20000", "reference": "BL-2"})
    assert fresh(payment).status == "paid"


def test_cash_cannot_be_marked_on_a_bank_transfer_order(staff, product):
    payment = place(product)
    response = staff.post(detail_url(payment, "collect-cash"), {"amount": "120000"})
    assert levels(staff, response) == [messages.ERROR]
    assert fresh(payment).amount_received == 0


# --- Late payments: reinstate or refund -------------------------------------------------------


def expire(payment):
    from datetime import timedelta

    from django.utils import timezone

    assert services.expire_overdue(now=timezone.now() + timedelta(days=1)) >= 1
    payment = fresh(payment)
    assert payment.status == "expired" and payment.order.status == "cancelled"
    return payment


def test_late_payment_is_reinstated(staff, product):
    payment = expire(place(product, quantity=2))
    record = StockRecord.objects.get(product=product)
    assert record.num_allocated == 0  # released by the expiry
    assert services.simulate_transfer(payment, Decimal(240_000)) == "late"
    assert listed(staff, {"review_reason": "late"}) == [payment.order.number]

    page = staff.get(detail_url(payment))
    assert 'data-review-reason="late"' in page.text
    assert (
        'data-payment-action="reinstate"' in page.text
        and 'data-payment-action="refund"' in page.text
    )
    response = staff.post(detail_url(payment, "reinstate"))
    assert levels(staff, response) == [messages.SUCCESS]
    payment = fresh(payment)
    assert (payment.status, payment.review_reason) == ("paid", "")
    assert Order.objects.get(pk=payment.order.pk).status == "paid"
    record.refresh_from_db()
    assert record.num_allocated == 2


def test_sold_out_late_payment_cannot_be_reinstated_and_is_refunded(staff, product):
    payment = expire(place(product, quantity=2))
    services.simulate_transfer(payment, Decimal(240_000))
    StockRecord.objects.filter(product=product).update(num_in_stock=1)
    response = staff.post(detail_url(payment, "reinstate"))
    assert response.status_code == 302
    assert levels(staff, response) == [messages.ERROR]
    assert fresh(payment).status == "expired"

    staff.post(
        detail_url(payment, "refund"),
        {"amount": "240000", "note": "Hết hàng, trả lại", "bank_reference": "FT99"},
    )
    payment = fresh(payment)
    assert payment.amount_refunded == Decimal(240_000) and payment.review_reason == ""


def test_an_underpaid_expired_order_cannot_be_reinstated(staff, product):
    payment = expire(place(product))
    services.simulate_transfer(payment, Decimal(20_000))
    assert 'data-payment-action="reinstate"' not in staff.get(detail_url(payment)).text
    response = staff.post(detail_url(payment, "reinstate"))
    assert levels(staff, response) == [messages.ERROR]
    assert fresh(payment).status == "expired"


def test_clear_the_review_flag(staff, product):
    payment = place(product)
    services.simulate_transfer(payment, Decimal(10_000))
    response = staff.post(detail_url(payment, "clear-review"))
    assert levels(staff, response) == [messages.SUCCESS]
    assert fresh(payment).review_reason == ""
    response = staff.post(detail_url(payment, "clear-review"))
    assert levels(staff, response) == [messages.ERROR]


def test_actions_need_the_csrf_token(product):
    payment = place(product)
    client = Client(enforce_csrf_checks=True)
    client.force_login(staff_user("view_payment", "change_payment"))
    response = client.post(detail_url(payment, "simulate"), {"amount": "120000"})
    assert response.status_code == 403
    assert fresh(payment).amount_received == 0


def test_get_on_an_action_is_refused(staff, product):
    payment = place(product)
    assert staff.get(detail_url(payment, "simulate")).status_code == 405
    assert staff.get("/admin/payments/999999/").status_code == 404


# --- Unmatched transfers ----------------------------------------------------------------------


def test_unmatched_transfer_is_assigned_and_pays_the_order(staff, product):
    payment = place(product)
    other = place(product, quantity=3)
    assert bank_transfer(120_000, "NGUYEN VAN AN chuyen tien mua ruou") == "unmatched"
    txn = Transaction.objects.get()

    listing = staff.get(UNMATCHED_URL)
    assert listing.status_code == 200
    assert list(listing.context["object_list"]) == [txn]
    assert "NGUYEN VAN AN" in listing.text and "120.000" in listing.text
    home = staff.get("/admin/")
    assert 'data-unmatched-count="1"' in home.text

    page = staff.get(f"{UNMATCHED_URL}{txn.pk}/")
    assert page.status_code == 200
    assert list(page.context["suggestions"]) == [payment]  # owed exactly 120.000

    # Unknown order, an order number that has no payment, or no note: refused.
    for data in (
        {"order": "999999", "note": "khách gọi điện"},
        {"order": "OCOP000000000", "note": "khách gọi điện"},
        {"order": payment.order.number, "note": ""},
    ):
        response = staff.post(f"{UNMATCHED_URL}{txn.pk}/", data)
        assert response.status_code == 200
        assert response.context["form"].errors
    txn.refresh_from_db()
    assert txn.payment_id is None

    # The reference, typed the way a bank app shows it, finds the order.
    spaced = " ".join([payment.reference[:4].lower(), payment.reference[4:]])
    response = staff.post(
        f"{UNMATCHED_URL}{txn.pk}/", {"order": spaced, "note": "Khách gửi ảnh biên lai"}
    )
    assert response.status_code == 302
    assert response["Location"] == detail_url(payment)
    assert levels(staff, response) == [messages.SUCCESS]
    payment = fresh(payment)
    assert (payment.status, payment.order.status) == ("paid", "paid")
    txn.refresh_from_db()
    assert (txn.payment_id, txn.match_status, txn.note) == (
        payment.pk,
        "matched",
        "Khách gửi ảnh biên lai",
    )
    assert txn.recorded_by.email == "ketoan@cho-ocop.test"
    assert list(staff.get(UNMATCHED_URL).context["object_list"]) == []
    assert fresh(other).amount_received == 0
    # Assigned once: a second attempt goes to the payment and changes nothing.
    response = staff.post(
        f"{UNMATCHED_URL}{txn.pk}/", {"order": other.order.number, "note": "nhầm"}
    )
    assert response["Location"] == detail_url(payment)
    assert fresh(other).amount_received == 0


def test_assign_by_order_number(staff, product):
    payment = place(product, quantity=2)
    bank_transfer(240_000, "", event_id="sepay-77")
    txn = Transaction.objects.get()
    staff.post(f"{UNMATCHED_URL}{txn.pk}/", {"order": f"#{payment.order.number}", "note": "ok"})
    assert fresh(payment).status == "paid"


# --- Webhook log ------------------------------------------------------------------------------


def test_webhook_log_shows_rejected_deliveries(staff, product):
    services.record_rejected("sepay", "auth: bad api key", b'{"id": 1}')
    services.record_rejected("casso", "payload: malformed", b"{")
    bank_transfer(5_000, "no reference", event_id="sepay-9")

    def shown(query=None):
        response = staff.get(EVENTS_URL, query or {})
        assert response.status_code == 200
        return {(event.source, event.status) for event in response.context["object_list"]}

    assert shown() == {("sepay", "rejected"), ("casso", "rejected"), ("sepay", "applied")}
    assert shown({"status": "rejected"}) == {("sepay", "rejected"), ("casso", "rejected")}
    assert shown({"source": "casso"}) == {("casso", "rejected")}
    shown({"source": "nope", "status": "x"})  # no 500
    rejected = WebhookEvent.objects.get(source="sepay", status="rejected")
    page = staff.get(f"{EVENTS_URL}{rejected.pk}/")
    assert page.status_code == 200
    assert "auth: bad api key" in page.text
    # Read-only: there is nothing to add, edit or delete.
    for url in ("new/", f"edit/{rejected.pk}/", f"delete/{rejected.pk}/"):
        assert staff.get(f"{EVENTS_URL}{url}").status_code == 404


def test_home_panel_counts_what_waits(staff, product):
    services.simulate_transfer(place(product), Decimal(1_000))
    services.simulate_transfer(place(product), Decimal(500_000))
    bank_transfer(7_000, "ung ho", event_id="sepay-3")
    home = staff.get("/admin/").text
    assert 'data-review-count="2"' in home
    assert 'data-unmatched-count="1"' in home
    assert f"{LIST_URL}?needs_review=true" in home
