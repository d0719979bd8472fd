from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    name = "shop.cms"
    label = "cms"
    verbose_name = _("Content pages")

    def ready(self):
        from . import navigation, policies  # noqa: F401  (connect the cache invalidation)
