"""Settings for the test suite: fast hashing, in-memory e-mail, eager tasks, throw-away media."""

import tempfile
from pathlib import Path

from .base import *  # noqa: F403
from .base import DATABASES, env

DEBUG = False
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"},
}
# Tests measure what a page costs to render; tests/functional/test_page_cache.py turns it on.
PAGE_CACHE_SECONDS = 0
SESSION_ENGINE = "django.contrib.sessions.backends.db"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SERVE_LOCAL_MEDIA = True
MEDIA_ROOT = Path(env("TEST_MEDIA_ROOT", default=tempfile.mkdtemp(prefix="ocop-test-media-")))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory: parallel transactions then lock as they do in use.
    DATABASES["default"]["TEST"] = {
        "NAME": env(
            "TEST_SQLITE_NAME", default=str(Path(tempfile.gettempdir()) / "ocop-test.sqlite3")
        )
    }
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
