"""Stock is allocated when an order is placed, and two buyers of the last unit make one order."""

from collections import defaultdict

from django.utils.translation import gettext as _
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_class, get_model

StockRecord = get_model("partner", "StockRecord")
EventHandler = get_class("order.processing", "EventHandler")


class SoldOut(UnableToPlaceOrder):
    """A line of the basket can no longer be covered by stock."""


def lock_stock_for(basket) -> None:
    """Lock the basket's stock records and check they still cover it, or raise SoldOut.

    Runs inside the order-placing transaction, before Oscar allocates. The row locks (taken in
    id order so that concurrent checkouts cannot deadlock) make a competing checkout wait until
    this one commits and then see its allocation. On SQLite the IMMEDIATE transaction already
    serialises writers, and `select_for_update` is a no-op.
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


def release_allocations(order) -> None:
    """Give back the stock a cancelled order holds; safe twice (Oscar tracks it per line)."""
    EventHandler().cancel_stock_allocations(
        order, lines=list(order.lines.select_related("stockrecord__product__product_class"))
    )
