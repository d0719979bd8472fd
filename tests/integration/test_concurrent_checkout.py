"""Several shoppers pay for the last unit at the same moment: one order, clear "sold out" for
the rest. Real parallel transactions, each thread on its own database connection (PostgreSQL in
CI; the embedded SQLite runs it too)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from oscar.apps.order.models import Order

from tests.checkout import add_to_basket, enter_details, place_order

SHOPPERS = 5

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_last_unit_makes_exactly_one_order(shop_catalogue):
    bottle = shop_catalogue["last_bottle"]
    clients = []
    for number in range(SHOPPERS):
        client = Client()
        add_to_basket(client, bottle)
        review = enter_details(client, email=f"khach{number}@example.com")
        assert review.status_code == 200
        clients.append(client)

    start = threading.Barrier(SHOPPERS)
    responses = [None] * SHOPPERS
    errors = []

    def shop(number):
        try:
            start.wait(timeout=30)
            responses[number] = place_order(clients[number])
        except Exception as error:  # surfaced below, with the thread's own traceback lost
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=shop, args=(n,)) for n in range(SHOPPERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    placed = [r for r in responses if r.status_code == 302]
    refused = [r for r in responses if r.status_code == 200]
    assert len(placed) == 1 and len(refused) == SHOPPERS - 1
    assert placed[0]["Location"] == reverse("checkout:thank-you")
    for response in refused:
        assert "Rất tiếc, “Rượu nếp cẩm men lá” vừa hết hàng." in response.text

    assert Order.objects.count() == 1
    record = bottle.stockrecords.get()
    assert (record.num_in_stock, record.num_allocated) == (1, 1)
    # The losers keep their basket, to change it.
    for client, response in zip(clients, responses, strict=True):
        if response.status_code == 200:
            assert client.get(reverse("basket:summary")).context["basket"].num_items == 1
