from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = _("Payments")

    def ready(self):
        from payments import payouts

        # First, so the ledger sees lines "delivered" before a receiver moves the order on.
        payouts.connect_receivers()
        from payments import receivers  # noqa: F401 (connects the signal receivers)
