"""Couriers chosen by `settings.COURIERS`, like Django's `STORAGES`: code -> BACKEND + OPTIONS.

The order of the setting is the order checkout offers their services in.
"""

from django.conf import settings

from shop.registry import backends

from .base import (
    Address,
    Booking,
    BookingRequest,
    Courier,
    CourierError,
    Item,
    Label,
    Parcel,
    Quote,
    Service,
    TrackingUpdate,
    WebhookAuthError,
    WebhookPayloadError,
)

__all__ = [
    "Address",
    "Booking",
    "BookingRequest",
    "Courier",
    "CourierError",
    "Item",
    "Label",
    "Parcel",
    "Quote",
    "Service",
    "TrackingUpdate",
    "WebhookAuthError",
    "WebhookPayloadError",
    "all_couriers",
    "get",
]


def _couriers() -> dict[str, Courier]:
    return backends(settings.COURIERS)


def all_couriers() -> list[Courier]:
    return list(_couriers().values())


def get(code) -> Courier | None:
    return _couriers().get(code) if isinstance(code, str) else None
