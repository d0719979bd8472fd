"""Celery app. Without REDIS_URL tasks run eagerly in-process (the embedded default)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.dev")

# Eager tasks queued by a request wait until its response is sent (shop/after_response.py).
app = Celery("shop", task_cls="shop.after_response:AfterResponseTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
