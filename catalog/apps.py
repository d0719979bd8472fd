from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("OCOP catalogue")

    def ready(self):
        from oscar.apps.analytics import receivers as analytics
        from oscar.apps.catalogue.signals import product_viewed
        from oscar.apps.customer import receivers as history

        from . import receivers  # noqa: F401

        # Oscar counts every product view with a database write; under load on SQLite that
        # turns product pages into "database is locked" errors. Product pages stay read-only.
        product_viewed.disconnect(analytics.receive_product_view)
        # Nor do they keep a "recently viewed" cookie (OSCAR_RECENTLY_VIEWED_PRODUCTS = 0):
        # a page that sets a cookie cannot be shared through the page cache (shop/pagecache).
        product_viewed.disconnect(history.receive_product_view)
