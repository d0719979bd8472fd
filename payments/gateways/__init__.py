"""Payment gateways chosen by `settings.PAYMENT_GATEWAYS`, like Django's `STORAGES`.

Each entry names a class implementing `PaymentGateway` and its options; the order of the
setting is the order checkout offers them in.
"""

from django.conf import settings

from shop.registry import backends

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


def _gateways() -> dict[str, PaymentGateway]:
    return backends(settings.PAYMENT_GATEWAYS)


def all_gateways() -> list[PaymentGateway]:
    return list(_gateways().values())


def get(code) -> PaymentGateway | None:
    return _gateways().get(code) if isinstance(code, str) else None


def for_webhook(source: str) -> PaymentGateway | None:
    """The gateway that receives webhooks from `source` ("sepay", "casso", "stripe")."""
    for gateway in all_gateways():
        if source in gateway.webhook_sources:
            return gateway
    return None
