"""The daily certificate run: expire what has ended, warn owners of what is about to.

`expire_certificates` runs every morning from Celery beat (`CELERY_BEAT_SCHEDULE`) and by hand
with `manage.py expire_certificates`. For every verified certificate it:

- moves it to `expired` the day after `valid_until`, and e-mails the owner that its badge is off;
- e-mails the owner 90 and then 30 days before `valid_until`, once each.

`last_expiry_notice` remembers the last notice sent (90, 30, or 0 for "expired"); each step is a
conditional UPDATE, so running the task twice (or two workers at once) sends nothing twice. A
certificate verified with fewer than 30 days left gets the 30-day notice only.

The badge itself never waits for this task: `in_force()` compares dates, so a certificate stops
showing stars the day after it ends even if the run is late.
"""

import datetime
import logging
from smtplib import SMTPException
from urllib.parse import urljoin

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from shop.mail import send_templated
from shop.pagecache import versions as page_versions

from .models import EXPIRY_NOTICE_DAYS, OcopCertificate

logger = logging.getLogger(__name__)

EXPIRED = 0  # the `last_expiry_notice` of a certificate whose "expired" e-mail is sent


@shared_task
def expire_certificates(today: str | None = None) -> dict:
    """Expire ended certificates and queue the owners' notices; return what was done."""
    day = datetime.date.fromisoformat(today) if today else timezone.localdate()
    done = {"expired": 0, **{f"notice_{days}": 0 for days in EXPIRY_NOTICE_DAYS}}
    verified = OcopCertificate.objects.filter(status=OcopCertificate.Status.VERIFIED)

    for pk in verified.filter(valid_until__lt=day).values_list("pk", flat=True):
        with transaction.atomic():
            changed = OcopCertificate.objects.filter(
                pk=pk, status=OcopCertificate.Status.VERIFIED, valid_until__lt=day
            ).update(status=OcopCertificate.Status.EXPIRED, last_expiry_notice=EXPIRED)
            if changed:
                done["expired"] += 1
                _queue_notice(pk, EXPIRED)
                page_versions.bump()  # the stars leave the product pages

    # Nearest threshold first: a certificate 20 days from its end gets the 30-day notice only.
    for days in sorted(EXPIRY_NOTICE_DAYS):
        due = verified.filter(
            valid_until__gte=day, valid_until__lte=day + datetime.timedelta(days=days)
        ).filter(Q(last_expiry_notice__isnull=True) | Q(last_expiry_notice__gt=days))
        for pk in due.values_list("pk", flat=True):
            with transaction.atomic():
                changed = (
                    OcopCertificate.objects.filter(pk=pk, status=OcopCertificate.Status.VERIFIED)
                    .filter(Q(last_expiry_notice__isnull=True) | Q(last_expiry_notice__gt=days))
                    .update(last_expiry_notice=days)
                )
                if changed:
                    done[f"notice_{days}"] += 1
                    _queue_notice(pk, days)
    if any(done.values()):
        logger.info("Certificates on %s: %s", day.isoformat(), done)
    return done


def _queue_notice(pk: int, days: int) -> None:
    transaction.on_commit(lambda: send_expiry_notice.delay(pk, days))


@shared_task(autoretry_for=(OSError, SMTPException), retry_backoff=True, max_retries=6)
def send_expiry_notice(certificate_id: int, days: int) -> None:
    """E-mail the cooperative's owner (or the cooperative) about a certificate's end."""
    item = (
        OcopCertificate.objects.select_related("cooperative__owner")
        .prefetch_related("products")
        .get(pk=certificate_id)
    )
    cooperative = item.cooperative
    recipient = (cooperative.owner.email if cooperative.owner else "") or cooperative.email
    if not recipient:
        logger.warning("No e-mail address for cooperative %s: notice not sent.", cooperative.pk)
        return
    context = {
        "certificate": item,
        "cooperative": cooperative,
        "products": list(item.products.all()),
        "expired": days == EXPIRED,
        "days_left": max(0, (item.valid_until - timezone.localdate()).days),
        "dashboard_url": _dashboard_url(),
    }
    prefix = "expired" if days == EXPIRED else "expiring"
    send_templated(f"catalog/email/certificate_{prefix}", context, [recipient])


def _dashboard_url() -> str:
    try:
        return urljoin(settings.SITE_URL, reverse("dashboard:index"))
    except NoReverseMatch:  # pragma: no cover (the dashboard is always installed)
        return settings.SITE_URL


@shared_task
def publish_scheduled_pages() -> None:
    """Put campaigns (and any scheduled page) online at their start and take them off at their
    end: Wagtail's `publish_scheduled`, every minute from Celery beat."""
    from django.core.management import call_command

    call_command("publish_scheduled")
