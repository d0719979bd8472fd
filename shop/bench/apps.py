from django.apps import AppConfig


class BenchConfig(AppConfig):
    """`make bench`: its management command loads the benchmark catalogue."""

    name = "shop.bench"
    label = "bench"
