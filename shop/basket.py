"""Oscar's basket middleware, loading a request's basket in a constant number of queries.

Oscar's own loads the basket, then its lines lazily, then each line's stock record and product
class again, counts the lines twice before they are loaded, and looks up vouchers and site offers
on every request even when the shop has none. Every checkout step loads the basket, so that cost
was paid at each step of every order. Here a guest's basket comes with its lines in one query,
with what the strategy, the shipping parcels and the order creator read of them, and the offer
lookups run only when the basket holds a voucher or a site offer is active (both read in that
same query). Nothing is kept between requests: prices, stock and offers are read fresh each time.
"""

from django.core.signing import BadSignature, Signer
from django.db.models import Exists, OuterRef, prefetch_related_objects
from oscar.apps.basket import middleware
from oscar.apps.basket.models import Basket, Line, LineAttribute
from oscar.apps.offer.models import ConditionalOffer
from oscar.apps.partner.models import StockRecord
from oscar.apps.voucher.models import Voucher

BasketVoucher = Basket.vouchers.through


def _site_offers():
    return Exists(ConditionalOffer.active.filter(offer_type=ConditionalOffer.SITE).values("pk"))


def lines_queryset(basket_id):
    """A basket's lines with what the checkout reads of them, in Oscar's order.

    Two flags say which lines need more: options chosen (line attributes) and a product sold
    from more than one stock record (the strategy then picks among them). Most lines need
    neither, and their relations are filled from the rows already loaded.
    """
    return (
        Line.objects.filter(basket_id=basket_id)
        .select_related(
            "product__product_class",
            "product__parent__product_class",
            "stockrecord__partner",
        )
        .annotate(
            _has_attributes=Exists(LineAttribute.objects.filter(line_id=OuterRef("pk"))),
            _other_stockrecords=Exists(
                StockRecord.objects.filter(product_id=OuterRef("product_id")).exclude(
                    pk=OuterRef("stockrecord_id")
                )
            ),
        )
        .order_by("pk")
    )


def open_guest_basket(basket_id):
    """A guest's open basket with its lines and offer flags: one query unless it is empty."""
    lines = (
        lines_queryset(basket_id)
        .filter(basket__owner=None, basket__status=Basket.OPEN)
        .select_related("basket")
        .annotate(
            _has_vouchers=Exists(BasketVoucher.objects.filter(basket_id=OuterRef("basket_id"))),
            _site_offers=_site_offers(),
        )
    )
    loaded = list(lines)
    if not loaded:
        return (
            Basket.objects.annotate(
                _has_vouchers=Exists(BasketVoucher.objects.filter(basket_id=OuterRef("pk"))),
                _site_offers=_site_offers(),
            )
            .filter(pk=basket_id, owner=None, status=Basket.OPEN)
            .first()
        )
    basket = loaded[0].basket
    basket._has_vouchers = loaded[0]._has_vouchers
    basket._site_offers = loaded[0]._site_offers
    basket._lines = lines
    return basket


def prefill(instance, relation: str, rows, queryset=None) -> None:
    """Fill a to-many relation's cache with rows already loaded, as `prefetch_related` would.

    An unsaved instance has no related manager to ask: pass a queryset of the right model.
    """
    if queryset is None:
        queryset = getattr(instance, relation).all()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    instance.__dict__.setdefault("_prefetched_objects_cache", {})[relation] = queryset


def _prefetch_cache(instance) -> dict:
    return instance.__dict__.get("_prefetched_objects_cache", {})


def complete_lines(lines, with_images: bool) -> None:
    """Give loaded lines the relations Oscar reads, in a query per relation at most."""
    for line in lines:
        if not line._has_attributes:
            prefill(line, "attributes", [])
        record = line.stockrecord
        if record is not None and record.product_id == line.product_id:
            # The same row as the line's product: allocating stock reads its class from here.
            record.product = line.product
            if not line._other_stockrecords:
                # The product's only stock record, which the strategy would load again.
                prefill(line.product, "stockrecords", [record])
    prefetch_related_objects([line for line in lines if line._has_attributes], "attributes__option")
    prefetch_related_objects(
        [line.product for line in lines if "stockrecords" not in _prefetch_cache(line.product)],
        "stockrecords",
    )
    if with_images:
        prefetch_related_objects([line.product for line in lines], "images")


class BasketMiddleware(middleware.BasketMiddleware):
    def get_cookie_basket(self, cookie_key, request, manager):
        """Oscar's, reading the lines and the offer flags in the same query."""
        if cookie_key not in request.COOKIES:
            return None
        try:
            basket = open_guest_basket(Signer().unsign(request.COOKIES[cookie_key]))
        except BadSignature:
            basket = None
        if basket is None:
            request.cookies_to_delete.append(cookie_key)
        return basket

    def apply_offers_to_basket(self, request, basket):
        if basket.id is None:
            # A new basket has no lines and no voucher: adding its first product need not look.
            basket._lines = Line.objects.none()
            prefill(basket, "vouchers", [], Voucher.objects.none())
            return
        if basket._lines is None:
            basket._lines = lines_queryset(basket.id)
        lines = list(basket._lines)
        for line in lines:
            line.basket = basket  # whose strategy prices the line
        # Pictures are shown by pages; a form posted to a checkout step redirects.
        complete_lines(lines, with_images=request.method in ("GET", "HEAD"))
        if not getattr(basket, "_has_vouchers", True):
            prefill(basket, "vouchers", [])
        if not lines:
            return
        if getattr(basket, "_has_vouchers", True) or getattr(basket, "_site_offers", True):
            super().apply_offers_to_basket(request, basket)
