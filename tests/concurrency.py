"""Running work in parallel threads, each on its own database connection, for the tests that
prove row locks and unique indexes on PostgreSQL (SQLite serialises writers: it proves nothing)."""

import os
import threading

import pytest
from django.db import connection

ONLY_ON_POSTGRES = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def at_once(jobs):
    """Run the callables in parallel threads released together; returns their results."""
    start = threading.Barrier(len(jobs))
    results = [None] * len(jobs)
    errors = []

    def run(index, job):
        try:
            start.wait(timeout=30)
            results[index] = job()
        except Exception as error:  # surfaced below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return results
