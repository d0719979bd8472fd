"""Filters and sorting of product lists: catalogue, category, search and cooperative pages.

A plain GET form (works without JavaScript, links keep the other parameters). Every value is
checked; an invalid one is dropped, never an error page. Filters are conditions (EXISTS
subqueries) added to whatever queryset the page starts from, so they compose with the search
query and keep the page at a constant number of queries: one for the cooperatives (and their
communes) offered, one for the categories where offered, one to know whether drinks were hidden.

Sorting by name uses Vietnamese collation (ICU `vi-x-icu`) on PostgreSQL when the server has it,
and the plain title elsewhere (SQLite compares code points: "Đ" after "Z").
"""

import logging
import re
from dataclasses import dataclass, field
from functools import cache

from django import forms
from django.db import connection
from django.db.models import Case, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Collate
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.models import Category, Product, ProductCategory
from oscar.apps.partner.models import StockRecord

from catalog import age_gate, queries
from catalog.models import OcopCertificate
from cooperatives.models import Cooperative
from shop.addresses import units

logger = logging.getLogger(__name__)

RELEVANCE = "relevance"
NEWEST = "newest"
SORTS = {
    RELEVANCE: _("Best match"),
    NEWEST: _("Newest"),
    "price-asc": _("Price: low to high"),
    "price-desc": _("Price: high to low"),
    "name": _("Name (A–Z)"),
}
STARS = (3, 4, 5)
MAX_PRICE = 10**12
# Search engine hits that can be filtered in the database (the rest are not shown when filtering).
MAX_ENGINE_HITS = 500
VIETNAMESE_COLLATION = "vi-x-icu"
# Parameters that filter (the rest, like `q` and `page`, belong to the page).
FILTER_PARAMS = ("stars", "cooperative", "commune", "category", "price_min", "price_max")


class PriceField(forms.IntegerField):
    """Whole dong, as people type it: "150.000", "150 000", "150,000 ₫" all mean 150000."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"[\s.,_₫đĐ]|vnd|VND", "", value)
        return super().to_python(value)


class ProductFilterForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("OCOP stars"),
        required=False,
        coerce=int,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    cooperative = forms.ChoiceField(label=_("Cooperative"), required=False)
    commune = forms.ChoiceField(label=_("Commune"), required=False)
    category = forms.TypedChoiceField(
        label=_("Product group"), required=False, coerce=int, empty_value=None
    )
    price_min = PriceField(
        label=_("Price from (₫)"), required=False, min_value=0, max_value=MAX_PRICE
    )
    price_max = PriceField(
        label=_("Price to (₫)"), required=False, min_value=0, max_value=MAX_PRICE
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, cooperatives=(), communes=(), categories=None, sorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stars"].choices = [("", _("Any"))] + [
            (str(stars), _("%(stars)s★ and up") % {"stars": stars} if stars < 5 else "5★")
            for stars in STARS
        ]
        self.fields["cooperative"].choices = [("", _("All cooperatives"))] + list(cooperatives)
        self.fields["commune"].choices = [("", _("All communes"))] + list(communes)
        if categories is None:
            del self.fields["category"]
        else:
            self.fields["category"].choices = [("", _("All groups"))] + list(categories)
        if not cooperatives:
            del self.fields["cooperative"]
            del self.fields["commune"]
        self.fields["sort"].choices = [(key, SORTS[key]) for key in sorts]
        for name in ("price_min", "price_max"):
            self.fields[name].widget.attrs.update(
                {"inputmode": "numeric", "placeholder": "0", "min": "0", "step": "1000"}
            )

    def valid_values(self) -> dict:
        """The values that passed their checks; invalid ones are simply left out."""
        self.is_valid()
        values = {
            name: value
            for name, value in self.cleaned_data.items()
            if value not in (None, "") and name not in self.errors
        }
        low, high = values.get("price_min"), values.get("price_max")
        if low is not None and high is not None and low > high:
            values["price_min"], values["price_max"] = high, low
        return values


@cache
def _has_vietnamese_collation(alias: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = %s", [VIETNAMESE_COLLATION])
        return cursor.fetchone() is not None


def title_order():
    if connection.vendor == "postgresql" and _has_vietnamese_collation(connection.alias):
        return Collate("title", VIETNAMESE_COLLATION)
    return F("title")


def listing_price():
    """The price shoppers see on the card: the first stock record's (Oscar's default strategy),
    or the cheapest variant's for a parent product."""
    own = StockRecord.objects.filter(product=OuterRef("pk")).order_by("pk").values("price")[:1]
    variants = (
        StockRecord.objects.filter(product__parent=OuterRef("pk")).order_by("price").values("price")
    )[:1]
    return Coalesce(Subquery(own), Subquery(variants))


def apply(queryset, values: dict, sort: str | None):
    if values.get("stars"):
        queryset = queryset.filter(
            Exists(
                OcopCertificate.objects.in_force().filter(
                    products=OuterRef("pk"), stars__gte=values["stars"]
                )
            )
        )
    if values.get("cooperative"):
        queryset = queryset.filter(queries.sold_by_active_cooperative(slug=values["cooperative"]))
    if values.get("commune"):
        queryset = queryset.filter(
            queries.sold_by_active_cooperative(commune_code=values["commune"])
        )
    if values.get("category"):
        category = values["category_object"]
        subtree = Category.objects.filter(path__startswith=category.path).values("pk")
        queryset = queryset.filter(
            Exists(ProductCategory.objects.filter(product=OuterRef("pk"), category__in=subtree))
        )
    if "price_min" in values or "price_max" in values or sort in ("price-asc", "price-desc"):
        queryset = queryset.annotate(listing_price=listing_price())
        if "price_min" in values:
            queryset = queryset.filter(listing_price__gte=values["price_min"])
        if "price_max" in values:
            queryset = queryset.filter(listing_price__lte=values["price_max"])
    if sort == NEWEST:
        queryset = queryset.order_by("-date_created", "-pk")
    elif sort == "price-asc":
        queryset = queryset.order_by(F("listing_price").asc(nulls_last=True), "pk")
    elif sort == "price-desc":
        queryset = queryset.order_by(F("listing_price").desc(nulls_last=True), "-pk")
    elif sort == "name":
        queryset = queryset.order_by(title_order().asc(), "pk")
    return queryset


@dataclass
class ActiveFilter:
    label: str
    remove_url: str


@dataclass
class Listing:
    """A product list as a shopper refined it: the form, the products, what was hidden."""

    queryset: object
    form: ProductFilterForm
    values: dict
    sort: str
    default_sort: str
    params: QueryDict
    hidden_drinks: bool = False
    gate_url: str = ""
    active: list[ActiveFilter] = field(default_factory=list)

    @property
    def is_filtered(self) -> bool:
        return bool(self.active) or self.sort != self.default_sort

    def url(self, **changes) -> str:
        """The current address with some parameters changed (None removes one), first page."""
        params = self.params.copy()
        params.pop("page", None)
        for key, value in changes.items():
            params.pop(key, None)
            if value not in (None, ""):
                params[key] = str(value)
        encoded = params.urlencode()
        return f"?{encoded}" if encoded else "?"

    @property
    def star_links(self) -> list[dict]:
        current = self.values.get("stars")
        return [
            {
                "stars": stars,
                "url": self.url(stars=None if current == stars else stars),
                "active": current == stars,
            }
            for stars in STARS
        ]

    @property
    def clear_url(self) -> str:
        return self.url(**{name: None for name in (*FILTER_PARAMS, "sort")})


def _cooperative_choices(products=None):
    """Active cooperatives selling some of `products` (all of them when None), and their
    communes: one query."""
    found = Cooperative.objects.filter(is_active=True)
    if products is not None:
        listed = products.order_by().values("pk")
        found = found.filter(
            Exists(
                StockRecord.objects.filter(
                    Q(product__in=listed) | Q(product__parent__in=listed),
                    partner=OuterRef("partner"),
                )
            )
        )
    cooperatives = list(found.only("slug", "legal_name", "short_name", "commune_code"))
    cooperatives.sort(key=lambda coop: coop.name.casefold())
    communes = {}
    for coop in cooperatives:
        if coop.commune is not None:
            communes[coop.commune_code] = coop.place
    commune_choices = sorted(communes.items(), key=lambda item: units._sort_key(item[1]))
    return [(coop.slug, coop.name) for coop in cooperatives], commune_choices


def _category_choices():
    categories = list(
        Category.objects.browsable()
        .filter(depth__lte=2)
        .order_by("path")
        .only("pk", "name", "path", "depth")
    )
    by_pk = {category.pk: category for category in categories}
    choices = [
        (category.pk, category.name if category.depth == 1 else f"– {category.name}")
        for category in categories
    ]
    return choices, by_pk


def refine(
    request,
    queryset,
    *,
    with_categories=False,
    with_cooperatives=True,
    relevance=False,
    fallback=None,
):
    """Apply the shopper's filters, sort and the age gate to a page's product queryset.

    `queryset` may also be a search engine's ranked results (anything sliceable whose items have
    a `pk`): when they must be filtered or drinks hidden, the first `MAX_ENGINE_HITS` are loaded
    from the database in the engine's order. Should the engine fail, `fallback()` gives the
    database's answer instead.
    """
    sorts = ([RELEVANCE] if relevance else []) + [NEWEST, "price-asc", "price-desc", "name"]
    default_sort = sorts[0]
    if with_cooperatives:
        base = queryset if isinstance(queryset, QuerySet) else None
        cooperatives, communes = _cooperative_choices(base)
    else:
        cooperatives, communes = (), ()
    categories, categories_by_pk = _category_choices() if with_categories else (None, {})
    form = ProductFilterForm(
        request.GET,
        cooperatives=cooperatives,
        communes=communes,
        categories=categories,
        sorts=sorts,
    )
    values = form.valid_values()
    sort = values.pop("sort", None) or default_sort
    if values.get("category") is not None:
        values["category_object"] = categories_by_pk[values["category"]]

    if not isinstance(queryset, QuerySet) and (
        values or sort != default_sort or not age_gate.is_confirmed(request)
    ):
        queryset = _engine_results_as_queryset(queryset, fallback)
    if isinstance(queryset, QuerySet):
        queryset = apply(queryset, values, None if sort == RELEVANCE else sort)
        queryset, hidden = age_gate.hide(queryset, request)
    else:  # a search engine's ranked results, nothing to filter or hide: shown as they come
        hidden = False

    display = ProductFilterForm(
        initial={**values, "sort": sort},
        cooperatives=cooperatives,
        communes=communes,
        categories=categories,
        sorts=sorts,
    )
    listing = Listing(
        queryset=queryset,
        form=display,
        values=values,
        sort=sort,
        default_sort=default_sort,
        params=request.GET,
        hidden_drinks=hidden,
        gate_url=age_gate.gate_url(request.get_full_path()) if hidden else "",
    )
    listing.active = _active_filters(listing, display)
    return listing


def _engine_results_as_queryset(results, fallback):
    try:
        ids = [int(hit.pk) for hit in results[:MAX_ENGINE_HITS]]
    except Exception:
        if fallback is None:
            raise
        logger.exception("Search engine failed; the database answers")
        return fallback()
    if not ids:
        return Product.objects.none()
    rank = Case(*(When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)))
    return queries.browsable_products().filter(pk__in=ids).order_by(rank)


def _active_filters(listing: Listing, form: ProductFilterForm) -> list[ActiveFilter]:
    active = []
    for name in FILTER_PARAMS:
        value = listing.values.get(name)
        if value is None:
            continue
        if name in ("price_min", "price_max"):
            amount = f"{value:,}".replace(",", ".") + " ₫"
            label = (_("from %(price)s") if name == "price_min" else _("up to %(price)s")) % {
                "price": amount
            }
        else:
            labels = {str(key): text for key, text in form.fields[name].choices}
            label = str(labels.get(str(value), value)).lstrip("– ")
            if name == "stars":
                label = f"OCOP {label}"
        active.append(ActiveFilter(label=str(label), remove_url=listing.url(**{name: None})))
    return active
