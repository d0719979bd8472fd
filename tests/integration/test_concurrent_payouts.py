"""Two staff create a payout for the same cooperative at the same moment: one payout, every line
in it once, the other click refused. Real parallel transactions on PostgreSQL (SQLite has no row
locks: it refuses the second writer instead of queueing it)."""

import threading
from decimal import Decimal

from django.db import connection
from oscar.apps.basket.models import Basket
from oscar.apps.partner.strategy import Default
from oscar.test.factories import create_order

from payments import payouts
from payments.models import PayoutBatch, PayoutEntry
from tests import factories
from tests.concurrency import ONLY_ON_POSTGRES

CLICKS = 4

pytestmark = ONLY_ON_POSTGRES


def test_simultaneous_payouts_put_each_line_in_one_batch(settings):
    settings.PLATFORM_COMMISSION_PERCENT = Decimal("5")
    partner = factories.cooperative()
    tea = factories.product("Chè Shan tuyết", 150_000, 100, partner)
    for quantity in (1, 2, 3):
        basket = Basket.objects.create()
        basket.strategy = Default()
        basket.add_product(tea, quantity)
        order = create_order(basket=basket)
        order.set_status("shipped")
        order.set_status("delivered")
    assert PayoutEntry.objects.filter(batch__isnull=True).count() == 3

    start = threading.Barrier(CLICKS)
    created, refused, errors = [], [], []

    def click():
        try:
            start.wait(timeout=30)
            created.append(payouts.create_batch(partner).pk)
        except payouts.PayoutError:
            refused.append(True)
        except Exception as error:  # surfaced below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(CLICKS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(created) == 1 and len(refused) == CLICKS - 1
    batch = PayoutBatch.objects.get()
    assert batch.pk == created[0]
    assert set(PayoutEntry.objects.values_list("batch", flat=True)) == {batch.pk}
    assert (batch.gross, batch.net) == (900_000, 855_000)
