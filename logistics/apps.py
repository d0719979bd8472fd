from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LogisticsConfig(AppConfig):
    name = "logistics"
    verbose_name = _("Logistics")

    def ready(self):
        from logistics import (
            notifications,  # noqa: F401 (the shopper's parcel e-mails)
            receivers,  # noqa: F401 (prepaid orders paid -> shipments)
        )
