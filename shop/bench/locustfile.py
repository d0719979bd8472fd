"""Locust scenarios of `make bench` (run by shop/bench/run.py, one scenario per run).

Environment: BENCH_SCENARIO (home, catalogue, category, product, search, basket, checkout),
BENCH_MANIFEST (the catalogue's manifest; its "shop" picks our flows or stock Oscar's) and
BENCH_QUERIES_OUT, where the SQL queries the server reported in `X-Bench-Queries` are written
when the run ends (per request name, and per whole checkout flow), with the time window of the
requests and the failures; locust's --json-file has the counts and response times.
"""

import importlib
import itertools
import json
import os
import random

import gevent
from locust import FastHttpUser, constant, events, task

SCENARIO = os.environ.get("BENCH_SCENARIO", "home")
with open(os.environ["BENCH_MANIFEST"], encoding="utf-8") as manifest_file:
    MANIFEST = json.load(manifest_file)
FLOWS = "shop.bench.flows" if MANIFEST.get("shop") == "ours" else "shop.bench.stock_oscar.flows"
#: Shoppers start a new basket after this many adds, as real ones do.
ADDS_PER_BASKET = 5

queries = {}  # request name -> [sum, count]
flow_queries = []  # per successful checkout: the sum over all its requests
open_flows = {}  # greenlet -> [sum, failed]
window = []  # [first request's start, last request's end]: the time the requests/s are over
failures = {}  # "name: why" -> occurrences


@events.request.add_listener
def count_queries(name, response=None, exception=None, start_time=None, response_time=0, **_):
    if start_time is not None:
        end = start_time + (response_time or 0) / 1000
        window[:] = (
            [min(window[0], start_time), max(window[1], end)] if window else [start_time, end]
        )
    if exception is not None:
        why = str(exception) if str(exception).startswith(name) else f"{name}: {exception}"
        why = why[:300]
        failures[why] = failures.get(why, 0) + 1
    value = response.headers.get("X-Bench-Queries") if response is not None else None
    count = int(value) if value and value.isdigit() else None
    if count is not None:
        total = queries.setdefault(name, [0, 0])
        total[0] += count
        total[1] += 1
    flow = open_flows.get(gevent.getcurrent())
    if flow is not None:
        flow[0] += count or 0
        flow[1] = flow[1] or exception is not None or count is None


@events.quitting.add_listener
def write_queries(**_kwargs):
    path = os.environ.get("BENCH_QUERIES_OUT")
    if path:
        with open(path, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "requests": queries,
                    "flows": flow_queries,
                    "window": window,
                    "failures": failures,
                },
                out,
            )


class Shopper(FastHttpUser):
    """One of the 8 concurrent shoppers: no think time, the server is the bottleneck."""

    wait_time = constant(0)

    def on_start(self):
        self.flows = importlib.import_module(FLOWS) if SCENARIO in ("basket", "checkout") else None
        start = random.randrange(1000)  # noqa: S311 (spreads the shoppers over the pages)
        self.products = itertools.islice(itertools.cycle(MANIFEST["product_urls"]), start, None)
        self.searches = itertools.islice(itertools.cycle(MANIFEST["searches"]), start, None)
        self.adds = 0

    def page(self, url, name):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True) as r:
            if r.status_code >= 400 or r.status_code < 200:
                r.failure(f"{name}: {r.status_code}")
            else:
                r.success()

    @task
    def scenario(self):
        if SCENARIO in ("home", "catalogue", "category"):
            self.page(MANIFEST["pages"][SCENARIO], SCENARIO)
        elif SCENARIO == "product":
            self.page(next(self.products), "product")
        elif SCENARIO == "search":
            self.page(next(self.searches), "search")
        elif SCENARIO == "basket":
            if self.adds % ADDS_PER_BASKET == 0:
                self.client.cookiejar.clear()
            self.adds += 1
            self.flows.basket_add(self.client, MANIFEST)
        elif SCENARIO == "checkout":
            self.checkout()

    def checkout(self):
        flow = open_flows[gevent.getcurrent()] = [0, False]
        try:
            ok = self.flows.guest_checkout(self.client, MANIFEST)
        finally:
            del open_flows[gevent.getcurrent()]
        if ok is not False and not flow[1]:
            flow_queries.append(flow[0])
