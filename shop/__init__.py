"""Chợ OCOP: the Django project (settings, URLs, Celery app, users, CMS, thin Oscar forks)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
