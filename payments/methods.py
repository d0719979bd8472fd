"""The ways a shopper can pay, as offered at checkout.

Only cash on delivery exists so far: the order is confirmed at once and nothing is collected
until the courier hands the parcel over.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from oscar.apps.payment.models import Source, SourceType


@dataclass(frozen=True)
class PaymentMethod:
    code: str
    name: str | Promise
    description: str | Promise
    initial_order_status: str

    def source_for(self, total) -> Source:
        """The unsaved payment source to attach to the order once it is placed."""
        with translation.override(settings.LANGUAGE_CODE):
            name = str(self.name)  # stored for staff screens; shoppers see `label_for`
        source_type, _created = SourceType.objects.get_or_create(
            code=self.code, defaults={"name": name}
        )
        return Source(source_type=source_type, currency=total.currency, amount_allocated=0)


CASH_ON_DELIVERY = PaymentMethod(
    code="cod",
    name=_("Cash on delivery (COD)"),
    description=_("Pay the courier in cash when your parcel arrives."),
    initial_order_status="confirmed",
)

_METHODS = {method.code: method for method in (CASH_ON_DELIVERY,)}


def enabled() -> list[PaymentMethod]:
    return list(_METHODS.values())


def get(code) -> PaymentMethod | None:
    return _METHODS.get(code) if isinstance(code, str) else None


def label_for(source_type) -> str:
    """The name of an order's payment method in the reader's language."""
    method = get(source_type.code)
    return str(method.name) if method else source_type.name
