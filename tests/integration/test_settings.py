"""Each real service switches on by one environment variable; none set means one machine."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROBE = """
import json, django
from django.conf import settings
django.setup()
storage = settings.STORAGES["default"]
print(json.dumps({
    "db": settings.DATABASES["default"]["ENGINE"],
    "db_name": settings.DATABASES["default"]["NAME"],
    "conn_max_age": settings.DATABASES["default"].get("CONN_MAX_AGE"),
    "sqlite_options": settings.DATABASES["default"].get("OPTIONS", {}),
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION"),
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "storage": storage["BACKEND"],
    "storage_options": storage.get("OPTIONS", {}),
    "serve_media": settings.SERVE_LOCAL_MEDIA,
    "email": settings.EMAIL_BACKEND,
    "language": settings.LANGUAGE_CODE,
    "languages": [code for code, _ in settings.LANGUAGES],
    "time_zone": settings.TIME_ZONE,
}))
"""

SERVICE_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "AWS_STORAGE_BUCKET_NAME",
    "AWS_S3_ENDPOINT_URL",
    "EMAIL_URL",
    "DEBUG",
)


def settings_with(**variables):
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="shop.settings.dev", **variables)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_default_needs_nothing():
    seen = settings_with()
    assert seen["db"] == "django.db.backends.sqlite3"
    assert seen["db_name"].endswith("db.sqlite3")
    assert seen["sqlite_options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in seen["sqlite_options"]["init_command"]
    assert seen["cache"].endswith("LocMemCache")
    assert seen["eager"] is True and seen["broker"] == "memory://"
    assert seen["storage"] == "django.core.files.storage.FileSystemStorage"
    assert seen["serve_media"] is True
    assert seen["email"] == "django.core.mail.backends.console.EmailBackend"
    assert (seen["language"], seen["languages"], seen["time_zone"]) == (
        "vi",
        ["vi", "en"],
        "Asia/Ho_Chi_Minh",
    )


def test_each_service_switches_on_by_its_variable():
    seen = settings_with(
        DATABASE_URL="postgres://shop:secret@db.internal:5432/ocop",
        REDIS_URL="redis://cache.internal:6379/1",
        AWS_STORAGE_BUCKET_NAME="ocop-media",
        AWS_S3_ENDPOINT_URL="http://objects.internal:9000",
        EMAIL_URL="smtp://mail.internal:1025",
    )
    assert seen["db"] == "django.db.backends.postgresql" and seen["db_name"] == "ocop"
    assert seen["conn_max_age"] == 60
    assert seen["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert seen["cache_location"] == "redis://cache.internal:6379/1"
    assert seen["broker"] == "redis://cache.internal:6379/1" and seen["eager"] is False
    assert seen["storage"] == "storages.backends.s3.S3Storage"
    assert seen["storage_options"]["bucket_name"] == "ocop-media"
    assert seen["storage_options"]["endpoint_url"] == "http://objects.internal:9000"
    assert seen["serve_media"] is False
    assert seen["email"] == "django.core.mail.backends.smtp.EmailBackend"
