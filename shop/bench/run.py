"""`make bench`: build the benchmark catalogue, serve it like production, load it, judge it.

For SQLite (always) and PostgreSQL (when DATABASE_URL is set; a fresh `<name>_bench` database,
dropped at the end), it builds the catalogue of shop/bench/spec.py, starts gunicorn the way
docker-compose.yml does and runs each scenario with locust at 8 concurrent shoppers, then does
the same for a stock django-oscar shop on the same products. It prints a table and PASS/FAIL per
goal of issue 7, writes everything as JSON and exits non-zero when a goal fails. Everything it
starts (gunicorn, locust, temp dirs, the bench database) is stopped on every path.

    python -m shop.bench.run [--rounds 3] [--seconds 10] [--products 2000] [--quick]
                             [--skip-stock] [--skip-lighthouse] [--json PATH]
"""

import argparse
import contextlib
import http.client
import importlib.util
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
PORTS = range(8810, 8820)
USERS = 8
WORKERS = 2
PAGES = ("home", "catalogue", "category", "product", "search")
SCENARIOS = (*PAGES, "basket", "checkout")
SMALL_CATALOGUE = 10
NO_CACHE_COOKIE = "sessionid=bench-no-cache"

# The goals of issue 7.
MIN_RPS = {"catalogue": 300, "category": 300, "product": 300, "search": 100}
MAX_CHECKOUT_QUERIES = 80
MIN_SPEEDUP = 2.0
# The pages the issue compares: stock Oscar's home page is only a redirect to its catalogue, so
# its ratio is reported but not judged.
SPEEDUP_PAGES = ("catalogue", "category", "product", "search")
MAX_FIRST_VISIT_KB = 300
MIN_LIGHTHOUSE = {"performance": 90, "accessibility": 95, "seo": 95}
LIGHTHOUSE_PAGES = ("home", "category", "product")

OURS = "shop.settings.production"
STOCK = "shop.bench.stock_oscar.settings"


class StepFailed(Exception):
    """A step of the benchmark could not run; the goals that need it FAIL with this reason."""


class Interrupted(BaseException):
    """SIGTERM: unwind like Ctrl-C so that everything started gets stopped."""


# --- Pure helpers: numbers and goals ------------------------------------------------------------


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def mean(values):
    values = list(values)
    return sum(values) / len(values) if values else None


def percentile(histogram: dict, fraction: float) -> float | None:
    """Nearest-rank percentile of locust's response-time histogram {ms: occurrences}."""
    total = sum(histogram.values())
    seen = 0
    for value in sorted(histogram, key=float):
        seen += histogram[value]
        if seen >= fraction * total:
            return float(value)
    return None


def summarize_round(entries: list[dict], observed: dict, scenario: str) -> dict:
    """One locust run: its --json-file entries and what the locustfile's hook observed
    (`X-Bench-Queries` per request name and per checkout flow, the requests' time window)."""
    requests = sum(e["num_requests"] for e in entries)
    if not requests:
        raise StepFailed("locust made no request")
    histogram = {}
    for entry in entries:
        for value, count in entry["response_times"].items():
            histogram[value] = histogram.get(value, 0) + count
    first, last = observed.get("window") or (0, 0)
    seconds = last - first
    counted = list((observed.get("requests") or {}).values())
    summary = {
        "requests": requests,
        "rps": requests / seconds if seconds > 0 else None,
        "p50_ms": percentile(histogram, 0.5),
        "p99_ms": percentile(histogram, 0.99),
        "errors": sum(e["num_failures"] for e in entries),
        "queries_per_request": (
            sum(s for s, _ in counted) / sum(n for _, n in counted)
            if sum(n for _, n in counted)
            else None
        ),
    }
    if scenario == "checkout":
        # Orders are the flows that went through; queries are counted per whole flow.
        flows = observed.get("flows") or []
        summary["orders_per_s"] = len(flows) / seconds if seconds > 0 else None
        summary["queries_per_request"] = mean(flows)
    return summary


def combine_rounds(rounds: list[dict]) -> dict:
    """Medians of the rounds (machines are noisy); errors are counted over all of them."""
    combined = {
        key: median(r.get(key) for r in rounds)
        for key in ("rps", "orders_per_s", "p50_ms", "p99_ms", "queries_per_request")
        if any(key in r for r in rounds)
    }
    combined["errors"] = sum(r["errors"] for r in rounds)
    combined["requests"] = sum(r["requests"] for r in rounds)
    combined["rounds"] = rounds
    return combined


def goal(name: str, ok: bool | None, detail: str = "") -> dict:
    """ok None means the goal was skipped on purpose (an option), not failed."""
    return {
        "goal": name,
        "status": "SKIP" if ok is None else "PASS" if ok else "FAIL",
        "detail": detail,
    }


def evaluate_goals(results: dict) -> list[dict]:
    """PASS/FAIL per goal of issue 7 from the results; a missing measurement FAILs with why."""
    goals = []
    runs = results.get("runs", [])
    ours = [run for run in runs if run["shop"] == "ours"]
    for run in ours:
        db, scenarios = run["database"], run.get("scenarios", {})

        def missing(scenario, run=run):
            why = run.get("scenario_errors", {}).get(scenario) or run.get("error")
            return f"{scenario} not measured: {why or 'not run'}".splitlines()[0]

        problems = [f"{k}: {v['errors']} errors" for k, v in scenarios.items() if v.get("errors")]
        problems += [missing(name) for name in SCENARIOS if name not in scenarios]
        goals.append(goal(f"0 errors in every scenario ({db})", not problems, "; ".join(problems)))
        checkout = scenarios.get("checkout", {}).get("queries_per_request")
        goals.append(
            goal(
                f"guest checkout ≤ {MAX_CHECKOUT_QUERIES} queries ({db})",
                checkout is not None and checkout <= MAX_CHECKOUT_QUERIES,
                f"{checkout:.0f} queries" if checkout is not None else missing("checkout"),
            )
        )
        for name, floor in MIN_RPS.items():
            rps = scenarios.get(name, {}).get("rps")
            goals.append(
                goal(
                    f"{name} ≥ {floor} req/s ({db})",
                    rps is not None and rps >= floor,
                    f"{rps:.0f} req/s" if rps is not None else missing(name),
                )
            )
    rendered = results.get("rendered_queries")
    if rendered is not None:
        small, large = rendered.get("small") or {}, rendered.get("large") or {}
        for page in PAGES:
            a, b = small.get(page), large.get(page)
            measured = a is not None and b is not None
            goals.append(
                goal(
                    f"{page}: same queries, {SMALL_CATALOGUE} or {rendered['products']} products",
                    measured and a == b,
                    f"{a} vs {b}" if measured else rendered.get("error", "not measured"),
                )
            )
    goals += speedup_goals(results)
    goals += lighthouse_goals(results.get("lighthouse"))
    if "left_running" in results:
        left = results["left_running"]
        goals.append(goal("nothing left running", not left, ", ".join(map(str, left))))
    return goals


def speedup_goals(results: dict) -> list[dict]:
    runs = results.get("runs", [])
    stock = next((r for r in runs if r["shop"] == "stock"), None)
    ours = next((r for r in runs if r["shop"] == "ours" and r["database"] == "sqlite"), None)
    goals = []
    for page in SPEEDUP_PAGES:
        name = f"{page}: ours ≥ {MIN_SPEEDUP:g}× stock Oscar (sqlite)"
        if results.get("options", {}).get("skip_stock"):
            goals.append(goal(name, None, "--skip-stock"))
            continue
        ratio = speedup(ours, stock, page)
        why = (stock or {}).get("error") or (ours or {}).get("error") or "not measured"
        goals.append(
            goal(
                name, ratio is not None and ratio >= MIN_SPEEDUP, f"{ratio:.1f}×" if ratio else why
            )
        )
    return goals


def speedups(results: dict) -> dict:
    """Ours / stock Oscar per scenario on SQLite (checkout: orders/s), where both were measured."""
    runs = results.get("runs", [])
    stock = next((r for r in runs if r["shop"] == "stock"), None)
    ours = next((r for r in runs if r["shop"] == "ours" and r["database"] == "sqlite"), None)
    ratios = {scenario: speedup(ours, stock, scenario) for scenario in SCENARIOS}
    return {scenario: round(ratio, 2) for scenario, ratio in ratios.items() if ratio is not None}


def speedup(ours: dict | None, stock: dict | None, scenario: str) -> float | None:
    key = "orders_per_s" if scenario == "checkout" else "rps"
    a = ((ours or {}).get("scenarios", {}).get(scenario) or {}).get(key)
    b = ((stock or {}).get("scenarios", {}).get(scenario) or {}).get(key)
    return a / b if a is not None and b else None


def lighthouse_goals(lighthouse: dict | None) -> list[dict]:
    if lighthouse is None:
        return []
    if lighthouse.get("skipped"):
        return [goal("first-visit weight and Lighthouse scores", None, "--skip-lighthouse")]
    goals = []
    for page in LIGHTHOUSE_PAGES:
        report = lighthouse.get(page) if not lighthouse.get("error") else lighthouse
        report = report or {"error": "not audited"}
        why = report.get("error", "")
        kb = report.get("transfer_kb")
        goals.append(
            goal(
                f"{page}: first visit ≤ {MAX_FIRST_VISIT_KB} KB",
                kb is not None and kb <= MAX_FIRST_VISIT_KB,
                f"{kb:.0f} KB" if kb is not None else why,
            )
        )
        scores = {k: report.get(k) for k in MIN_LIGHTHOUSE}
        low = [f"{k} {v}" for k, v in scores.items() if v is None or v < MIN_LIGHTHOUSE[k]]
        goals.append(
            goal(
                f"{page}: Lighthouse performance ≥ 90, accessibility ≥ 95, SEO ≥ 95",
                not why and not low,
                why or ", ".join(f"{k} {v}" for k, v in scores.items()),
            )
        )
        blocking = report.get("render_blocking_third_party")
        modern = report.get("modern_images")
        goals.append(
            goal(
                f"{page}: modern images, no render-blocking third-party request",
                not why and blocking == 0 and modern is True,
                why or f"render-blocking third party: {blocking}, modern images: {modern}",
            )
        )
    return goals


def format_table(results: dict) -> str:
    """Markdown: one row per scenario and measured shop/database."""
    lines = [
        "| Scenario | Shop | DB | req/s | orders/s | p50 ms | p99 ms | errors | queries/req "
        "| MB/worker |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scenario in SCENARIOS:
        for run in results.get("runs", []):
            s = run.get("scenarios", {}).get(scenario)
            if not s:
                continue
            lines.append(
                f"| {scenario} | {run['shop']} | {run['database']} | {_n(s.get('rps'))} | "
                f"{_n(s.get('orders_per_s'), 1)} | {_n(s.get('p50_ms'))} | {_n(s.get('p99_ms'))} | "
                f"{s['errors']} | {_n(s.get('queries_per_request'), 1)} | "
                f"{_n(s.get('peak_mb_per_worker'))} |"
            )
    return "\n".join(lines)


def _n(value, digits=0):
    return "–" if value is None else f"{value:.{digits}f}"


# --- Processes ----------------------------------------------------------------------------------


class Processes:
    """Every process the bench starts, each in its own process group so it can be stopped whole."""

    def __init__(self):
        self.started: list[subprocess.Popen] = []

    def start(self, args, env, log_path) -> subprocess.Popen:
        with open(log_path, "ab") as log:
            process = subprocess.Popen(  # noqa: S603 (our own commands, no shell)
                [str(a) for a in args],
                cwd=REPO,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(process)
        return process

    def run(self, args, env, log_path, timeout=1800):
        """Run a command to its end; StepFailed with the end of its log when it fails."""
        process = self.start(args, env, log_path)
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop(process)
            raise StepFailed(f"{Path(str(args[1])).name} {args[2]}: timed out") from None
        if code:
            raise StepFailed(f"{' '.join(map(str, args[1:3]))} failed:\n{tail(log_path)}")

    def stop(self, process, timeout=15):
        """SIGTERM to the whole group (gunicorn's workers too), SIGKILL if it lingers."""
        deadline = time.monotonic() + timeout
        for sig in (signal.SIGTERM, signal.SIGKILL):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, sig)
            while time.monotonic() < deadline:
                process.poll()  # reaps the leader, so that it does not count as alive
                if not group_alive(process.pid):
                    return
                time.sleep(0.1)
            deadline = time.monotonic() + 5
        process.wait(timeout=5)

    def stop_all(self):
        for process in reversed(self.started):
            self.stop(process)

    def left_running(self) -> list[int]:
        return [pid for p in self.started for pid in group_members(p.pid)]


def group_members(pgid: int) -> list[int]:
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            stat = _stat(entry.name)
            if stat and stat[4] == str(pgid) and stat[2] != "Z":
                members.append(int(entry.name))
    return members


def group_alive(pgid: int) -> bool:
    return bool(group_members(pgid))


def _stat(pid) -> list[str] | None:
    """/proc/<pid>/stat split after the command name: [pid, comm, state, ppid, pgrp, ...]."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    head, _, rest = text.rpartition(")")
    return [head.split(" (")[0], head.split(" (", 1)[-1], *rest.split()]


def children(pid: int) -> list[int]:
    return [
        int(entry.name)
        for entry in Path("/proc").iterdir()
        if entry.name.isdigit() and (_stat(entry.name) or [None] * 4)[3] == str(pid)
    ]


def peak_memory_mb(pids) -> float | None:
    """The largest VmHWM (peak resident memory) of these processes, in MB."""
    peaks = []
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        except OSError:
            continue
    return max(peaks) if peaks else None


def tail(path, lines=25) -> str:
    try:
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def free_port() -> int:
    for port in PORTS:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise StepFailed(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


def get(base_url: str, path: str, cookie: str | None = None, timeout=30):
    """One GET without following redirects: (status, X-Bench-Queries or None)."""
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = conn.getresponse()
        response.read()
        value = response.getheader("X-Bench-Queries")
        return response.status, int(value) if value and value.isdigit() else None
    finally:
        conn.close()


# --- The benchmark ------------------------------------------------------------------------------


class Bench:
    def __init__(self, options):
        self.options = options
        self.processes = Processes()
        self.work = Path(tempfile.mkdtemp(prefix="ocop-bench-"))
        self.pg_databases: list[tuple[str, str]] = []  # (admin url, name) to drop
        self.collected: set[str] = set()  # STATIC_ROOTs filled by collectstatic
        self.celery: dict[int, subprocess.Popen] = {}  # gunicorn pid -> its Celery worker
        self.redis_env: dict | None = None
        self.results = {
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "options": vars(options) | {"json": str(options.json)},
            "machine": {"cpus": os.cpu_count(), "workers": WORKERS, "users": USERS},
            "runs": [],
        }

    def log(self, message):
        print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)

    # Environment and data

    def env(self, settings: str, database_url: str, name: str) -> dict:
        """The production server's environment of the contract, and nothing of the caller's DB."""
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        media = self.work / name / "media"
        media.mkdir(parents=True, exist_ok=True)
        env |= {
            "DJANGO_SETTINGS_MODULE": settings,
            "SECRET_KEY": "bench-only-secret-key-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "VIETQR_ACCOUNT_NUMBER": "0011004455667",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_COOKIES": "false",
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(media),
            "STATIC_ROOT": str(self.work / ("static-" + settings.rsplit(".", 2)[-2])),
            "PYTHONPATH": str(REPO),
            "PYTHONUNBUFFERED": "1",
        }
        if os.environ.get("REDIS_URL"):
            env["REDIS_URL"] = os.environ["REDIS_URL"]
        return env

    def manage(self, env, *args, log):
        self.processes.run([BIN / "python", "manage.py", *args], env, log)

    def sqlite_url(self, name: str) -> str:
        return f"sqlite:///{self.work / name / 'db.sqlite3'}"

    def collectstatic(self, env, log):
        if env["STATIC_ROOT"] not in self.collected:
            self.log("collectstatic")
            self.manage(env, "collectstatic", "--noinput", log=log)
            self.collected.add(env["STATIC_ROOT"])

    def build_ours(self, name: str, database_url: str, products: int) -> tuple[dict, Path]:
        env = self.env(OURS, database_url, name)
        log = self.work / name / "build.log"
        manifest = self.work / name / "manifest.json"
        self.log(f"{name}: migrate")
        template = self.work / "migrated.sqlite3"
        if database_url.startswith("sqlite") and template.exists():
            shutil.copy(template, self.work / name / "db.sqlite3")
        else:
            self.manage(env, "migrate", "--noinput", log=log)
            if database_url.startswith("sqlite"):
                shutil.copy(self.work / name / "db.sqlite3", template)
        self.log(f"{name}: make_bench_catalogue --products {products}")
        self.manage(
            env, "make_bench_catalogue", "--products", products, "--manifest", manifest, log=log
        )
        self.collectstatic(env, log)
        return env, manifest

    def build_stock(self, name: str, products: int) -> tuple[dict, Path]:
        if importlib.util.find_spec("shop.bench.stock_oscar.load") is None:
            raise StepFailed("shop.bench.stock_oscar.load is missing")
        env = self.env(STOCK, self.sqlite_url(name), name)
        log = self.work / name / "build.log"
        manifest = self.work / name / "manifest.json"
        self.log(f"{name}: stock_oscar.load --products {products}")
        self.processes.run(
            [BIN / "python", "-m", "shop.bench.stock_oscar.load", "--products", products,
             "--manifest", manifest],
            env, log,
        )  # fmt: skip
        self.collectstatic(env, log)
        return env, manifest

    def clear_cache(self, env, log):
        """With Redis, pages cached by an earlier run (another database) must not be served:
        delete the keys of the shop's caches (by their KEY_PREFIX), nothing else in Redis."""
        if not env.get("REDIS_URL"):
            return
        code = (
            "import redis\nfrom django.conf import settings\n"
            "for cache in settings.CACHES.values():\n"
            "    prefix = cache.get('KEY_PREFIX')\n"
            "    if 'redis' in cache['BACKEND'].lower() and prefix:\n"
            "        client = redis.Redis.from_url(cache['LOCATION'])\n"
            "        for key in client.scan_iter(match=f'{prefix}:*'):\n"
            "            client.delete(key)\n"
        )
        self.manage(env, "shell", "-c", code, log=log)

    # Servers and load

    def serve(self, env, name: str):
        """Start gunicorn like docker-compose.yml (2 workers, production settings) and wait."""
        self.clear_cache(env, self.work / name / "build.log")
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        log = self.work / name / "gunicorn.log"
        process = self.processes.start(
            [BIN / "gunicorn", "shop.bench.wsgi:application", "--workers", WORKERS,
             "--bind", f"127.0.0.1:{port}",
             "--access-logfile", self.work / name / "access.log", "--error-logfile", log],
            env, log,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise StepFailed(f"gunicorn exited with {process.returncode}:\n{tail(log)}")
            try:
                status, _ = get(url, "/", timeout=30)
                if status < 500:
                    self.start_celery(env, name, process)
                    return process, url
                raise StepFailed(f"/ answered {status}:\n{tail(log)}")
            except OSError:
                time.sleep(0.3)
        self.processes.stop(process)
        raise StepFailed(f"gunicorn did not answer within 120 s:\n{tail(log)}")

    @contextmanager
    def served(self, env, name: str):
        """The server of `serve`, stopped (with its Celery worker) however the block ends."""
        server, url = self.serve(env, name)
        try:
            yield server, url
        finally:
            self.stop_server(server)

    def start_celery(self, env, name, server):
        """With Redis, tasks (e-mails of the orders placed) go to a Celery worker beside the
        server, as in docker-compose.yml; without it they run in the request (the default)."""
        if not env.get("REDIS_URL") or env["DJANGO_SETTINGS_MODULE"] != OURS:
            return
        self.redis_env = env
        self.celery[server.pid] = self.processes.start(
            [BIN / "celery", "-A", "shop", "worker", "-l", "warning", "--concurrency", "1"],
            env, self.work / name / "celery.log",
        )  # fmt: skip

    def stop_server(self, server):
        self.processes.stop(server)
        if server.pid in self.celery:
            self.processes.stop(self.celery.pop(server.pid))

    def clean_redis(self):
        """Leave the caller's Redis as found: no cache keys, no queued task of the bench."""
        log = self.work / "redis.log"
        try:
            self.clear_cache(self.redis_env, log)
            self.processes.run([BIN / "celery", "-A", "shop", "purge", "-f"], self.redis_env, log)
        except StepFailed as error:
            self.log(f"could not clean Redis: {error}")

    def locust(self, env, url, manifest, scenario, seconds, tag) -> dict:
        prefix = self.work / "locust" / tag
        prefix.parent.mkdir(exist_ok=True)
        queries_path = Path(f"{prefix}-queries.json")
        locust_env = env | {
            "BENCH_SCENARIO": scenario,
            "BENCH_MANIFEST": str(manifest),
            "BENCH_QUERIES_OUT": str(queries_path),
        }
        process = self.processes.start(
            [BIN / "locust", "-f", REPO / "shop/bench/locustfile.py", "--headless",
             "-u", USERS, "-r", USERS, "-t", f"{seconds}s", "--host", url, "--json-file", prefix,
             "--only-summary", "--loglevel", "WARNING", "--stop-timeout", "10"],
            locust_env, f"{prefix}.log",
        )  # fmt: skip
        try:
            process.wait(timeout=seconds + 90)
        except subprocess.TimeoutExpired:
            self.processes.stop(process)
            raise StepFailed(f"locust {scenario} did not finish") from None
        stats = Path(f"{prefix}.json")
        if not stats.exists() or not queries_path.exists():
            raise StepFailed(f"locust {scenario} wrote no statistics:\n{tail(f'{prefix}.log')}")
        observed = json.loads(queries_path.read_text())
        summary = summarize_round(json.loads(stats.read_text()), observed, scenario)
        if observed.get("failures"):
            summary["failures"] = observed["failures"]
        return summary

    def warm_up(self, env, url, manifest, scenario, tag):
        """Fill the caches; a warm-up that did not get going (a slow start) is not a result."""
        try:
            self.locust(env, url, manifest, scenario, self.options.warmup, tag)
        except StepFailed as error:
            self.log(f"{tag}: {error}")

    def measure(self, run: dict, env, url, manifest, server):
        opts = self.options
        for scenario in SCENARIOS:
            tag = f"{run['shop']}-{run['database']}-{scenario}"
            try:
                self.log(f"{tag}: warm-up {opts.warmup} s, {opts.rounds} × {opts.seconds} s")
                self.warm_up(env, url, manifest, scenario, f"{tag}-warmup")
                rounds = [
                    self.locust(env, url, manifest, scenario, opts.seconds, f"{tag}-{i}")
                    for i in range(1, opts.rounds + 1)
                ]
            except StepFailed as error:
                run.setdefault("scenario_errors", {})[scenario] = str(error)
                self.log(f"{tag}: {error}")
                continue
            result = combine_rounds(rounds)
            result["peak_mb_per_worker"] = peak_memory_mb(children(server.pid))
            run["scenarios"][scenario] = result
            self.log(
                f"{tag}: {_n(result['rps'])} req/s, p50 {_n(result['p50_ms'])} ms, "
                f"p99 {_n(result['p99_ms'])} ms, {result['errors']} errors, "
                f"{_n(result.get('queries_per_request'), 1)} queries"
            )

    def rendered_queries(self, url, manifest_path) -> dict:
        """Queries of each page rendered for a shopper with a session (the page cache bypassed),
        the least of a few tries so that both workers are warm."""
        pages = json.loads(Path(manifest_path).read_text())["pages"]
        counts = {}
        for page in PAGES:
            seen = []
            for _ in range(4):
                status, queries = get(url, pages[page], NO_CACHE_COOKIE)
                if status >= 400 or queries is None:
                    raise StepFailed(f"{page} ({pages[page]}) answered {status}")
                seen.append(queries)
            counts[page] = min(seen)
        return counts

    # The runs

    def run_ours(self, database: str, database_url: str):
        name = f"ours-{database}"
        run = {
            "shop": "ours",
            "database": database,
            "products": self.options.products,
            "scenarios": {},
        }
        self.results["runs"].append(run)
        try:
            env, manifest = self.build_ours(name, database_url, self.options.products)
            with self.served(env, name) as (server, url):
                if database == "sqlite":
                    # Before the load, as on the small catalogue: the same history on both.
                    self.results["rendered_queries"]["large"] = self.rendered_queries(url, manifest)
                self.measure(run, env, url, manifest, server)
                if database == "sqlite":
                    self.lighthouse(url, manifest)
        except StepFailed as error:
            run["error"] = str(error)
            self.log(f"{name}: {error}")

    def run_small(self):
        """The 10-product catalogue: the rendered query counts must equal the large one's."""
        name = "ours-small"
        try:
            env, manifest = self.build_ours(name, self.sqlite_url(name), SMALL_CATALOGUE)
            with self.served(env, name) as (_server, url):
                self.results["rendered_queries"]["small"] = self.rendered_queries(url, manifest)
        except StepFailed as error:
            self.results["rendered_queries"]["error"] = str(error)
            self.log(f"{name}: {error}")

    def run_stock(self):
        name = "stock-sqlite"
        run = {
            "shop": "stock",
            "database": "sqlite",
            "products": self.options.products,
            "scenarios": {},
        }
        self.results["runs"].append(run)
        try:
            env, manifest = self.build_stock(name, self.options.products)
            with self.served(env, name) as (server, url):
                self.measure(run, env, url, manifest, server)
        except StepFailed as error:
            run["error"] = str(error)
            self.log(f"{name}: {error}")

    def lighthouse(self, url, manifest_path):
        if self.options.skip_lighthouse:
            return
        pages = json.loads(Path(manifest_path).read_text())["pages"]
        self.log("lighthouse: " + ", ".join(LIGHTHOUSE_PAGES))
        try:
            from shop.bench import lighthouse

            report = lighthouse.audit(
                url, {page: pages[page] for page in LIGHTHOUSE_PAGES}, REPO / "bench-lighthouse"
            )
        except Exception as error:  # noqa: BLE001 (another helper's piece: report, don't crash)
            report = {"error": f"shop.bench.lighthouse failed: {error!r}"}
        self.results["lighthouse"] = report

    def postgres(self) -> str | None:
        """A fresh `<name>_bench` database beside the caller's one, which is never touched."""
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
            return None
        import psycopg
        from psycopg import sql

        parts = urlsplit(url)
        name = parts.path.lstrip("/") + "_bench"
        admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
        self.pg_databases.append((admin, name))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return urlunsplit(parts._replace(path="/" + name))

    def drop_postgres(self):
        import psycopg
        from psycopg import sql

        for admin, name in self.pg_databases:
            try:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                            sql.Identifier(name)
                        )
                    )
            except psycopg.Error as error:
                self.log(f"could not drop {name}: {error}")

    def run(self) -> dict:
        options = self.options
        self.results["rendered_queries"] = {"products": options.products}
        if options.skip_lighthouse:
            self.results["lighthouse"] = {"skipped": True}
        else:
            self.results["lighthouse"] = {"error": "our SQLite server did not run"}
        self.run_ours("sqlite", self.sqlite_url("ours-sqlite"))
        self.run_small()
        try:
            pg_url = self.postgres()
        except Exception as error:  # noqa: BLE001 (report the PostgreSQL run as failed)
            self.results["runs"].append(
                {"shop": "ours", "database": "postgresql", "scenarios": {}, "error": repr(error)}
            )
            pg_url = None
        if pg_url:
            self.run_ours("postgresql", pg_url)
        if not options.skip_stock:
            self.run_stock()
        return self.results

    def cleanup(self):
        self.processes.stop_all()
        if self.redis_env:
            self.clean_redis()
        if self.pg_databases:
            self.drop_postgres()
        shutil.rmtree(self.work, ignore_errors=True)
        self.results["left_running"] = self.processes.left_running()


def parse_args(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m shop.bench.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--rounds", type=int, help="measured rounds per scenario (3; --quick 1)")
    parser.add_argument("--seconds", type=int, help="length of a round (10; --quick 3)")
    parser.add_argument("--products", type=int, help="catalogue size (2000; --quick 200)")
    parser.add_argument("--quick", action="store_true", help="a short run to check that it works")
    parser.add_argument("--skip-stock", action="store_true", help="no stock Oscar baseline")
    parser.add_argument("--skip-lighthouse", action="store_true", help="no Lighthouse audit")
    parser.add_argument(
        "--json", type=Path, default=REPO / "bench-results.json", help="results file"
    )
    options = parser.parse_args(argv)
    quick = options.quick
    options.rounds = options.rounds or (1 if quick else 3)
    options.seconds = options.seconds or (3 if quick else 10)
    options.products = options.products or (200 if quick else 2000)
    options.warmup = 1 if quick else 3
    return options


def main(argv=None) -> int:
    options = parse_args(argv)
    bench = Bench(options)

    def terminate(signum, frame):
        raise Interrupted

    signal.signal(signal.SIGTERM, terminate)
    started = time.monotonic()
    interrupted = False
    try:
        bench.run()
    except (KeyboardInterrupt, Interrupted):
        interrupted = True
        bench.log("interrupted: stopping everything")
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        bench.cleanup()
    results = bench.results
    results["seconds"] = round(time.monotonic() - started)
    results["interrupted"] = interrupted
    results["goals"] = evaluate_goals(results)
    options.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print()
    print(format_table(results))
    results["ours_vs_stock"] = speedups(results)
    if results["ours_vs_stock"]:
        ratios = results["ours_vs_stock"].items()
        print("\nOurs / stock Oscar (SQLite): " + ", ".join(f"{k} {v:.1f}×" for k, v in ratios))
    print()
    for g in results["goals"]:
        print(f"{g['status']:4}  {g['goal']}" + (f"  ({g['detail']})" if g["detail"] else ""))
    print(f"\nResults: {options.json} ({results['seconds']} s)")
    failed = interrupted or any(g["status"] == "FAIL" for g in results["goals"])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
