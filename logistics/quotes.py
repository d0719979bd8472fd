"""Delivery fees at checkout: one courier quote per parcel, cached, with a table rate behind it.

A quote is kept in Django's cache under (courier, service, origin commune, destination commune,
weight bucket) for `SHIPPING_QUOTE_CACHE_SECONDS`, so page loads of one checkout ask a courier
once per route. Parcels are quoted at the top of their 500 g bucket, so a cached answer never
undercharges a heavier parcel of the same bucket. When no quote can be had (the courier is down,
too slow, or does not serve the route) the table rate of `SHIPPING_TABLE_RATE` is used instead,
the fee says so (`source == TABLE`), and that miss is remembered for a minute so a courier that
is down does not slow every page.
"""

import hashlib
import logging
import math
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

import httpx
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from . import couriers
from .couriers import Address, Courier, CourierError, Parcel, Service

logger = logging.getLogger(__name__)

QUOTE = "quote"
TABLE = "table"
SOURCES = [(QUOTE, _("courier quote")), (TABLE, _("table rate"))]

BUCKET_GRAMS = 500
#: How long a failed or refused quote is remembered before the courier is asked again.
MISS_SECONDS = 60


@dataclass(frozen=True)
class Fee:
    """What one parcel costs to send with one courier service, and where the amount came from."""

    courier: str
    service: str
    amount: Decimal
    source: str  # QUOTE or TABLE
    weight_grams: int


def weight_bucket(weight_grams: int) -> int:
    """The weight a parcel is quoted at: rounded up to the next 500 g (never below 500 g)."""
    return max(1, math.ceil(max(0, weight_grams) / BUCKET_GRAMS)) * BUCKET_GRAMS


def table_fee(origin: Address | None, destination: Address | None, weight_grams: int) -> Decimal:
    """The configured fallback: a base fee (same province or not) covering the first kilogram,
    then `PER_KG` for each started kilogram above it."""
    rate = settings.SHIPPING_TABLE_RATE
    same = (
        origin is not None
        and destination is not None
        and origin.province_code == destination.province_code
    )
    base = rate["SAME_PROVINCE"] if same else rate["OTHER_PROVINCE"]
    extra_kg = math.ceil(max(0, weight_grams - 1000) / 1000)
    return Decimal(base + extra_kg * rate["PER_KG"])


def services() -> list[tuple[Courier, Service]]:
    """Every enabled courier's services, in the order of `settings.COURIERS`."""
    return [
        (courier, service) for courier in couriers.all_couriers() for service in courier.services()
    ]


def _services_of(courier: Courier) -> list[Service]:
    try:
        return list(courier.services())
    except Exception:
        logger.exception("Courier %s could not list its services", courier.code)
        return []


def _key(courier: str, service: str, origin: Address, destination: Address, bucket: int) -> str:
    raw = f"{courier}|{service}|{origin.commune_code}|{destination.commune_code}|{bucket}"
    return "shipping-quote:" + hashlib.sha256(raw.encode()).hexdigest()[:32]


def _ask(courier: Courier, origin: Address, destination: Address, parcel: Parcel) -> dict:
    """The courier's fees by service code; empty when it failed (logged, never raised)."""
    try:
        return {
            quote.service: Decimal(quote.fee).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            for quote in courier.quote(origin, destination, parcel)
            if quote.fee is not None and Decimal(quote.fee) >= 0
        }
    except (CourierError, httpx.HTTPError) as error:
        logger.warning("Courier %s gave no quote: %r", courier.code, error)
    except Exception:  # a broken adapter or answer must not break checkout either
        logger.exception("Courier %s failed while quoting", courier.code)
    return {}


def fee(
    courier: Courier,
    service: str,
    origin: Address | None,
    destination: Address | None,
    parcel: Parcel,
) -> Fee:
    """The fee of one parcel with one service: the courier's quote (cached) or the table rate."""
    weight = parcel.weight_grams

    def table() -> Fee:
        return Fee(courier.code, service, table_fee(origin, destination, weight), TABLE, weight)

    if origin is None or destination is None:
        return table()
    bucket = weight_bucket(weight)
    key = _key(courier.code, service, origin, destination, bucket)
    cached = cache.get(key)
    if cached is None:
        found = _ask(courier, origin, destination, replace(parcel, weight_grams=bucket))
        ttl = settings.SHIPPING_QUOTE_CACHE_SECONDS
        # One answer prices every service of the courier: keep them all, and remember the
        # services it did not price (or the failure) as misses.
        codes = {service, *found, *(s.code for s in _services_of(courier))}
        answers = {
            _key(courier.code, code, origin, destination, bucket): {
                "fee": str(found[code]) if code in found else None
            }
            for code in codes
        }
        hits = {k: v for k, v in answers.items() if v["fee"] is not None}
        misses = {k: v for k, v in answers.items() if v["fee"] is None}
        if hits:
            cache.set_many(hits, ttl)
        if misses:
            cache.set_many(misses, min(ttl, MISS_SECONDS))
        cached = answers[key]
    if cached["fee"] is None:
        return table()
    return Fee(courier.code, service, Decimal(cached["fee"]), QUOTE, weight)
