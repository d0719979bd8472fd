"""`make run` has no Celery beat: `manage.py run_schedule` runs the beat schedule in-process."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from payments.models import Payment
from tests.payments import gateways_config, pending_order

pytestmark = pytest.mark.django_db


def test_run_schedule_once_runs_the_periodic_tasks(settings):
    settings.PAYMENT_GATEWAYS = gateways_config()
    settings.CELERY_BEAT_SCHEDULE = {
        "expire-unpaid-orders": {"task": "payments.tasks.expire_unpaid_orders", "schedule": 60.0}
    }
    payment = pending_order()
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    call_command("run_schedule", "--once")

    payment.refresh_from_db()
    assert payment.status == Payment.EXPIRED
    assert payment.order.status == "cancelled"


def test_a_failing_task_does_not_stop_the_others(settings, caplog):
    settings.PAYMENT_GATEWAYS = gateways_config()
    settings.CELERY_BEAT_SCHEDULE = {
        "broken": {"task": "shop.no_such_task", "schedule": 60.0},
        "expire-unpaid-orders": {"task": "payments.tasks.expire_unpaid_orders", "schedule": 60.0},
    }
    payment = pending_order()
    Payment.objects.filter(pk=payment.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    call_command("run_schedule", "--once")

    payment.refresh_from_db()
    assert payment.status == Payment.EXPIRED
    assert "broken" in caplog.text
