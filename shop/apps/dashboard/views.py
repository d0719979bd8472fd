"""The dashboard's home: Oscar's shop statistics for platform staff, a work list for owners."""

from django.db.models import F, IntegerField, Value
from django.db.models.functions import Coalesce
from oscar.apps.dashboard import views
from oscar.core.loading import get_model

from cooperatives.access import cooperative_of, is_owner, partner_ids

Line = get_model("order", "Line")
StockRecord = get_model("partner", "StockRecord")

# Orders whose lines a cooperative packs and ships: confirmed (cash on delivery) or paid.
ORDER_STATUSES_TO_FULFIL = ("confirmed", "paid")
LINE_STATUSES_DONE = ("shipped", "delivered", "returned", "cancelled")
DEFAULT_LOW_STOCK_THRESHOLD = 5
PANEL_ROWS = 50


def lines_to_fulfil(ids):
    """Lines of the partners `ids` waiting to be shipped, oldest order first."""
    return (
        Line.objects.filter(partner_id__in=ids, order__status__in=ORDER_STATUSES_TO_FULFIL)
        .exclude(status__in=LINE_STATUSES_DONE)
        .select_related("order", "order__shipping_address")
        .order_by("order__date_placed", "pk")
    )


def low_stock(ids):
    """Stock records of the partners `ids` whose free stock (in stock minus allocated) is at or
    below their low-stock threshold (or `DEFAULT_LOW_STOCK_THRESHOLD` when none is set)."""
    return (
        StockRecord.objects.filter(
            partner_id__in=ids,
            num_in_stock__isnull=False,
            product__product_class__track_stock=True,
        )
        .annotate(
            available=F("num_in_stock") - Coalesce("num_allocated", 0),
            threshold=Coalesce(
                "low_stock_threshold",
                Value(DEFAULT_LOW_STOCK_THRESHOLD),
                output_field=IntegerField(),
            ),
        )
        .filter(available__lte=F("threshold"))
        .select_related("product")
        .order_by("available", "product__title", "pk")
    )


class IndexView(views.IndexView):
    """Staff keep Oscar's statistics; a cooperative's people get what needs doing today:
    the order lines to pack and ship, and the products running out. A constant number of
    queries, however many orders and products there are."""

    cooperative_template_name = "oscar/dashboard/cooperative_home.html"

    def get_template_names(self):
        if self.cooperative is not None:
            return [self.cooperative_template_name]
        return super().get_template_names()

    @property
    def cooperative(self):
        user = self.request.user
        return None if user.is_staff else cooperative_of(user)

    def get_context_data(self, **kwargs):
        cooperative = self.cooperative
        if cooperative is None:
            return super().get_context_data(**kwargs)
        # Not Oscar's statistics: they add up whole orders, other cooperatives' lines included.
        ctx = super(views.IndexView, self).get_context_data(**kwargs)
        ids = partner_ids(self.request.user)
        to_fulfil = lines_to_fulfil(ids)
        running_out = low_stock(ids)
        ctx.update(
            cooperative=cooperative,
            is_owner=is_owner(self.request.user, cooperative),
            lines_to_fulfil=list(to_fulfil[:PANEL_ROWS]),
            lines_to_fulfil_count=to_fulfil.count(),
            low_stock=list(running_out[:PANEL_ROWS]),
            low_stock_count=running_out.count(),
            default_low_stock_threshold=DEFAULT_LOW_STOCK_THRESHOLD,
        )
        return ctx
