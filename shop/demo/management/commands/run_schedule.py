"""Run the periodic tasks of CELERY_BEAT_SCHEDULE in this process, for the embedded default.

Without Redis there is no Celery worker or beat: `make run` starts this beside the development
server so that unpaid orders still expire and sandbox parcels still move along.
"""

import logging
import time

from celery.schedules import schedule as celery_schedule
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger("shop.schedule")


class Command(BaseCommand):
    help = "Run the Celery beat schedule in-process (embedded default only)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run every task once and stop")
        parser.add_argument("--tick", type=float, default=10.0, help="seconds between checks")

    def handle(self, *args, once=False, tick=10.0, **options):
        entries = {
            name: (entry["task"], self._schedule(entry["schedule"]))
            for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
        }
        last_run = dict.fromkeys(entries, None)
        while True:
            for name, (task, schedule) in entries.items():
                due = last_run[name] is None or schedule.is_due(last_run[name]).is_due
                if once or due:
                    last_run[name] = timezone.now()
                    self._run(name, task)
            if once:
                return
            time.sleep(tick)

    @staticmethod
    def _schedule(value):
        return value if hasattr(value, "is_due") else celery_schedule(run_every=value)

    @staticmethod
    def _run(name: str, task: str) -> None:
        try:
            import_string(task).apply(throw=True)
        except Exception:
            logger.exception("Scheduled task %s failed", name)
