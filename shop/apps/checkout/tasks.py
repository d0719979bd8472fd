import logging
from smtplib import SMTPException
from urllib.parse import urljoin

from celery import shared_task
from django.conf import settings
from django.utils import translation
from oscar.apps.order.models import Order
from oscar.apps.order.utils import OrderDispatcher

logger = logging.getLogger("oscar.checkout")


@shared_task(autoretry_for=(OSError, SMTPException), retry_backoff=True, max_retries=6)
def send_order_confirmation(
    order_id: int, status_path: str, language: str, payment_path: str = ""
) -> None:
    """E-mail the shopper the order number, its lines and totals, and a link to follow it;
    an order still awaiting its money also gets the link to its payment page."""
    order = Order.objects.select_related("shipping_address", "user").get(pk=order_id)
    context = {
        "order": order,
        "lines": order.lines.select_related("product"),
        "status_url": urljoin(settings.SITE_URL, status_path),
        "payment_url": urljoin(settings.SITE_URL, payment_path) if payment_path else "",
        "site_url": settings.SITE_URL,
    }
    with translation.override(language or settings.LANGUAGE_CODE):
        OrderDispatcher(logger=logger).send_order_placed_email_for_user(order, context)
