import logging
from smtplib import SMTPException

from celery import shared_task

from payments import services
from payments.emails import send_payment_email_now

logger = logging.getLogger("payments")


@shared_task(autoretry_for=(OSError, SMTPException), retry_backoff=True, max_retries=6)
def send_payment_email(payment_id: int, kind: str, amount: str = "") -> None:
    """Tell the shopper their payment arrived, failed, expired or was refunded."""
    send_payment_email_now(payment_id, kind, amount)


@shared_task
def expire_unpaid_orders() -> int:
    count = services.expire_overdue()
    if count:
        logger.info("Expired %d unpaid orders", count)
    return count
