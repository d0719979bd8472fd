from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo data for trying the shop (`make run`) and for benchmarks."""

    name = "shop.demo"
    label = "demo"
