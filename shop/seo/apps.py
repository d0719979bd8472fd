from django.apps import AppConfig


class SeoConfig(AppConfig):
    name = "shop.seo"
    label = "seo"
    verbose_name = "SEO"

    def ready(self):
        from . import receivers  # noqa: F401
