"""Shipping methods: one per enabled courier service, priced parcel by parcel.

The shopper picks one service for the whole order; each cooperative's parcel is quoted with it
(logistics.quotes), and the order's delivery fee is the sum. Amounts are always computed here on
the server: a form only ever names a method code.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping.methods import (  # noqa: F401 (Oscar loads these names from here)
    Base,
    Free,
    NoShippingRequired,
    TaxExclusiveOfferDiscount,
    TaxInclusiveOfferDiscount,
)
from oscar.core import prices

from logistics import quotes

from .parcels import CooperativeParcel, basket_parcels


@dataclass(frozen=True)
class ParcelCharge:
    """One line of the breakdown: a cooperative's parcel and what sending it costs."""

    parcel: CooperativeParcel
    fee: quotes.Fee

    @property
    def name(self) -> str:
        return self.parcel.name

    @property
    def amount(self) -> Decimal:
        return self.fee.amount

    @property
    def is_estimate(self) -> bool:
        return self.fee.source == quotes.TABLE


class CourierService(Base):
    """A courier's service (e.g. GHN "Hàng nhẹ"), applied to every cooperative's parcel."""

    is_tax_known = True

    def __init__(self, courier, service, destination):
        self.courier = courier
        self.service = service
        self.destination = destination
        self.code = f"{courier.code}.{service.code}"
        self.name = f"{courier.name} – {service.name}"
        self.description = _("One parcel from each cooperative, each priced by the courier.")

    def charges(self, basket) -> list[ParcelCharge]:
        """The breakdown, worked out once per basket and request."""
        memo = basket.__dict__.setdefault("_ocop_charges", {})
        parcels = basket_parcels(basket)
        key = (self.code, self.destination, id(parcels))
        if key not in memo:
            memo[key] = [
                ParcelCharge(
                    parcel,
                    quotes.fee(
                        self.courier,
                        self.service.code,
                        parcel.origin,
                        self.destination,
                        parcel.parcel,
                    ),
                )
                for parcel in parcels
            ]
        return memo[key]

    def calculate(self, basket):
        total = sum((charge.amount for charge in self.charges(basket)), Decimal(0))
        return prices.Price(currency=basket.currency, excl_tax=total, incl_tax=total)


class QuotedAtCheckout(Free):
    """The basket page's stand-in: without an address there is no quote yet (shown as "—")."""

    code = "quoted-at-checkout"
    name = _("Delivery")
    is_placeholder = True


def unwrap(method):
    """The courier service behind an offer's discount wrapper, if any."""
    return getattr(method, "method", method)


def record_charges(order, method, basket) -> list:
    """Write what each cooperative's parcel was charged (quote or table rate) with the order."""
    from logistics.models import ShippingCharge

    service = unwrap(method)
    if not isinstance(service, CourierService):
        return []
    return ShippingCharge.objects.bulk_create(
        ShippingCharge(
            order=order,
            partner_id=charge.parcel.partner_id,
            courier=charge.fee.courier,
            service=charge.fee.service,
            fee=charge.fee.amount,
            source=charge.fee.source,
            weight_grams=charge.fee.weight_grams,
        )
        for charge in service.charges(basket)
    )
