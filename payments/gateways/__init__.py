"""Payment gateways chosen by `settings.PAYMENT_GATEWAYS`, like Django's `STORAGES`.

Each entry names a class implementing `PaymentGateway` and its options; the order of the
setting is the order checkout offers them in.
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Availability, CheckoutFacts, PaymentEvent, PaymentGateway, RefundResult

__all__ = [
    "Availability",
    "CheckoutFacts",
    "PaymentEvent",
    "PaymentGateway",
    "RefundResult",
    "all_gateways",
    "for_webhook",
    "get",
]


@cache
def _load(config_items: tuple) -> dict[str, PaymentGateway]:
    gateways = {}
    for code, backend, options in config_items:
        gateways[code] = import_string(backend)(code=code, **options)
    return gateways


def _config() -> tuple:
    return tuple(
        (code, entry["BACKEND"], _frozen(entry.get("OPTIONS", {})))
        for code, entry in settings.PAYMENT_GATEWAYS.items()
    )


class _frozen(dict):
    """Options as a hashable dict, so the loaded gateways are cached per configuration."""

    def __hash__(self):
        return hash(tuple(sorted(self.items())))


def all_gateways() -> list[PaymentGateway]:
    return list(_load(_config()).values())


def get(code) -> PaymentGateway | None:
    return _load(_config()).get(code) if isinstance(code, str) else None


def for_webhook(source: str) -> PaymentGateway | None:
    """The gateway that receives webhooks from `source` ("sepay", "casso", "stripe")."""
    for gateway in all_gateways():
        if source in gateway.webhook_sources:
            return gateway
    return None
