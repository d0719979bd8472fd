"""Cash on delivery: the order is confirmed at once and paid when the courier collects."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.templatetags.currency_filters import currency

from .base import Availability, CheckoutFacts


class CashOnDelivery:
    name = _("Cash on delivery (COD)")
    description = _("Pay the courier in cash when your parcel arrives.")
    pays_before_shipping = False
    webhook_sources: tuple[str, ...] = ()

    def __init__(self, *, code: str, MAX_TOTAL: int = 0):
        self.code = code
        self.max_total = Decimal(MAX_TOTAL)

    def availability(self, facts: CheckoutFacts) -> Availability:
        if facts.has_alcoholic_drinks:
            return Availability(
                False,
                _(
                    "Vietnamese law requires alcoholic drinks bought online to be paid without "
                    "cash, so cash on delivery is not offered for this basket."
                ),
            )
        if self.max_total and facts.total > self.max_total:
            message = _("Cash on delivery is offered for orders up to %(limit)s.")
            return Availability(False, message % {"limit": currency(self.max_total, "VND")})
        return Availability(True)

    def start(self, payment) -> None:
        """Nothing to prepare: the courier collects the cash."""

    def parse_webhook(self, source, headers, body):
        """Never called: no webhook source names this gateway."""
        return []

    def refund(self, payment, amount, key):
        """Cash goes back by hand; staff record it (None = nothing was sent online)."""
        return None
