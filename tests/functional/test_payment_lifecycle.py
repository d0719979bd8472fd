"""What happens to an order's money after checkout: cash collected on delivery, unpaid orders
expiring (stock back, one e-mail), money arriving late and the order revived, refunds by hand
and through Stripe (issue 4, points 5, 6 and 8). Orders are placed with Oscar's OrderCreator and
given their Payment as checkout does; no checkout UI involved."""

import threading
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone, translation
from oscar.apps.basket.models import Basket
from oscar.apps.order.models import Order
from oscar.apps.partner.models import StockRecord
from oscar.apps.partner.strategy import Selector
from oscar.test.factories import create_order

from payments import gateways, services, tasks
from payments.gateways import PaymentEvent
from payments.models import Payment, Transaction
from shop.signals import cod_collected
from tests import factories
from tests.fakes.stripe_server import API_KEY, FakeStripeServer
from tests.payments import gateways_config

EMAIL = "khach@example.vn"


@pytest.fixture(autouse=True)
def payment_gateways(settings):
    """The demo account, whose transfers `services.simulate_transfer` may play."""
    settings.PAYMENT_GATEWAYS = gateways_config(DEMO=True)


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user(email="staff@ocop.test", password="x-2026")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def product(db):
    return factories.product("Miến dong Nam Cường", 150_000, stock=10)


def place(product, method="vietqr", quantity=1, *, email=EMAIL, language="vi"):
    """An order as checkout leaves it: stock allocated, status and Payment set by the method."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(product, quantity)
    with translation.override(language):
        order = create_order(
            basket=basket, status=services.initial_order_status(method), guest_email=email
        )
        order.refresh_from_db()  # the number as stored, a string
        return services.create_for_order(order, method, [method])


def fresh(payment):
    payment.refresh_from_db()
    payment.order.refresh_from_db()
    return payment


def stock(product):
    record = StockRecord.objects.get(product=product)
    return record.num_in_stock, record.num_allocated


def line_statuses(order):
    return set(order.lines.values_list("status", flat=True))


def subjects():
    return [message.subject for message in mail.outbox]


def overdue(payment):
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=1))


def deliver(order):
    order.set_status("shipped")
    order.set_status("delivered")


# --- Cash on delivery ---------------------------------------------------------------------------


def test_courier_collecting_the_cash_pays_a_delivered_order_once(
    product, django_capture_on_commit_callbacks
):
    payment = place(product, "cod", 2)
    order = payment.order
    assert order.status == "confirmed" and payment.expires_at is None
    deliver(order)

    with django_capture_on_commit_callbacks(execute=True):
        cod_collected.send(
            sender=None, order=order, amount=Decimal(300_000), reference="GHN-COD-7781"
        )
    payment = fresh(payment)
    assert payment.status == Payment.PAID and payment.amount_received == Decimal(300_000)
    assert payment.order.status == "paid"
    assert line_statuses(order) == {"delivered"}  # the lines' journey ended at the door
    [txn] = payment.transactions.all()
    assert (txn.source, txn.provider_id, txn.amount) == ("cod", "GHN-COD-7781", 300_000)
    assert len(mail.outbox) == 1 and order.number in mail.outbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        cod_collected.send(
            sender=None, order=order, amount=Decimal(300_000), reference="GHN-COD-7781"
        )
        services.mark_cash_collected(order, by=None)  # and staff click "cash collected" too
    payment = fresh(payment)
    assert payment.amount_received == Decimal(300_000) and payment.transactions.count() == 1
    assert len(mail.outbox) == 1


def test_paid_cash_order_leaves_the_cooperatives_work_list(product):
    from shop.apps.dashboard.views import lines_to_fulfil

    payment = place(product, "cod")
    partner = StockRecord.objects.get(product=product).partner_id
    assert lines_to_fulfil([partner]).count() == 1
    deliver(payment.order)
    cod_collected.send(sender=None, order=payment.order, amount=Decimal(150_000), reference="c1")
    assert fresh(payment).order.status == "paid"
    assert lines_to_fulfil([partner]).count() == 0


def test_cash_collected_before_delivery_keeps_the_status_until_delivered(
    product, django_capture_on_commit_callbacks
):
    payment = place(product, "cod")
    order = payment.order
    order.set_status("shipped")

    cod_collected.send(sender=None, order=order, amount=Decimal(150_000), reference="VTP-1")
    payment = fresh(payment)
    assert payment.status == Payment.PAID and payment.order.status == "shipped"

    with django_capture_on_commit_callbacks(execute=True):
        order.set_status("delivered")
    order.refresh_from_db()
    assert order.status == "paid"
    assert list(order.status_changes.order_by("pk").values_list("new_status", flat=True)) == [
        "shipped",
        "delivered",
        "paid",
    ]
    assert line_statuses(order) == {"delivered"}


def test_unpaid_cash_order_stays_delivered(product, django_capture_on_commit_callbacks):
    payment = place(product, "cod")
    with django_capture_on_commit_callbacks(execute=True):
        deliver(payment.order)
    assert fresh(payment).order.status == "delivered" and payment.status == Payment.PENDING


def test_prepaid_order_delivered_stays_delivered(product, django_capture_on_commit_callbacks):
    payment = place(product, "vietqr")
    services.simulate_transfer(payment)
    payment.order.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        deliver(payment.order)
    assert fresh(payment).order.status == "delivered"


def test_staff_marking_the_cash_is_recorded_with_who_did_it(product, staff):
    payment = place(product, "cod")
    assert services.mark_cash_collected(payment.order, by=staff) == "paid"
    [txn] = fresh(payment).transactions.all()
    assert txn.recorded_by == staff and txn.amount == Decimal(150_000)
    assert payment.order.status == "confirmed"  # not delivered yet: fulfilment goes on


def test_cash_of_two_parcels_pays_when_the_second_arrives(product):
    other = factories.product("Chè Shan tuyết", 80_000, stock=5)
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(product)
    basket.add_product(other)
    order = Order.objects.get(
        pk=create_order(basket=basket, status="confirmed", guest_email=EMAIL).pk
    )
    payment = services.create_for_order(order, "cod", ["cod"])

    cod_collected.send(sender=None, order=order, amount=Decimal(150_000), reference="p1")
    assert fresh(payment).status == Payment.PENDING and payment.review_reason == Payment.PARTIAL
    cod_collected.send(sender=None, order=order, amount=Decimal(150_000), reference="p1")
    assert fresh(payment).amount_received == Decimal(150_000)  # the same parcel twice
    cod_collected.send(sender=None, order=order, amount=Decimal(80_000), reference="p2")
    payment = fresh(payment)
    assert payment.status == Payment.PAID and payment.review_reason == ""


@pytest.mark.parametrize("amount", [Decimal(0), Decimal(-5), Decimal("1000.5")])
def test_nonsense_cash_amounts_are_refused(product, amount):
    payment = place(product, "cod")
    with pytest.raises(services.PaymentActionError):
        services.mark_cash_collected(payment.order, amount=amount)
    cod_collected.send(sender=None, order=payment.order, amount=amount, reference="x")
    assert not Transaction.objects.exists() and fresh(payment).status == Payment.PENDING


def test_cash_for_an_order_without_payment_is_logged_not_raised(product, caplog):
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    basket.add_product(product)
    order = create_order(basket=basket, guest_email=EMAIL)
    cod_collected.send(sender=None, order=order, amount=Decimal(150_000), reference="z")
    assert "has no payment" in caplog.text and not Transaction.objects.exists()


# --- Expiry -------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["vietqr", "stripe"])
def test_unpaid_order_expires_releases_its_stock_and_is_emailed_once(
    product, method, django_capture_on_commit_callbacks
):
    payment = place(product, method, 3)
    assert stock(product) == (10, 3)
    assert payment.expires_at > timezone.now()
    assert tasks.expire_unpaid_orders.delay().get() == 0  # not due yet
    overdue(payment)

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.expire_unpaid_orders.delay().get() == 1
    payment = fresh(payment)
    assert payment.status == Payment.EXPIRED and payment.order.status == "cancelled"
    assert line_statuses(payment.order) == {"cancelled"}
    assert stock(product) == (10, 0)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    assert payment.order.number in mail.outbox[0].subject

    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_overdue() == 0
    assert len(mail.outbox) == 1 and stock(product) == (10, 0)
    assert fresh(payment).order.status_changes.filter(new_status="cancelled").count() == 1


def test_beat_runs_the_expiry_every_minute(settings):
    from shop.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["expire-unpaid-orders"]
    assert entry["task"] == tasks.expire_unpaid_orders.name and entry["schedule"] == 60.0
    assert entry["task"] in app.tasks


def test_expiry_leaves_paid_cash_and_staff_confirmed_orders_alone(product):
    paid = place(product, "vietqr")
    services.simulate_transfer(paid)
    cod = place(product, "cod")
    confirmed = place(product, "vietqr")
    confirmed.order.set_status("confirmed")  # staff ship it before the money
    for payment in (paid, confirmed):
        overdue(payment)

    assert services.expire_overdue(now=timezone.now() + timedelta(days=30)) == 0
    assert fresh(paid).status == Payment.PAID and paid.order.status == "paid"
    assert fresh(cod).status == Payment.PENDING and cod.order.status == "confirmed"
    assert fresh(confirmed).status == Payment.PENDING
    assert confirmed.order.status == "confirmed"
    assert stock(product) == (10, 3)


def test_partly_paid_order_still_expires_and_the_email_promises_the_money_back(
    product, django_capture_on_commit_callbacks
):
    payment = place(product, "vietqr")
    services.simulate_transfer(payment, Decimal(100_000))
    overdue(payment)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.expire_overdue() == 1
    payment = fresh(payment)
    assert payment.status == Payment.EXPIRED and payment.amount_received == Decimal(100_000)
    assert "100.000\xa0₫" in mail.outbox[0].body


def test_money_after_expiry_is_late_then_reinstated_with_its_stock(
    product, staff, django_capture_on_commit_callbacks
):
    payment = place(product, "vietqr", 2)
    overdue(payment)
    services.expire_overdue()
    assert stock(product) == (10, 0)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.simulate_transfer(payment) == "late"
    payment = fresh(payment)
    assert payment.status == Payment.EXPIRED and payment.review_reason == Payment.LATE
    assert payment.order.status == "cancelled" and stock(product) == (10, 0)
    assert payment.transactions.get().match_status == Transaction.LATE
    assert mail.outbox == []  # nothing says "received" for a cancelled order

    with django_capture_on_commit_callbacks(execute=True):
        services.reinstate(payment, by=staff)
    payment = fresh(payment)
    assert payment.status == Payment.PAID and payment.review_reason == ""
    assert payment.order.status == "paid" and line_statuses(payment.order) == {"paid"}
    assert stock(product) == (10, 2)
    line = payment.order.lines.get()
    assert line.num_allocated == 2 and line.is_allocation_consumption_possible(2)
    assert list(
        payment.order.status_changes.order_by("pk").values_list("new_status", flat=True)
    ) == [
        "cancelled",
        "paid",
    ]
    assert len(mail.outbox) == 1 and payment.order.number in mail.outbox[0].subject

    # Shipping the revived order consumes its stock like any other.
    line.consume_allocation(2)
    assert stock(product) == (8, 0)
    with pytest.raises(services.PaymentActionError):
        services.reinstate(payment, by=staff)


def test_reinstating_refuses_when_the_stock_was_sold_meanwhile(product, staff):
    payment = place(product, "vietqr", 4)
    overdue(payment)
    services.expire_overdue()
    place(product, "cod", 8)  # another shopper buys what was released
    services.simulate_transfer(payment)

    with translation.override("en"), pytest.raises(services.PaymentActionError, match="sold out"):
        services.reinstate(payment, by=staff)
    payment = fresh(payment)
    assert payment.status == Payment.EXPIRED and payment.review_reason == Payment.LATE
    assert payment.order.status == "cancelled" and line_statuses(payment.order) == {"cancelled"}
    assert stock(product) == (10, 8)


def test_reinstating_needs_an_expired_fully_paid_order(product, staff):
    payment = place(product, "vietqr")
    with pytest.raises(services.PaymentActionError):
        services.reinstate(payment, by=staff)  # still pending
    overdue(payment)
    services.expire_overdue()
    services.simulate_transfer(payment, Decimal(50_000))
    with pytest.raises(services.PaymentActionError):
        services.reinstate(payment, by=staff)  # late, but not all of it
    assert fresh(payment).status == Payment.EXPIRED and stock(product) == (10, 0)


def test_reinstating_an_order_of_untracked_products_needs_no_stock(staff):
    klass = factories.product_class("dich-vu", track_stock=False)
    visit = factories.product("Trải nghiệm làm miến", 200_000, stock=0, klass=klass)
    payment = place(visit, "vietqr")
    overdue(payment)
    services.expire_overdue()
    services.simulate_transfer(payment)
    services.reinstate(payment, by=staff)
    assert fresh(payment).order.status == "paid"


# --- Expiry and money at the same moment (real transactions, one connection per thread) ---------


def _run(target, results, key):
    try:
        results[key] = target()
    except Exception as error:  # shown by the assertion on `results`
        results[key] = repr(error)
    finally:
        connection.close()


def _pause_while_locked(kind):
    """Patch `_after_commit_email` so the thread sending `kind` stops inside its transaction,
    holding the payment's row lock, until `release` is set."""
    locked, release = threading.Event(), threading.Event()
    real = services._after_commit_email

    def pause(payment, email_kind, amount=None):
        real(payment, email_kind, amount)
        if email_kind == kind:
            locked.set()
            release.wait(timeout=30)

    return mock.patch.object(services, "_after_commit_email", pause), locked, release


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_money_arriving_first_wins_over_expiry(product):
    payment = place(product, "vietqr")
    overdue(payment)
    patch, locked, release = _pause_while_locked("received")
    results = {}
    with patch:
        pay = threading.Thread(
            target=_run, args=(lambda: services.simulate_transfer(payment), results, "pay")
        )
        pay.start()
        assert locked.wait(timeout=30)
        expire = threading.Thread(target=_run, args=(services.expire_overdue, results, "expire"))
        expire.start()
        release.set()
        pay.join(timeout=60)
        expire.join(timeout=60)

    assert results == {"pay": "paid", "expire": 0}
    payment = fresh(payment)
    assert payment.status == Payment.PAID and payment.order.status == "paid"
    assert stock(product) == (10, 1)
    assert [m.subject for m in mail.outbox if "hủy" in m.subject or "cancel" in m.subject] == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_expiry_first_makes_the_money_late(product):
    payment = place(product, "vietqr")
    overdue(payment)
    patch, locked, release = _pause_while_locked("expired")
    results = {}
    with patch:
        expire = threading.Thread(target=_run, args=(services.expire_overdue, results, "expire"))
        expire.start()
        assert locked.wait(timeout=30)
        pay = threading.Thread(
            target=_run, args=(lambda: services.simulate_transfer(payment), results, "pay")
        )
        pay.start()
        release.set()
        expire.join(timeout=60)
        pay.join(timeout=60)

    assert results == {"expire": 1, "pay": "late"}
    payment = fresh(payment)
    assert payment.status == Payment.EXPIRED and payment.review_reason == Payment.LATE
    assert payment.amount_received == Decimal(150_000) and payment.order.status == "cancelled"
    assert stock(product) == (10, 0)
    assert len(mail.outbox) == 1  # the expiry notice only


# --- Refunds by hand ----------------------------------------------------------------------------


def test_bank_transfer_refund_is_recorded_with_its_bank_reference(
    product, staff, django_capture_on_commit_callbacks
):
    payment = place(product, "vietqr")
    services.simulate_transfer(payment, Decimal(200_000))
    assert fresh(payment).review_reason == Payment.OVERPAID

    with django_capture_on_commit_callbacks(execute=True):
        status = services.refund(
            payment, Decimal(50_000), by=staff, note="trả lại phần thừa", bank_reference="FT26331"
        )
    assert status == Transaction.SUCCEEDED
    payment = fresh(payment)
    assert payment.amount_refunded == Decimal(50_000) and payment.refundable == Decimal(150_000)
    assert payment.review_reason == ""
    refund = payment.transactions.get(kind=Transaction.REFUND)
    assert (refund.source, refund.provider_id, refund.bank_reference) == (
        "manual",
        "FT26331",
        "FT26331",
    )
    assert (refund.recorded_by, refund.note, refund.amount) == (staff, "trả lại phần thừa", 50_000)
    [message] = mail.outbox
    assert "50.000 ₫" in message.subject and "FT26331" in message.body


def test_cash_refund_without_bank_reference(product, staff):
    payment = place(product, "cod")
    services.mark_cash_collected(payment.order)
    services.refund(payment, Decimal(150_000), by=staff)
    refund = fresh(payment).transactions.get(kind=Transaction.REFUND)
    assert refund.source == "manual" and refund.provider_id.startswith("manual-")
    assert payment.refundable == 0
    with pytest.raises(services.PaymentActionError):
        services.refund(payment, Decimal(1), by=staff)


@pytest.mark.parametrize(
    "amount", [Decimal(0), Decimal(-1), Decimal("1000.50"), Decimal(150_001)], ids=str
)
def test_refunds_beyond_what_was_paid_or_in_parts_of_a_dong_are_refused(product, staff, amount):
    payment = place(product, "vietqr")
    services.simulate_transfer(payment)
    with pytest.raises(services.PaymentActionError):
        services.refund(payment, amount, by=staff)
    assert not Transaction.objects.filter(kind=Transaction.REFUND).exists()
    assert fresh(payment).amount_refunded == 0


def test_nothing_to_refund_before_the_money_arrived(product, staff):
    payment = place(product, "vietqr")
    with pytest.raises(services.PaymentActionError):
        services.refund(payment, Decimal(1000), by=staff)


# --- Refunds through Stripe (the real client against a local fake API) --------------------------


@pytest.fixture
def fake_stripe(settings):
    with FakeStripeServer() as fake:
        config = gateways_config()
        config["stripe"]["OPTIONS"].update(SECRET_KEY=API_KEY, API_BASE=fake.url)
        settings.PAYMENT_GATEWAYS = config
        yield fake


def paid_by_card(product, fake):
    payment = place(product, "stripe")
    gateways.get("stripe").start(payment)
    fake.succeed(payment.stripe_payment_intent)
    outcome = services.process_event(
        PaymentEvent(
            source="stripe",
            event_id=f"evt_{payment.pk}",
            kind=PaymentEvent.CARD_SUCCEEDED,
            event_type="payment_intent.succeeded",
            amount=Decimal(150_000),
            provider_id=payment.stripe_payment_intent,
        )
    )
    assert outcome == "paid"
    return fresh(payment)


def test_card_refunds_in_parts_then_nothing_more(
    product, staff, fake_stripe, django_capture_on_commit_callbacks
):
    payment = paid_by_card(product, fake_stripe)
    number = payment.order.number

    with django_capture_on_commit_callbacks(execute=True):
        assert services.refund(payment, Decimal(40_000), by=staff) == Transaction.SUCCEEDED
    [first] = fake_stripe.posts("/v1/refunds")
    assert first.form["amount"] == "40000"  # whole dong, never x100
    assert first.form["payment_intent"] == payment.stripe_payment_intent
    assert first.header("Idempotency-Key") == f"refund-{number}-1"
    payment = fresh(payment)
    assert payment.amount_refunded == Decimal(40_000)
    refund = payment.transactions.get(kind=Transaction.REFUND)
    assert (refund.source, refund.refund_status) == ("stripe", Transaction.SUCCEEDED)
    assert refund.provider_id in fake_stripe.refunds
    assert "40.000 ₫" in mail.outbox[-1].subject

    services.refund(payment, Decimal(110_000), by=staff)
    second = fake_stripe.posts("/v1/refunds")[-1]
    assert (second.form["amount"], second.header("Idempotency-Key")) == (
        "110000",
        f"refund-{number}-2",
    )
    assert fresh(payment).amount_refunded == Decimal(150_000) and payment.refundable == 0

    with pytest.raises(services.PaymentActionError):
        services.refund(payment, Decimal(1), by=staff)
    assert len(fake_stripe.posts("/v1/refunds")) == 2  # refused before calling Stripe
    assert fake_stripe.intents[payment.stripe_payment_intent]["amount_refunded"] == 150_000


def test_card_refund_in_full_at_once(product, staff, fake_stripe):
    payment = paid_by_card(product, fake_stripe)
    services.refund(payment, Decimal(150_000), by=staff)
    assert fresh(payment).amount_refunded == Decimal(150_000)
    assert fake_stripe.intents[payment.stripe_payment_intent]["amount_refunded"] == 150_000


def test_card_refund_retried_after_a_crash_is_made_once(product, staff, fake_stripe):
    """Stripe refunded but our transaction never committed: the retry, under the same refund
    number, gets Stripe's first answer back instead of refunding twice."""
    payment = paid_by_card(product, fake_stripe)
    gateways.get("stripe").refund(payment, Decimal(60_000), f"refund-{payment.order.number}-1")
    assert len(fake_stripe.refunds) == 1

    services.refund(payment, Decimal(60_000), by=staff)
    assert len(fake_stripe.refunds) == 1
    assert fake_stripe.intents[payment.stripe_payment_intent]["amount_refunded"] == 60_000
    payment = fresh(payment)
    assert payment.amount_refunded == Decimal(60_000)
    assert payment.transactions.get(kind=Transaction.REFUND).provider_id in fake_stripe.refunds


def test_card_refund_after_the_gateway_was_switched_off_is_refused(
    product, staff, fake_stripe, settings
):
    payment = paid_by_card(product, fake_stripe)
    settings.PAYMENT_GATEWAYS = {
        k: v for k, v in settings.PAYMENT_GATEWAYS.items() if k != "stripe"
    }
    with pytest.raises(services.PaymentActionError):
        services.refund(payment, Decimal(10_000), by=staff)
    assert fake_stripe.posts("/v1/refunds") == []


def test_money_for_an_order_staff_cancelled_is_late_not_paid(product):
    payment = place(product, "vietqr", 2)
    payment.order.set_status("cancelled")
    assert fresh(payment).status == Payment.CANCELLED
    assert stock(product) == (10, 0)

    services.simulate_transfer(payment)

    payment = fresh(payment)
    assert payment.status == Payment.CANCELLED and payment.review_reason == Payment.LATE
    assert payment.amount_received == Decimal(300_000)
    assert payment.order.status == "cancelled"
    assert payment.transactions.get().match_status == Transaction.LATE
