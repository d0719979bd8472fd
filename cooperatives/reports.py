"""The figures of a region's report: sales, orders, delivery times and certificates.

Pure queries, no HTTP: `region_report(commune_codes, period)` answers everything the report page
and its CSV / Excel exports show, in a fixed number of queries whatever the number of orders
(every figure is a GROUP BY in the database).

What counts as sold: the order lines of cooperatives of the region whose order was placed in the
period (local days, Asia/Ho_Chi_Minh), except orders still awaiting payment (bank transfer or card
not paid yet: they may never be), cancelled orders, returned orders, and single lines cancelled or
returned. Cash-on-delivery orders count from the moment they are confirmed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.models import Category, ProductCategory
from oscar.apps.order.models import Line

from catalog.models import OcopCertificate
from logistics import states
from logistics.models import Shipment
from shop.addresses import units

#: Orders that are not (or no longer) a sale.
UNSOLD_ORDER_STATUSES = ("pending_payment", "cancelled", "returned")
#: Lines taken out of an order that otherwise stands.
UNSOLD_LINE_STATUSES = ("cancelled", "returned")
TOP_PRODUCTS = 10
EXPIRING_WITHIN_DAYS = 90

SOLD_RULE = _(
    "Counted as sold: lines of orders placed in the period, except orders awaiting payment, "
    "cancelled or returned orders, and cancelled or returned lines. Amounts include VAT and "
    "exclude delivery fees."
)


@dataclass(frozen=True)
class Period:
    """Whole local days, both ends included."""

    first_day: datetime.date
    last_day: datetime.date

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """The first instant of the period and the first instant after it, in local time."""
        zone = timezone.get_default_timezone()
        start = datetime.datetime.combine(self.first_day, datetime.time.min, tzinfo=zone)
        after = datetime.datetime.combine(
            self.last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return start, after


@dataclass
class Row:
    """One bar of a chart: a cooperative, a commune, a group, a star level or a product."""

    label: str
    sales: int = 0
    orders: int = 0
    units: int = 0
    detail: str = ""


@dataclass
class DeliveryTime:
    shipments: int
    average: datetime.timedelta | None

    @property
    def average_hours(self) -> float | None:
        return None if self.average is None else round(self.average.total_seconds() / 3600, 1)

    @property
    def days_and_hours(self) -> tuple[int, int] | None:
        if self.average is None:
            return None
        hours = round(self.average.total_seconds() / 3600)
        return divmod(hours, 24)


@dataclass
class CertificateCounts:
    valid: int = 0
    expiring: int = 0
    expired: int = 0
    waiting: int = 0
    rejected: int = 0

    def rows(self) -> list[Row]:
        return [
            Row(str(_("Valid, more than 90 days left")), units=self.valid),
            Row(str(_("Expiring within 90 days")), units=self.expiring),
            Row(str(_("Expired")), units=self.expired),
            Row(str(_("Waiting for verification")), units=self.waiting),
            Row(str(_("Rejected")), units=self.rejected),
        ]


@dataclass
class RegionReport:
    period: Period
    totals: Row
    by_cooperative: list[Row] = field(default_factory=list)
    by_commune: list[Row] = field(default_factory=list)
    by_group: list[Row] = field(default_factory=list)
    by_star: list[Row] = field(default_factory=list)
    top_products: list[Row] = field(default_factory=list)
    delivery: DeliveryTime | None = None
    certificates: CertificateCounts = field(default_factory=CertificateCounts)


def whole_dong(amount) -> int:
    return int(Decimal(amount or 0).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def sold_lines(commune_codes, period: Period):
    """The sold order lines of the period; `commune_codes` None means every cooperative."""
    start, after = period.bounds()
    lines = Line.objects.filter(order__date_placed__gte=start, order__date_placed__lt=after)
    lines = lines.exclude(order__status__in=UNSOLD_ORDER_STATUSES).exclude(
        status__in=UNSOLD_LINE_STATUSES
    )
    if commune_codes is not None:
        lines = lines.filter(partner__cooperative__commune_code__in=list(commune_codes))
    # Variants carry their categories and certificates on the parent product.
    return lines.annotate(catalogue_product=Coalesce("product__parent_id", "product_id"))


FIGURES = {
    "sales": Sum("line_price_incl_tax"),
    "orders": Count("order", distinct=True),
    "units": Sum("quantity"),
}


def _grouped(lines, key: str, **extra):
    return lines.values(key).annotate(**FIGURES, **extra).order_by("-sales", key)


def _row(values: dict, label: str, detail: str = "") -> Row:
    return Row(
        label=label,
        sales=whole_dong(values["sales"]),
        orders=values["orders"] or 0,
        units=values["units"] or 0,
        detail=detail,
    )


def by_cooperative(lines) -> list[Row]:
    rows = _grouped(
        lines,
        "partner_id",
        name=Max("partner__name"),
        commune=Max("partner__cooperative__commune_code"),
    )
    return [
        _row(
            values,
            values["name"] or str(_("(cooperative removed)")),
            units.place_name(values["commune"] or ""),
        )
        for values in rows
    ]


def by_commune(lines) -> list[Row]:
    rows = _grouped(lines, "partner__cooperative__commune_code")
    result = []
    for values in rows:
        code = values["partner__cooperative__commune_code"]
        found = units.commune(code) if code else None
        province = units.province_of(code) if code else None
        label = found.name if found else str(_("Unknown commune"))
        result.append(_row(values, label, province.name if province else ""))
    return result


def _group_path():
    """The path prefix of the product's OCOP group: the root of its first category (by tree
    order), so a product listed under several categories counts once."""
    first_category_path = Subquery(
        ProductCategory.objects.filter(product_id=OuterRef("catalogue_product"))
        .order_by("category__path")
        .values("category__path")[:1]
    )
    return Substr(first_category_path, 1, Category.steplen)


def by_group(lines) -> list[Row]:
    rows = list(_grouped(lines.annotate(group_path=_group_path()), "group_path"))
    names = dict(
        Category.objects.filter(
            depth=1, path__in=[values["group_path"] for values in rows if values["group_path"]]
        ).values_list("path", "name")
    )
    return [
        _row(values, names.get(values["group_path"]) or str(_("No OCOP group"))) for values in rows
    ]


def _stars():
    """The stars of the best certificate in force today that covers the product."""
    return Subquery(
        OcopCertificate.objects.in_force()
        .filter(products=OuterRef("catalogue_product"))
        .order_by("-stars")
        .values("stars")[:1],
        output_field=IntegerField(),
    )


def by_star(lines) -> list[Row]:
    rows = _grouped(lines.annotate(star=_stars()), "star")
    return [
        _row(values, _star_label(values["star"]))
        for values in sorted(rows, key=lambda values: -(values["star"] or 0))
    ]


def _star_label(stars: int | None) -> str:
    if not stars:
        return str(_("No star"))
    return str(OcopCertificate.Stars(stars).label)


def top_products(lines, limit: int = TOP_PRODUCTS) -> list[Row]:
    rows = _grouped(lines, "product_id", title=Max("title"), cooperative=Max("partner_name"))[
        :limit
    ]
    return [_row(values, values["title"], values["cooperative"]) for values in rows]


def delivery_time(commune_codes, period: Period) -> DeliveryTime:
    """Shipments delivered in the period, from the order being placed to the delivery event.

    A delivered parcel is final: its last event is the delivery.
    """
    start, after = period.bounds()
    shipments = Shipment.objects.filter(
        state=states.DELIVERED, last_event_at__gte=start, last_event_at__lt=after
    )
    if commune_codes is not None:
        shipments = shipments.filter(partner__cooperative__commune_code__in=list(commune_codes))
    figures = shipments.aggregate(
        count=Count("pk"),
        average=Avg(
            ExpressionWrapper(F("last_event_at") - F("order__date_placed"), DurationField())
        ),
    )
    average = figures["average"]
    if average is not None and not isinstance(average, datetime.timedelta):
        average = datetime.timedelta(microseconds=float(average))  # SQLite: microseconds
    return DeliveryTime(shipments=figures["count"], average=average)


def certificate_counts(commune_codes, today: datetime.date | None = None) -> CertificateCounts:
    today = today or timezone.localdate()
    soon = today + datetime.timedelta(days=EXPIRING_WITHIN_DAYS)
    Status = OcopCertificate.Status
    in_force = Q(status=Status.VERIFIED, signed_on__lte=today, valid_until__gte=today)
    certificates = OcopCertificate.objects.all()
    if commune_codes is not None:
        certificates = certificates.filter(cooperative__commune_code__in=list(commune_codes))
    figures = certificates.aggregate(
        valid=Count("pk", filter=in_force & Q(valid_until__gt=soon)),
        expiring=Count("pk", filter=in_force & Q(valid_until__lte=soon)),
        expired=Count(
            "pk", filter=Q(status=Status.EXPIRED) | Q(status=Status.VERIFIED, valid_until__lt=today)
        ),
        waiting=Count("pk", filter=Q(status=Status.SUBMITTED)),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
    )
    return CertificateCounts(**figures)


def region_report(commune_codes, period: Period) -> RegionReport:
    """Every figure of the report; `commune_codes` None means all regions (platform staff)."""
    lines = sold_lines(commune_codes, period)
    totals = lines.aggregate(**FIGURES)
    return RegionReport(
        period=period,
        totals=_row(totals, str(_("All cooperatives"))),
        by_cooperative=by_cooperative(lines),
        by_commune=by_commune(lines),
        by_group=by_group(lines),
        by_star=by_star(lines),
        top_products=top_products(lines),
        delivery=delivery_time(commune_codes, period),
        certificates=certificate_counts(commune_codes),
    )
