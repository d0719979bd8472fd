"""Lighthouse audits of the shop's pages for `make bench` (issue 7: weight and quality goals).

Runs the pinned Lighthouse CLI (shop/bench/lighthouse/package.json, installed with `npm ci` on
first use) in Debian's Chromium, mobile form factor with Lighthouse's default (simulated)
throttling, and boils each JSON report down to the numbers the goals are about.
"""

import json
import os
import shutil
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlsplit

PACKAGE_DIR = Path(__file__).resolve().parent / "lighthouse"
CLI = PACKAGE_DIR / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME_PATH = "/usr/bin/chromium"
# The machines that run the bench have no outside network: Chromium must not try to reach
# Google's services, which would only add noise (or timeouts) to the measurements.
CHROME_FLAGS = (
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
    "--disable-background-networking --disable-component-update --disable-sync"
)
CATEGORIES = ("performance", "accessibility", "seo")
# Byte-efficiency audits that stay silent (not applicable) when there is nothing to improve.
IMAGE_AUDITS = ("modern-image-formats", "uses-responsive-images")
RENDER_BLOCKING_AUDITS = ("render-blocking-resources", "render-blocking-insight")


def audit(base_url: str, pages: dict[str, str], out_dir) -> dict:
    """Audit each page (name → path or URL) and summarise its report, or say why it can't."""
    node = shutil.which("node")
    if not node:
        return {"error": "Node.js is not installed (lighthouse needs `node` on PATH)"}
    if not os.access(CHROME_PATH, os.X_OK):
        return {"error": f"Chromium is not installed at {CHROME_PATH}"}
    problem = _install()
    if problem:
        return {"error": problem}
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    urls = {name: urljoin(base_url, path) for name, path in pages.items()}
    _warm_up(urls.values())
    results = {}
    for name, url in urls.items():
        results[name] = _audit_page(node, name, url, base_url, out_dir)
        if "error" in results[name]:
            # Lighthouse itself asks for a second try after a failed trace (NO_NAVSTART).
            results[name] = _audit_page(node, name, url, base_url, out_dir)
    return results


def _audit_page(node: str, name: str, url: str, base_url: str, out_dir: Path) -> dict:
    report_path = out_dir / f"lighthouse-{name}.json"
    run = subprocess.run(  # noqa: S603 (our own CLI, arguments from the bench)
        [
            node,
            str(CLI),
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report_path}",
            f"--only-categories={','.join(CATEGORIES)}",
            "--form-factor=mobile",
            f"--chrome-flags={CHROME_FLAGS}",
        ],
        env={**os.environ, "CHROME_PATH": CHROME_PATH},
        capture_output=True,
        text=True,
        timeout=300,
    )
    if run.returncode != 0 or not report_path.is_file():
        return {"error": f"lighthouse failed on {url}: {run.stderr.strip()[-500:]}"}
    report = json.loads(report_path.read_text(encoding="utf-8"))
    return {**summarise(report, base_url), "report": str(report_path)}


def summarise(report: dict, base_url: str) -> dict:
    """The goal numbers of one Lighthouse JSON report."""
    if report.get("runtimeError"):
        return {"error": report["runtimeError"].get("message", "lighthouse runtime error")}
    audits = report["audits"]
    scores = {}
    for category in CATEGORIES:
        score = report["categories"][category]["score"]
        scores[category] = None if score is None else round(score * 100)
    weight = audits["total-byte-weight"].get("numericValue") or 0
    return {
        **scores,
        "transfer_kb": round(weight / 1024, 1),
        "render_blocking_third_party": len(_third_party_blocking(audits, base_url)),
        "modern_images": all(_passes(audits.get(audit_id)) for audit_id in IMAGE_AUDITS),
    }


def _third_party_blocking(audits: dict, base_url: str) -> set[str]:
    """URLs from other origins that held up the first paint."""
    origin = urlsplit(base_url)[:2]
    urls = set()
    for audit_id in RENDER_BLOCKING_AUDITS:
        details = (audits.get(audit_id) or {}).get("details") or {}
        for item in details.get("items") or []:
            url = item.get("url") if isinstance(item, dict) else None
            if url and urlsplit(url)[:2] != origin:
                urls.add(url)
    return urls


def _passes(result: dict | None) -> bool:
    """True when the audit found nothing to save (Lighthouse says "not applicable" then too)."""
    if not result:
        return False
    if result.get("scoreDisplayMode") == "notApplicable":
        return True
    return result.get("score") is not None and result["score"] >= 0.9


def _warm_up(urls) -> None:
    """Load each page once so that a worker's first request (imports, templates) is not what
    the audit measures: a shopper's first visit meets a server that is already running. Twice,
    for the two workers of the bench server."""
    for url in list(urls) * 2:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 (bench URL)
                response.read()
        except OSError:
            pass  # the audit itself reports a page that does not answer


def _install() -> str:
    """`npm ci` the pinned Lighthouse once; an error message when that fails."""
    if CLI.is_file():
        return ""
    npm = shutil.which("npm")
    if not npm:
        return "npm is not installed (needed once to install lighthouse)"
    run = subprocess.run(  # noqa: S603 (npm from PATH, fixed arguments)
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=PACKAGE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if run.returncode != 0 or not CLI.is_file():
        return f"npm ci failed in {PACKAGE_DIR}: {run.stderr.strip()[-500:]}"
    return ""
