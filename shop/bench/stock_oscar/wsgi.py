"""WSGI entry point for the stock Oscar shop when shop.bench.wsgi is not used."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.bench.stock_oscar.settings")

application = get_wsgi_application()
