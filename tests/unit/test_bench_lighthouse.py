"""`make bench`'s reading of Lighthouse reports: the goal numbers must be the report's."""

from shop.bench import lighthouse

BASE = "http://127.0.0.1:8830"


def report(**audits):
    defaults = {
        "total-byte-weight": {"numericValue": 153_600, "score": 1, "scoreDisplayMode": "numeric"},
        "modern-image-formats": {"score": 1, "scoreDisplayMode": "metricSavings"},
        "uses-responsive-images": {"score": None, "scoreDisplayMode": "notApplicable"},
        "render-blocking-resources": {"details": {"items": []}},
    }
    return {
        "categories": {
            "performance": {"score": 0.93},
            "accessibility": {"score": 0.954},
            "seo": {"score": 1},
        },
        "audits": {**defaults, **audits},
    }


def test_scores_become_percentages_and_bytes_kilobytes():
    assert lighthouse.summarise(report(), BASE) == {
        "performance": 93,
        "accessibility": 95,
        "seo": 100,
        "transfer_kb": 150.0,
        "render_blocking_third_party": 0,
        "modern_images": True,
    }


def test_only_other_origins_count_as_third_party_blocking():
    blocking = {
        "details": {
            "items": [
                {"url": f"{BASE}/static/css/shop.css"},
                {"url": "https://fonts.googleapis.com/css2?family=Inter"},
            ]
        }
    }
    insight = {"details": {"items": [{"url": "https://fonts.googleapis.com/css2?family=Inter"}]}}
    summary = lighthouse.summarise(
        report(**{"render-blocking-resources": blocking, "render-blocking-insight": insight}), BASE
    )
    assert summary["render_blocking_third_party"] == 1


def test_images_in_old_formats_fail_the_image_goal():
    failing = {"score": 0, "scoreDisplayMode": "metricSavings"}
    summary = lighthouse.summarise(report(**{"modern-image-formats": failing}), BASE)
    assert summary["modern_images"] is False


def test_missing_node_or_chromium_is_reported_not_raised(monkeypatch, tmp_path):
    monkeypatch.setattr(lighthouse.shutil, "which", lambda name: None)
    assert "Node.js" in lighthouse.audit(BASE, {"home": "/"}, tmp_path)["error"]
    monkeypatch.setattr(lighthouse.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(lighthouse, "CHROME_PATH", str(tmp_path / "no-chromium"))
    assert "Chromium" in lighthouse.audit(BASE, {"home": "/"}, tmp_path)["error"]
