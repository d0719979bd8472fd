"""Webhooks arriving at the same moment, each thread on its own PostgreSQL connection: the unique
event index and the payment row lock must count every transfer once and lose none
(issue 4, "Never lose or double money"). SQLite serialises writers, so it would prove nothing."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from payments import services
from payments.models import Payment, Transaction, WebhookEvent
from tests.concurrency import ONLY_ON_POSTGRES, at_once
from tests.payments import (
    gateways_config,
    intent,
    pending_order,
    post,
    sepay_apikey_headers,
    sepay_hmac_headers,
    sepay_transfer,
    stripe_event,
    stripe_headers,
)

DELIVERIES = 8

pytestmark = ONLY_ON_POSTGRES


@pytest.fixture(autouse=True)
def keys(settings):
    settings.PAYMENT_GATEWAYS = gateways_config()


def deliver(source, body, headers):
    return lambda: post(Client(), source, body, headers).status_code


def test_one_delivery_sent_many_times_at_once_counts_once():
    payment = pending_order(price=250_000)
    body = json.dumps(sepay_transfer(f"{payment.reference} ck", 100_000, id=4271001)).encode()
    statuses = at_once(
        [deliver("sepay", body, sepay_hmac_headers(body)) for _ in range(DELIVERIES)]
    )

    assert statuses == [200] * DELIVERIES
    payment.refresh_from_db()
    assert payment.amount_received == Decimal(100_000)
    assert (payment.status, payment.review_reason) == (Payment.PENDING, Payment.PARTIAL)
    assert Transaction.objects.count() == 1
    assert WebhookEvent.objects.count() == 1


def test_different_transfers_at_once_are_all_counted():
    """No lost update: five shoppers' instalments of 50,000 for one 250,000 order."""
    payment = pending_order(price=250_000)
    bodies = [
        json.dumps(sepay_transfer(f"{payment.reference} lan {n}", 50_000)).encode()
        for n in range(5)
    ]
    statuses = at_once([deliver("sepay", body, sepay_apikey_headers()) for body in bodies])

    assert statuses == [200] * 5
    payment.refresh_from_db()
    assert payment.amount_received == Decimal(250_000)
    assert (payment.status, payment.review_reason) == (Payment.PAID, "")
    assert payment.order.status == "paid"
    assert payment.transactions.count() == 5
    outcomes = sorted(WebhookEvent.objects.values_list("detail", flat=True))
    assert outcomes == ["paid"] + ["partial"] * 4


def test_transfers_to_two_orders_at_once_each_pay_their_own():
    first, second = pending_order(price=100_000), pending_order(price=200_000)
    jobs = []
    for payment in (first, second):
        for _ in range(2):
            body = json.dumps(
                sepay_transfer(payment.reference, int(payment.amount_due) // 2)
            ).encode()
            jobs.append(deliver("sepay", body, sepay_apikey_headers()))
    assert at_once(jobs) == [200] * 4
    for payment in (first, second):
        payment.refresh_from_db()
        assert (payment.status, payment.amount_received) == (Payment.PAID, payment.amount_due)


def test_stripe_success_delivered_many_times_at_once_pays_once():
    payment = pending_order(price=250_000, method="stripe", offered=("stripe",))
    payment.stripe_payment_intent = "pi_race"
    payment.save()
    same = stripe_event("payment_intent.succeeded", intent(payment), id="evt_race")
    other = stripe_event("payment_intent.succeeded", intent(payment), id="evt_race_2")
    jobs = [deliver("stripe", same, stripe_headers(same)) for _ in range(DELIVERIES - 1)]
    jobs.append(deliver("stripe", other, stripe_headers(other)))

    assert at_once(jobs) == [200] * DELIVERIES
    payment.refresh_from_db()
    assert (payment.status, payment.amount_received) == (Payment.PAID, Decimal(250_000))
    assert payment.review_reason == ""
    assert Transaction.objects.count() == 1
    assert WebhookEvent.objects.count() == 2


def test_money_racing_the_expiry_job_is_never_lost():
    """Either the transfer wins (paid) or expiry wins (cancelled, money kept as late)."""
    payment = pending_order(price=250_000)
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    body = json.dumps(sepay_transfer(payment.reference, 250_000)).encode()
    at_once([deliver("sepay", body, sepay_apikey_headers()), services.expire_overdue])

    payment.refresh_from_db()
    payment.order.refresh_from_db()
    assert payment.amount_received == Decimal(250_000)
    txn = Transaction.objects.get()
    if payment.status == Payment.PAID:
        assert payment.order.status == "paid" and txn.match_status == Transaction.MATCHED
    else:
        assert (payment.status, payment.review_reason) == (Payment.EXPIRED, Payment.LATE)
        assert payment.order.status == "cancelled" and txn.match_status == Transaction.LATE
