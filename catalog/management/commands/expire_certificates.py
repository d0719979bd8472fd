import datetime

from django.core.management.base import BaseCommand, CommandError

from catalog.tasks import expire_certificates


class Command(BaseCommand):
    help = (
        "Expire ended OCOP certificates and e-mail owners 90 and 30 days before the end "
        "(what Celery beat runs daily; safe to run again)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            help="Run as if today were this day (YYYY-MM-DD), e.g. to try the notices.",
        )

    def handle(self, *args, today=None, **options):
        if today:
            try:
                datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError("--today must be a date like 2026-12-31.") from exc
        # Run in this process, whatever the broker: the command is for an operator at a shell.
        done = expire_certificates.apply(kwargs={"today": today}).get()
        self.stdout.write(
            self.style.SUCCESS(
                f"Expired: {done['expired']}; 90-day notices: {done['notice_90']}; "
                f"30-day notices: {done['notice_30']}."
            )
        )
