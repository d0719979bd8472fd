from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "cooperatives"
    verbose_name = _("Cooperatives")

    def ready(self):
        from .roles import install_after_migrate

        # Once per migrate run: the signal is sent for every app, with this one as sender here.
        post_migrate.connect(install_after_migrate, sender=self)
