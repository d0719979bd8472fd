import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    name = "shop.apps.search"

    def ready(self):
        super().ready()
        from . import receivers  # noqa: F401
