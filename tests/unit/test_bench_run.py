"""`make bench`'s own arithmetic and its query header: the numbers it prints must be right."""

import os
from wsgiref.util import setup_testing_defaults

import pytest
from django.core import signals
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from shop.bench import run


def entries(failures=0):
    """locust --json-file: one entry per request name, response times as {ms: occurrences}."""
    return [
        {
            "name": "home",
            "num_requests": 60,
            "num_failures": failures,
            "response_times": {"20": 60},
        },
        {"name": "x", "num_requests": 40, "num_failures": 0, "response_times": {"30": 39, "90": 1}},
    ]


def test_percentiles_come_from_the_response_time_histogram():
    histogram = {"10": 50, "20": 45, "300": 5}
    assert run.percentile(histogram, 0.5) == 10
    assert run.percentile(histogram, 0.95) == 20
    assert run.percentile(histogram, 0.99) == 300
    assert run.percentile({}, 0.5) is None


def test_a_page_round_reports_the_mean_queries_per_request():
    observed = {"requests": {"home": [30, 10], "x": [10, 10]}, "flows": [], "window": [100, 102]}
    summary = run.summarize_round(entries(failures=2), observed, "home")
    assert summary == {
        "requests": 100,
        "rps": 50.0,
        "p50_ms": 20.0,
        "p99_ms": 30.0,
        "errors": 2,
        "queries_per_request": 2.0,
    }


def test_a_checkout_round_counts_orders_and_queries_per_whole_flow():
    observed = {"requests": {"checkout:guest": [50, 10]}, "flows": [70, 74, 72, 72]}
    summary = run.summarize_round(entries(), observed | {"window": [10, 12]}, "checkout")
    assert summary["orders_per_s"] == 2.0
    assert summary["queries_per_request"] == 72


def test_a_round_without_requests_fails_the_step():
    with pytest.raises(run.StepFailed):
        run.summarize_round([], {}, "home")


def test_rounds_combine_into_medians_and_total_errors():
    rounds = [
        {"requests": 10, "rps": r, "p50_ms": r, "p99_ms": 1, "errors": e, "queries_per_request": 3}
        for r, e in ((300, 0), (100, 1), (200, 2))
    ]
    combined = run.combine_rounds(rounds)
    assert combined["rps"] == 200
    assert combined["p50_ms"] == 200
    assert combined["errors"] == 3
    assert combined["requests"] == 30
    assert "orders_per_s" not in combined


def scenario(rps=400.0, errors=0, queries=5):
    return {"rps": rps, "errors": errors, "queries_per_request": queries, "orders_per_s": rps}


def results(**changes):
    ours = {name: scenario() for name in run.SCENARIOS}
    ours["checkout"] = scenario(rps=100, queries=72)
    stock = {name: scenario(rps=100) for name in run.SCENARIOS}
    page = {
        "performance": 95,
        "accessibility": 100,
        "seo": 100,
        "transfer_kb": 120.0,
        "render_blocking_third_party": 0,
        "modern_images": True,
    }
    data = {
        "options": {"skip_stock": False},
        "runs": [
            {"shop": "ours", "database": "sqlite", "scenarios": ours},
            {"shop": "stock", "database": "sqlite", "scenarios": stock},
        ],
        "rendered_queries": {
            "products": 2000,
            "small": dict.fromkeys(run.PAGES, 12),
            "large": dict.fromkeys(run.PAGES, 12),
        },
        "lighthouse": dict.fromkeys(run.LIGHTHOUSE_PAGES, page),
        "left_running": [],
    }
    data.update(changes)
    return data


def failed(goals):
    return [g["goal"] for g in goals if g["status"] == "FAIL"]


def test_every_goal_passes_on_good_numbers():
    goals = run.evaluate_goals(results())
    assert failed(goals) == []
    names = [g["goal"] for g in goals]
    assert "0 errors in every scenario (sqlite)" in names
    assert "catalogue ≥ 300 req/s (sqlite)" in names
    assert "search ≥ 100 req/s (sqlite)" in names
    assert "guest checkout ≤ 80 queries (sqlite)" in names
    assert "product: ours ≥ 2× stock Oscar (sqlite)" in names
    assert "nothing left running" in names


def test_slow_pages_errors_growing_queries_and_leftovers_fail():
    data = results(left_running=[1234])
    ours = data["runs"][0]["scenarios"]
    ours["search"] = scenario(rps=90)
    ours["product"] = scenario(rps=150, errors=3)
    ours["checkout"] = scenario(queries=81)
    data["rendered_queries"]["large"]["category"] = 13
    assert failed(run.evaluate_goals(data)) == [
        "0 errors in every scenario (sqlite)",
        "guest checkout ≤ 80 queries (sqlite)",
        "product ≥ 300 req/s (sqlite)",
        "search ≥ 100 req/s (sqlite)",
        "category: same queries, 10 or 2000 products",
        "product: ours ≥ 2× stock Oscar (sqlite)",
        "search: ours ≥ 2× stock Oscar (sqlite)",
        "nothing left running",
    ]


def test_a_missing_piece_fails_with_its_reason_and_an_option_skips():
    data = results(lighthouse={"error": "Chromium is not installed"})
    data["runs"][1] = {"shop": "stock", "database": "sqlite", "scenarios": {}, "error": "no load"}
    goals = run.evaluate_goals(data)
    stock = [g for g in goals if "stock Oscar" in g["goal"]]
    assert {(g["status"], g["detail"]) for g in stock} == {("FAIL", "no load")}
    lighthouse = [g for g in goals if any(w in g["goal"] for w in ("KB", "Lighthouse", "images"))]
    assert len(lighthouse) == 3 * len(run.LIGHTHOUSE_PAGES)
    assert all(g["detail"] == "Chromium is not installed" for g in lighthouse)

    skipped = run.evaluate_goals(
        results(lighthouse={"skipped": True}, options={"skip_stock": True})
    )
    assert failed(skipped) == []
    assert sum(g["status"] == "SKIP" for g in skipped) == len(run.SPEEDUP_PAGES) + 1


def test_ratios_to_stock_oscar_are_given_per_scenario_but_home_is_not_judged():
    data = results()
    data["runs"][0]["scenarios"]["home"] = scenario(rps=100)
    assert run.speedups(data) == dict.fromkeys(run.PAGES, 4.0) | {
        "home": 1.0,
        "basket": 4.0,
        "checkout": 1.0,
    }
    assert failed(run.evaluate_goals(data)) == []


def test_the_table_has_a_row_per_scenario_and_run():
    table = run.format_table(results()).splitlines()
    assert len(table) == 2 + 2 * len(run.SCENARIOS)
    assert table[2].startswith("| home | ours | sqlite | 400 |")


def test_peak_memory_reads_the_high_water_mark_of_live_processes():
    assert run.peak_memory_mb([os.getpid()]) > 10
    assert run.peak_memory_mb([]) is None


def test_quick_runs_are_short_unless_told_otherwise():
    quick = run.parse_args(["--quick"])
    assert (quick.rounds, quick.seconds, quick.products) == (1, 3, 200)
    full = run.parse_args(["--rounds", "5"])
    assert (full.rounds, full.seconds, full.products) == (5, 10, 2000)


@pytest.mark.django_db
def test_the_bench_wsgi_application_reports_the_queries_of_each_request():
    from shop.bench.wsgi import application

    environ = {"PATH_INFO": "/no-such-page/", "REQUEST_METHOD": "GET"}
    setup_testing_defaults(environ)
    started = []
    # As Django's test client does: the test's connection must outlive the request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        with CaptureQueriesContext(connection) as captured:
            body = application(
                environ, lambda status, headers, exc_info=None: started.append(headers)
            )
            b"".join(body)
            body.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    headers = dict(started[0])
    assert len(captured) > 0
    assert headers["X-Bench-Queries"] == str(len(captured))
