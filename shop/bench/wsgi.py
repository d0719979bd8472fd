"""The WSGI application `make bench` serves: Django's, plus an `X-Bench-Queries` header.

The load tool reads the header to report SQL queries per request from the production server
itself (gunicorn, production settings), so the count is the one shoppers' requests really cost.
Works for whichever DJANGO_SETTINGS_MODULE is set: our shop or the stock Oscar baseline.
"""

import os
from contextlib import ExitStack

from django.core.wsgi import get_wsgi_application
from django.db import connections

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings.production")

HEADER = "X-Bench-Queries"
django_application = get_wsgi_application()


# Transaction control, not queries: SQLite shows its BEGIN IMMEDIATE and savepoints here,
# PostgreSQL's driver begins transactions unseen; leaving them out counts both alike.
TRANSACTION_CONTROL = ("BEGIN", "SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


class QueryCounter:
    """A `connection.execute_wrapper` that counts the SQL queries the request runs."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        if not sql.lstrip().upper().startswith(TRANSACTION_CONTROL):
            self.count += 1
        return execute(sql, params, many, context)


def application(environ, start_response):
    counter = QueryCounter()

    def start_response_with_count(status, headers, exc_info=None):
        # Django calls this once the response is built: every query of the request has run.
        return start_response(status, [*headers, (HEADER, str(counter.count))], exc_info)

    with ExitStack() as wrappers:
        for connection in connections.all():
            wrappers.enter_context(connection.execute_wrapper(counter))
        return django_application(environ, start_response_with_count)
