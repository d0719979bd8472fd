"""Couriers chosen by `settings.COURIERS`, like Django's `STORAGES`: code -> BACKEND + OPTIONS.

The order of the setting is the order checkout offers their services in.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

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


class _Options(dict):
    def __hash__(self):
        return hash(tuple(sorted((k, repr(v)) for k, v in self.items())))


@cache
def _load(config: tuple) -> dict[str, Courier]:
    return {code: import_string(backend)(code=code, **options) for code, backend, options in config}


def _config() -> tuple:
    return tuple(
        (code, entry["BACKEND"], _Options(entry.get("OPTIONS", {})))
        for code, entry in settings.COURIERS.items()
    )


def all_couriers() -> list[Courier]:
    return list(_load(_config()).values())


def get(code) -> Courier | None:
    return _load(_config()).get(code) if isinstance(code, str) else None
