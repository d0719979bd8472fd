from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "shop.pagecache"
    label = "pagecache"
    verbose_name = "Page cache"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers

        receivers.connect()
