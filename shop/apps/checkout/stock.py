"""Stock is allocated when an order is placed, and two buyers of the last unit make one order."""

from collections import defaultdict

from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_class, get_model

from shop.basket import prefill

StockRecord = get_model("partner", "StockRecord")
EventHandler = get_class("order.processing", "EventHandler")
OrderCreator = get_class("order.utils", "OrderCreator")


class SoldOut(UnableToPlaceOrder):
    """A line of the basket can no longer be covered by stock."""


def lock_stock_for(basket) -> dict:
    """Lock the basket's stock records and check they still cover it, or raise SoldOut.

    Runs inside the order-placing transaction, before Oscar allocates. The row locks (taken in
    id order so that concurrent checkouts cannot deadlock) make a competing checkout wait until
    this one commits and then see its allocation. On SQLite the IMMEDIATE transaction already
    serialises writers, and `select_for_update` is a no-op. Returns the locked rows by id.
    """
    wanted: dict[int, int] = defaultdict(int)
    titles: dict[int, str] = {}
    for line in basket.all_lines():
        if line.stockrecord_id and line.product.get_product_class().track_stock:
            wanted[line.stockrecord_id] += line.quantity
            titles[line.stockrecord_id] = line.product.get_title()
    records = StockRecord.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    found = {record.pk: record for record in records}
    for pk, quantity in wanted.items():
        record = found.get(pk)
        available = record.net_stock_level if record else 0
        if available < quantity:
            if available <= 0:
                message = _("Sorry, “%(product)s” has just sold out.") % {"product": titles[pk]}
            else:
                message = _(
                    "Sorry, only %(available)d of “%(product)s” are left; "
                    "please change the quantity in your basket."
                ) % {"available": available, "product": titles[pk]}
            raise SoldOut(message)
    return found


class LockedStockOrderCreator(OrderCreator):
    """Oscar's order creator, allocating stock on the rows `lock_stock_for` locked.

    Oscar's `StockRecord.allocate` reads the row back after its atomic UPDATE; under our lock
    nothing can change it in between, so the new allocation is the locked value plus the
    quantity, and that read (one per line) is saved. The UPDATE stays atomic (an F expression)
    and the same signals are sent, so low-stock alerts work as before.
    """

    def __init__(self, locked: dict):
        self.locked = locked

    def create_line_models(self, order, basket_line, extra_line_fields=None):
        line = super().create_line_models(order, basket_line, extra_line_fields)
        # The order's lines as written, for what reads them again in this request (Oscar's
        # analytics on `order_placed`), in the order of their keys like `order.lines.all()`.
        lines = order.__dict__.setdefault("_written_lines", [])
        lines.append(line)
        prefill(order, "lines", lines)
        return line

    def update_stock_records(self, line):
        record = line.stockrecord
        locked = self.locked.get(record.pk)
        if locked is None or not line.product.get_product_class().track_stock:
            return super().update_stock_records(line)
        record.pre_save_signal()
        StockRecord.objects.filter(pk=record.pk).update(
            num_allocated=Coalesce(F("num_allocated"), 0) + line.quantity
        )
        locked.num_allocated = (locked.num_allocated or 0) + line.quantity
        record.num_in_stock = locked.num_in_stock
        record.num_allocated = locked.num_allocated
        record.post_save_signal()


def release_allocations(order) -> None:
    """Give back the stock a cancelled order holds; safe twice (Oscar tracks it per line)."""
    EventHandler().cancel_stock_allocations(
        order, lines=list(order.lines.select_related("stockrecord__product__product_class"))
    )
