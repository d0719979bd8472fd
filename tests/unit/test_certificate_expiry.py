"""The daily certificate run: notices 90 and 30 days ahead exactly once, expiry, idempotence;
and the month arithmetic behind "valid for 36 months"."""

import datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from catalog.models import OcopCertificate, add_months
from catalog.tasks import expire_certificates
from shop.celery import app as celery_app
from tests import factories

D = datetime.date


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2024, 2, 29), 36, D(2027, 2, 28)),  # no 29 February in 2027
        (D(2024, 2, 29), 48, D(2028, 2, 29)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 8, 31), 1, D(2023, 9, 30)),
        (D(2023, 12, 15), 1, D(2024, 1, 15)),
        (D(2023, 11, 30), 3, D(2024, 2, 29)),
        (D(2025, 7, 1), 36, D(2028, 7, 1)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 1, 15), -1, D(2023, 12, 15)),
        (D(2024, 5, 10), 0, D(2024, 5, 10)),
    ],
)
def test_add_months(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.django_db
def test_valid_until_defaults_to_36_months_after_signing():
    partner = factories.cooperative()
    certificate = factories.certificate(partner, signed_on=D(2024, 2, 29))
    assert certificate.valid_until == D(2027, 2, 28)


@pytest.fixture
def partner(db):
    partner = factories.cooperative("HTX rượu men lá Thanh Tâm", "01933")
    factories.owner(partner, email="thanhtam@htx.test")
    return partner


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the daily task on a given day, with its after-commit e-mails sent."""

    def run_on(day):
        with django_capture_on_commit_callbacks(execute=True):
            return expire_certificates(today=day.isoformat())

    return run_on


def ending_on(partner, day, **kwargs):
    return factories.certificate(
        partner, signed_on=add_months(day, -36), valid_until=day, stars=4, **kwargs
    )


def test_notices_90_and_30_days_ahead_exactly_once_then_expiry(partner, run):
    end = timezone.localdate() + datetime.timedelta(days=200)
    certificate = ending_on(partner, end, number="55/QĐ-UBND")

    def sent_on(days_before):
        mail.outbox.clear()
        run(end - datetime.timedelta(days=days_before))
        certificate.refresh_from_db()
        return [message.to for message in mail.outbox]

    assert sent_on(120) == []
    assert sent_on(91) == []
    assert sent_on(90) == [["thanhtam@htx.test"]]
    assert certificate.last_expiry_notice == 90
    assert "55/QĐ-UBND" in mail.outbox[0].subject
    assert mail.outbox[0].alternatives[0][1] == "text/html"
    assert sent_on(90) == []  # twice the same day
    assert sent_on(89) == []
    assert sent_on(31) == []
    assert sent_on(30) == [["thanhtam@htx.test"]]
    assert certificate.last_expiry_notice == 30
    assert sent_on(30) == []
    assert sent_on(1) == []
    assert sent_on(0) == []  # its last day: still in force
    assert certificate.status == "verified"
    assert sent_on(-1) == [["thanhtam@htx.test"]]  # the day after: expired
    assert certificate.status == "expired"
    assert certificate.last_expiry_notice == 0
    assert "55/QĐ-UBND" in mail.outbox[0].subject
    assert sent_on(-1) == []
    assert sent_on(-30) == []


def test_expired_certificates_leave_the_badge_and_are_e_mailed_once(partner, run):
    today = timezone.localdate()
    ended = ending_on(partner, today - datetime.timedelta(days=3))
    current = ending_on(partner, today + datetime.timedelta(days=500))

    done = run(today)

    assert done == {"expired": 1, "notice_90": 0, "notice_30": 0}
    ended.refresh_from_db()
    current.refresh_from_db()
    assert ended.status == OcopCertificate.Status.EXPIRED
    assert current.status == OcopCertificate.Status.VERIFIED
    assert set(OcopCertificate.objects.in_force()) == {current}
    assert len(mail.outbox) == 1
    assert run(today) == {"expired": 0, "notice_90": 0, "notice_30": 0}
    assert len(mail.outbox) == 1


def test_a_late_verification_gets_only_the_nearest_notice(partner, run):
    today = timezone.localdate()
    certificate = ending_on(partner, today + datetime.timedelta(days=20))
    assert run(today) == {"expired": 0, "notice_90": 0, "notice_30": 1}
    assert len(mail.outbox) == 1
    certificate.refresh_from_db()
    assert certificate.last_expiry_notice == 30
    run(today + datetime.timedelta(days=1))
    assert len(mail.outbox) == 1


def test_a_missed_day_still_sends_the_notice(partner, run):
    today = timezone.localdate()
    ending_on(partner, today + datetime.timedelta(days=85))  # the 90-day run did not happen
    assert run(today)["notice_90"] == 1
    assert len(mail.outbox) == 1


def test_only_verified_certificates_are_followed(partner, run):
    today = timezone.localdate()
    for status in ("submitted", "rejected"):
        factories.certificate(
            partner,
            stars=None,
            status=status,
            signed_on=add_months(today, -36),
            valid_until=today - datetime.timedelta(days=1),
        )
        factories.certificate(
            partner,
            stars=None,
            status=status,
            valid_until=today + datetime.timedelta(days=30),
        )
    assert run(today) == {"expired": 0, "notice_90": 0, "notice_30": 0}
    assert mail.outbox == []
    assert not OcopCertificate.objects.filter(status="expired").exists()


def test_without_an_owner_the_cooperative_address_is_used(db, run):
    partner = factories.cooperative()
    partner.cooperative.email = "htx@example.vn"
    partner.cooperative.save()
    today = timezone.localdate()
    ending_on(partner, today + datetime.timedelta(days=30))
    run(today)
    assert [message.to for message in mail.outbox] == [["htx@example.vn"]]


def test_without_any_address_nothing_is_sent_and_nothing_breaks(db, run):
    partner = factories.cooperative()
    today = timezone.localdate()
    certificate = ending_on(partner, today + datetime.timedelta(days=30))
    assert run(today)["notice_30"] == 1
    assert mail.outbox == []
    certificate.refresh_from_db()
    assert certificate.last_expiry_notice == 30


def test_the_notice_names_the_certificate_its_products_and_the_dashboard(partner, run):
    today = timezone.localdate()
    wine = factories.product("Rượu men lá Bằng Phúc", 120_000, 10, partner)
    certificate = ending_on(partner, today + datetime.timedelta(days=30))
    certificate.products.set([wine])
    run(today)
    message = mail.outbox[0]
    assert "Rượu men lá Bằng Phúc" in message.body
    assert "/shop/dashboard/" in message.body
    assert certificate.decision_number in message.subject
    assert certificate.valid_until.strftime("%d/%m/%Y") in message.body


def test_management_command_runs_the_task(partner):
    today = timezone.localdate()
    ending_on(partner, today - datetime.timedelta(days=1))
    out = StringIO()
    call_command("expire_certificates", stdout=out)
    assert "Expired: 1" in out.getvalue()
    out = StringIO()
    call_command("expire_certificates", "--today", today.isoformat(), stdout=out)
    assert "Expired: 0" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("expire_certificates", "--today", "31/12/2026")


def test_the_task_runs_daily_from_celery_beat():
    entries = [
        entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == "catalog.tasks.expire_certificates"
    ]
    assert len(entries) == 1
    schedule = entries[0]["schedule"]
    # Once a day: one hour, one minute.
    assert len(schedule.hour) == 1 and len(schedule.minute) == 1
    assert "catalog.tasks.expire_certificates" in celery_app.tasks
