"""In the embedded default, tasks a request queues run after its response is sent.

Without Redis, Celery runs tasks eagerly, in the web process. A shopper placing an order would
then wait for the confirmation e-mail and the courier booking before seeing the thank-you page.
`AfterResponseTask` (every task's base class, shop/celery.py) keeps the tasks a request queues
and runs them once Django has finished the response (`request_finished`, sent when the server
closes it), in the same process, in the order they were queued. With a broker, tasks go to the
worker as usual; outside a request (commands, the schedule), eager tasks run at once.
"""

import threading

from celery import Task
from django.core.signals import request_finished, request_started

_local = threading.local()


def _collecting() -> bool:
    return getattr(_local, "pending", None) is not None


def _start(**kwargs):
    _finish()  # what a previous request left, should its response never have been closed
    _local.pending = []


def _finish(**kwargs):
    pending, _local.pending = getattr(_local, "pending", None), None
    for run in pending or ():
        run()


request_started.connect(_start, dispatch_uid="after-response-start")
request_finished.connect(_finish, dispatch_uid="after-response-finish")


class AfterResponseTask(Task):
    def apply_async(self, args=None, kwargs=None, **options):
        if self.app.conf.task_always_eager and _collecting():
            _local.pending.append(
                lambda: super(AfterResponseTask, self).apply_async(args, kwargs, **options)
            )
            return None
        return super().apply_async(args, kwargs, **options)
