"""The content version that cached pages and site chrome belong to (see the package docstring).

`current()` is the committed number from the database (read once per request) plus, for the
thread that is changing content, a count of its own changes not yet committed: that thread reads
its own writes at once, every other process once the change commits.
"""

import threading
import time
from contextlib import contextmanager

from django.db import transaction
from django.db.models import F

from .models import ContentVersion

ROW = 1
_local = threading.local()
_table_seen = False


def _fresh_number() -> int:
    # Milliseconds: a new database never reuses the numbers of an older one whose pages may
    # still sit in a shared (Redis) cache.
    return int(time.time() * 1000)


@contextmanager
def request_scope():
    """Read the committed number at most once while a request is answered."""
    _local.in_request, _local.number = True, None
    try:
        yield
    finally:
        _local.in_request, _local.number = False, None


def _committed() -> int:
    number = getattr(_local, "number", None)
    if number is not None:
        return number
    number = ContentVersion.objects.filter(pk=ROW).values_list("number", flat=True).first()
    if number is None:
        number = ContentVersion.objects.get_or_create(pk=ROW, defaults={"number": _fresh_number()})[
            0
        ].number
    if getattr(_local, "in_request", False):
        _local.number = number
    return number


def current() -> str:
    """The version caches file their entries under: one query per request."""
    return f"{_committed()}.{getattr(_local, 'pending', 0)}"


def key(name: str) -> str:
    """A cache key that a change to any public content retires."""
    return f"{name}@{current()}"


def _table_exists(connection) -> bool:
    """False while migrations build the database (their saves come before this table)."""
    global _table_seen
    if not _table_seen:
        _table_seen = ContentVersion._meta.db_table in connection.introspection.table_names()
    return _table_seen


def bump() -> None:
    """Move the version on once the current transaction commits (at once outside one)."""
    connection = transaction.get_connection()
    if not _table_exists(connection):
        return
    _local.pending = getattr(_local, "pending", 0) + 1
    if connection.in_atomic_block:
        # One bump per transaction, however many rows it saves. A rolled-back transaction
        # drops its callbacks, and with them this one.
        if not any(entry[1] is _bump_now for entry in connection.run_on_commit):
            transaction.on_commit(_bump_now)
        return
    _bump_now()


def _bump_now() -> None:
    updated = ContentVersion.objects.filter(pk=ROW).update(number=F("number") + 1)
    if not updated:
        ContentVersion.objects.get_or_create(pk=ROW, defaults={"number": _fresh_number()})
    _local.number, _local.pending = None, 0
