"""A basket as couriers see it: one parcel per cooperative, from its pickup address.

The fork may read the catalogue and ask cooperatives (through `settings.LOGISTICS_PICKUP_LOOKUP`);
logistics itself only ever sees the plain `Address` and `Parcel` this module builds.
"""

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.cache import cache as django_cache
from django.utils.module_loading import import_string
from oscar.apps.catalogue.models import ProductAttributeValue
from oscar.apps.partner.models import Partner

from logistics.couriers import Address, Parcel

#: The product attribute holding a unit's weight with its packaging (catalog/product_classes.py).
WEIGHT_ATTRIBUTE = "weight_grams"


@dataclass(frozen=True)
class CooperativeParcel:
    """What one cooperative sends for this basket."""

    partner_id: int
    name: str
    origin: Address | None  # None: the cooperative has no usable pickup commune (table rate)
    weight_grams: int
    value: Decimal

    @property
    def parcel(self) -> Parcel:
        return Parcel(weight_grams=self.weight_grams, value=self.value)


@cache
def _pickup_lookup(path: str):
    return import_string(path)


def pickup_address(partner) -> Address | None:
    return _pickup_lookup(settings.LOGISTICS_PICKUP_LOOKUP)(partner)


def destination(shipping_address) -> Address | None:
    """The shopper's address in the canonical form, from the checkout session's unit codes."""
    if shipping_address is None:
        return None
    codes = getattr(shipping_address, "unit_codes", None) or {}
    if not codes.get("province_code") or not codes.get("commune_code"):
        return None
    phone = shipping_address.phone_number
    return Address(
        name=shipping_address.first_name or "",
        phone=phone.as_e164 if hasattr(phone, "as_e164") else str(phone or ""),
        province_code=codes["province_code"],
        commune_code=codes["commune_code"],
        street=shipping_address.line1 or "",
        province_name=shipping_address.state or "",
        commune_name=shipping_address.line4 or "",
    )


def _shipped_lines(basket):
    return [line for line in basket.all_lines() if line.product.is_shipping_required]


def _signature(basket, lines) -> str:
    parts = sorted(
        f"{line.stockrecord.partner_id}:{line.product_id}:{line.quantity}:"
        f"{line.line_price_incl_tax_incl_discounts}"
        for line in lines
    )
    raw = f"{basket.pk}|{'|'.join(parts)}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def _unit_weights(lines) -> dict[int, int]:
    """Grams per unit by product id; a variant without its own weight takes its parent's."""
    ids = {line.product_id for line in lines} | {
        line.product.parent_id for line in lines if line.product.parent_id
    }
    found = {}
    for product_id, grams, fraction in ProductAttributeValue.objects.filter(
        attribute__code=WEIGHT_ATTRIBUTE, product_id__in=ids
    ).values_list("product_id", "value_integer", "value_float"):
        value = grams if grams is not None else fraction
        if value is not None and value > 0:
            found[product_id] = round(value)
    default = settings.SHIPPING_DEFAULT_WEIGHT_GRAMS
    return {
        line.product_id: found.get(line.product_id) or found.get(line.product.parent_id) or default
        for line in lines
    }


def _build(lines) -> list[CooperativeParcel]:
    weights = _unit_weights(lines)
    grouped: dict[int, list] = {}
    for line in lines:
        grouped.setdefault(line.stockrecord.partner_id, []).append(line)
    parcels = []
    for partner_id, partner_lines in grouped.items():
        # Only the key is loaded: the lookup reads the cooperative by it, and any other field
        # it (or the name fallback below) reads is loaded on access, as with `.only("pk")`.
        partner = Partner.from_db(None, ["id"], (partner_id,))
        origin = pickup_address(partner)
        parcels.append(
            CooperativeParcel(
                partner_id=partner_id,
                name=origin.name if origin and origin.name else partner.name,
                origin=origin,
                weight_grams=sum(
                    weights[line.product_id] * line.quantity for line in partner_lines
                ),
                value=sum(
                    (line.line_price_incl_tax_incl_discounts for line in partner_lines), Decimal(0)
                ),
            )
        )
    return parcels


def basket_parcels(basket) -> list[CooperativeParcel]:
    """One parcel per cooperative with goods to ship, in the order their lines were added.

    Kept in the cache under the basket's contents, so the steps of one checkout read the catalogue
    and the pickup addresses once; any change to the basket makes a new key.
    """
    lines = _shipped_lines(basket)
    if not lines:
        return []
    key = "shipping-parcels:" + _signature(basket, lines)
    memo = basket.__dict__.setdefault("_ocop_parcels", {})
    if key not in memo:
        parcels = django_cache.get(key)
        if parcels is None:
            parcels = _build(lines)
            django_cache.set(key, parcels, settings.SHIPPING_QUOTE_CACHE_SECONDS)
        memo[key] = parcels
    return memo[key]
