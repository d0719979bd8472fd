"""Eager tasks queued while a request is answered run after its response, not before."""

from shop import after_response
from shop.celery import app

ran = []


@app.task(name="tests.record")
def record(value):
    ran.append(value)


def test_a_request_s_tasks_wait_for_its_response_then_run_in_order():
    ran.clear()
    after_response._start()
    record.delay("e-mail")
    record.delay("courier")
    assert ran == []  # the shopper's page is not held up
    after_response._finish()
    assert ran == ["e-mail", "courier"]
    record.delay("after")
    assert ran == ["e-mail", "courier", "after"]


def test_outside_a_request_eager_tasks_run_at_once():
    ran.clear()
    record.delay("schedule")
    assert ran == ["schedule"]
