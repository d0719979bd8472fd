"""Settings shared by every environment, read from environment variables (django-environ).

With no variable set, everything runs on one machine: SQLite, local media, eager Celery tasks,
console e-mail. Each real service is switched on by its own variable (see `.env.example`).
"""

from decimal import Decimal
from pathlib import Path

import environ
from celery.schedules import crontab
from oscar.defaults import *  # noqa: F403  (Oscar's OSCAR_* defaults, overridden below)

from shop.apps.dashboard.navigation import NAVIGATION as DASHBOARD_NAVIGATION
from shop.apps.search.config import haystack_connection

BASE_DIR = Path(__file__).resolve().parents[2]

env = environ.Env()
if (BASE_DIR / ".env").is_file():
    environ.Env.read_env(BASE_DIR / ".env")

SECRET_KEY = env("SECRET_KEY", default="django-insecure-embedded-default-only-never-in-production")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")

INSTALLED_APPS = [
    # Our own apps come first so that their templates and translations win.
    "shop.users",
    "shop.cms",
    "shop.addresses",
    "shop.demo",
    "shop.bench",
    "shop.seo",
    "shop.pagecache",
    "catalog",
    "cooperatives",
    "payments",
    "logistics",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    # Wagtail (the CMS at /)
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Oscar (the shop at /shop/); our thin forks replace checkout, shipping, search and the
    # dashboard (with its orders and catalogue pages).
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "shop.apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "shop.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "shop.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "shop.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "shop.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "shop.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    "widget_tweaks",
    "haystack",
    "treebeard",
    "django_tables2",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses every page (outside the middleware below that write the body); WhiteNoise
    # answers static files, precompressed, before it.
    "shop.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "shop.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.middleware.AdminPreviewFramingMiddleware",
    "shop.basket.BasketMiddleware",
    # Pages shared by visitors without a session, served from the cache (shop/pagecache).
    "shop.pagecache.middleware.PageCacheMiddleware",
    # Age gate and inactive sellers on Oscar's product page and add-to-basket (catalog.age_gate).
    "catalog.age_gate.AgeGateMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.core.context_processors.metadata",
                "wagtail.contrib.settings.context_processors.settings",
                "shop.pagecache.context_processors.csrf_marker",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL, a busy timeout and IMMEDIATE transactions keep SQLite answering under concurrent
    # requests instead of failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
# Persistent connections: a new connection per request costs a third of PostgreSQL's
# throughput, and SQLite would run its PRAGMAs again for every request.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, Celery ----------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ocop",
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ocop-pages",
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Per worker process; a page is some 30 KB, so at most ~15 MB each.
        "pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "pages",
            "OPTIONS": {"MAX_ENTRIES": 500},
        },
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
# How long a cached page may live at most; any change to what it shows ends it at once
# (shop/pagecache). 0 turns the page cache off.
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=300)

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "Asia/Ho_Chi_Minh"
CELERY_BEAT_SCHEDULE: dict = {
    # Cancel prepaid orders not paid in time and give their stock back (payments/tasks.py).
    "expire-unpaid-orders": {"task": "payments.tasks.expire_unpaid_orders", "schedule": 60.0},
    # Expire ended OCOP certificates, warn owners 90 and 30 days ahead (catalog/tasks.py).
    "expire-ocop-certificates": {
        "task": "catalog.tasks.expire_certificates",
        "schedule": crontab(hour=1, minute=15),
    },
    # Publish campaigns at their start, unpublish them at their end (catalog/tasks.py).
    "publish-scheduled-pages": {
        "task": "catalog.tasks.publish_scheduled_pages",
        "schedule": 60.0,
    },
    # Move sandbox-courier parcels along their simulated journey (logistics/tasks.py).
    "advance-sandbox-shipments": {
        "task": "logistics.tasks.advance_sandbox_shipments",
        "schedule": 60.0,
    },
}

# --- Files ----------------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env("MEDIA_URL", default="/media/")
MEDIA_ROOT = Path(env("MEDIA_ROOT", default=str(BASE_DIR / "media")))

AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if AWS_STORAGE_BUCKET_NAME:
    # Any S3-compatible store (AWS, MinIO, Ceph, moto...): the endpoint URL is configurable.
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL", default=None),
            "region_name": env("AWS_S3_REGION_NAME", default=None),
            "custom_domain": env("AWS_S3_CUSTOM_DOMAIN", default=None),
            "url_protocol": env("AWS_S3_URL_PROTOCOL", default="https:"),
            "access_key": env("AWS_ACCESS_KEY_ID", default=None),
            "secret_key": env("AWS_SECRET_ACCESS_KEY", default=None),
            "querystring_auth": env.bool("AWS_QUERYSTRING_AUTH", default=False),
            "file_overwrite": False,
        },
    }
# Media are served by Django only when they are on local disk (the embedded default).
SERVE_LOCAL_MEDIA = env.bool("SERVE_LOCAL_MEDIA", default=not AWS_STORAGE_BUCKET_NAME)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Largest file a user may upload (photos, logos, certificate scans): shop.uploads checks it.
MAX_UPLOAD_BYTES = env.int("MAX_UPLOAD_MB", default=10) * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Chợ OCOP <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
OSCAR_FROM_EMAIL = DEFAULT_FROM_EMAIL

# --- Users ----------------------------------------------------------------------------------
AUTH_USER_MODEL = "users.User"
AUTHENTICATION_BACKENDS = [
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "/shop/accounts/"
LOGIN_URL = "/shop/accounts/login/"

# --- Language, time, money ------------------------------------------------------------------
LANGUAGE_CODE = "vi"
# Each language named in itself, and only these two (Django's default list is 99 languages).
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
# Our catalogue first, then our Vietnamese for the Oscar messages its own catalogue lacks.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = "VN"

# --- Wagtail --------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Chợ OCOP"
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "txt"]

# --- Oscar ----------------------------------------------------------------------------------
OSCAR_SHOP_NAME = "Chợ OCOP"
OSCAR_SHOP_TAGLINE = ""
OSCAR_HOMEPAGE = "/"
OSCAR_DEFAULT_CURRENCY = "VND"
# "150.000 ₫" in every language: the shop sells in Vietnam, to Vietnamese price habits.
OSCAR_CURRENCY_FORMAT = {"VND": {"locale": "vi_VN"}}
OSCAR_ALLOW_ANON_CHECKOUT = True
OSCAR_REQUIRED_ADDRESS_FIELDS = ("first_name", "line1", "line4", "state", "country")
OSCAR_SLUG_FUNCTION = "shop.text.slugify"
OSCAR_SLUG_ALLOW_UNICODE = False
OSCAR_THUMBNAILER = "catalog.images.RenditionThumbnailer"
OSCAR_PRODUCTS_PER_PAGE = 20
OSCAR_RECENTLY_VIEWED_PRODUCTS = 0
# Our product pages offer no "e-mail me when back in stock" form, so Oscar need not look for
# such alerts on every stock change (two queries per order line at checkout).
OSCAR_EAGER_ALERTS = False
# Oscar's menu plus the cooperative's own pages; each entry shows only to who may open it.
OSCAR_DASHBOARD_NAVIGATION = DASHBOARD_NAVIGATION
OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = 100
OSCAR_INITIAL_ORDER_STATUS = "confirmed"
OSCAR_INITIAL_LINE_STATUS = "confirmed"
OSCAR_ORDER_STATUS_PIPELINE = {
    "pending_payment": ("paid", "confirmed", "cancelled"),
    "confirmed": ("partly_shipped", "shipped", "cancelled"),
    "paid": ("partly_shipped", "shipped", "cancelled"),
    # Some of the order's parcels (one per cooperative) have left, others not yet.
    "partly_shipped": ("shipped", "cancelled"),
    "shipped": ("delivered", "returned"),
    "delivered": ("paid",),
    "returned": (),
    "cancelled": (),
}
# A line's journey ends at "delivered": when the cash of a delivered COD order comes in, the
# order moves on to "paid" but its lines stay delivered (out of the cooperatives' work lists).
# "Partly shipped" belongs to orders only: a line is shipped or not.
OSCAR_LINE_STATUS_PIPELINE = {
    **{
        status: tuple(step for step in steps if step != "partly_shipped")
        for status, steps in OSCAR_ORDER_STATUS_PIPELINE.items()
        if status != "partly_shipped"
    },
    "delivered": (),
}
OSCAR_ORDER_STATUS_CASCADE = {
    "paid": "paid",
    "confirmed": "confirmed",
    "cancelled": "cancelled",
    "shipped": "shipped",
    "delivered": "delivered",
}
# Browsing runs on the database. Search too, on a folded copy of the catalogue text, unless
# SEARCH_URL names an Elasticsearch 7 index (shop/apps/search/config.py). Haystack's own signal
# processor stays off: shop/apps/search/receivers.py reindexes what each change touches.
SEARCH_URL = env("SEARCH_URL", default="")
HAYSTACK_CONNECTIONS = {"default": haystack_connection(SEARCH_URL)}
HAYSTACK_SIGNAL_PROCESSOR = "haystack.signals.BaseSignalProcessor"

# --- Chợ OCOP -------------------------------------------------------------------------------
# Couriers (logistics/couriers/), each switched on by its own variables. With none configured,
# the sandbox courier plays a real courier's life cycle on this machine.
COURIERS: dict = {}
# Seconds a courier may take to answer: a slower quote falls back to the table rate at checkout;
# a slower booking is retried by its task.
COURIER_TIMEOUT = float(env("COURIER_TIMEOUT_SECONDS", default="5"))
if env("GHN_TOKEN", default=""):
    COURIERS["ghn"] = {
        "BACKEND": "logistics.couriers.ghn.GHN",
        "OPTIONS": {
            "TOKEN": env("GHN_TOKEN"),
            "SHOP_ID": env("GHN_SHOP_ID", default=""),
            "BASE_URL": env(
                "GHN_BASE_URL", default="https://dev-online-gateway.ghn.vn/shiip/public-api"
            ),
            "WEBHOOK_SECRET": env("GHN_WEBHOOK_SECRET", default=""),
            "TIMEOUT": COURIER_TIMEOUT,
        },
    }
if env("GHTK_TOKEN", default=""):
    COURIERS["ghtk"] = {
        "BACKEND": "logistics.couriers.ghtk.GHTK",
        "OPTIONS": {
            "TOKEN": env("GHTK_TOKEN"),
            "CLIENT_SOURCE": env("GHTK_CLIENT_SOURCE", default=""),
            "BASE_URL": env("GHTK_BASE_URL", default="https://services-staging.ghtklab.com"),
            "WEBHOOK_SECRET": env("GHTK_WEBHOOK_SECRET", default=""),
            "TIMEOUT": COURIER_TIMEOUT,
        },
    }
if env("VIETTELPOST_USERNAME", default=""):
    COURIERS["viettelpost"] = {
        "BACKEND": "logistics.couriers.viettelpost.ViettelPost",
        "OPTIONS": {
            "USERNAME": env("VIETTELPOST_USERNAME"),
            "PASSWORD": env("VIETTELPOST_PASSWORD", default=""),
            "BASE_URL": env("VIETTELPOST_BASE_URL", default="https://partnerdev.viettelpost.vn"),
            "WEBHOOK_SECRET": env("VIETTELPOST_WEBHOOK_SECRET", default=""),
            "TIMEOUT": COURIER_TIMEOUT,
        },
    }
if not COURIERS or env.bool("SANDBOX_COURIER", default=False):
    COURIERS["sandbox"] = {"BACKEND": "logistics.couriers.sandbox.SandboxCourier", "OPTIONS": {}}

# Payment gateways in the order checkout offers them (payments/gateways/). VietQR always runs:
# without VIETQR_ACCOUNT_NUMBER it shows a demo account whose transfers staff can simulate.
# Card payments appear only when both Stripe keys are set.
VIETQR_ACCOUNT_NUMBER = env("VIETQR_ACCOUNT_NUMBER", default="")
PAYMENT_GATEWAYS: dict = {
    "vietqr": {
        "BACKEND": "payments.gateways.bank_transfer.VietQRTransfer",
        "OPTIONS": {
            "BANK_BIN": env("VIETQR_BANK_BIN", default="970436"),
            "ACCOUNT_NUMBER": VIETQR_ACCOUNT_NUMBER or "0011004455667",
            "ACCOUNT_HOLDER": env("VIETQR_ACCOUNT_HOLDER", default="CHO OCOP DEMO"),
            "SEPAY_API_KEY": env("SEPAY_API_KEY", default=""),
            "SEPAY_WEBHOOK_SECRET": env("SEPAY_WEBHOOK_SECRET", default=""),
            "CASSO_CHECKSUM_KEY": env("CASSO_CHECKSUM_KEY", default=""),
            "CASSO_SECURE_TOKEN": env("CASSO_SECURE_TOKEN", default=""),
            "DEMO": not VIETQR_ACCOUNT_NUMBER,
        },
    },
}
if env("STRIPE_SECRET_KEY", default="") and env("STRIPE_PUBLISHABLE_KEY", default=""):
    PAYMENT_GATEWAYS["stripe"] = {
        "BACKEND": "payments.gateways.card.StripeCard",
        "OPTIONS": {
            "SECRET_KEY": env("STRIPE_SECRET_KEY"),
            "PUBLISHABLE_KEY": env("STRIPE_PUBLISHABLE_KEY"),
            "WEBHOOK_SECRET": env("STRIPE_WEBHOOK_SECRET", default=""),
            "API_BASE": env("STRIPE_API_BASE", default=""),
        },
    }
PAYMENT_GATEWAYS["cod"] = {
    "BACKEND": "payments.gateways.cash.CashOnDelivery",
    # Orders above this total (whole dong) must be paid before shipping; 0 = no limit.
    "OPTIONS": {"MAX_TOTAL": env.int("COD_MAX_TOTAL", default=5_000_000)},
}
# Unpaid VietQR/card orders are cancelled (stock released) after this many minutes.
PAYMENT_EXPIRY_MINUTES = env.int("PAYMENT_EXPIRY_MINUTES", default=60)
# The platform's share of each delivered line, in percent; the rest is paid to the cooperative.
PLATFORM_COMMISSION_PERCENT = Decimal(env("PLATFORM_COMMISSION_PERCENT", default="5"))
# Where payouts find a partner's bank account: f(partner) -> payments.payouts.PayoutAccount | None.
PAYOUT_ACCOUNT_LOOKUP = "cooperatives.payouts.payout_account"
# Where couriers collect a cooperative's parcels: logistics asks cooperatives through this name.
LOGISTICS_PICKUP_LOOKUP = "cooperatives.pickup.pickup_address"
# The language of a shopper's parcel e-mails: f(order) -> language code ("" = the site's).
LOGISTICS_ORDER_LANGUAGE_LOOKUP = "payments.emails.order_language"

# Delivery fee at checkout (logistics/quotes.py, shop/apps/shipping/): one courier quote per
# cooperative's parcel, cached this many seconds per route and weight bucket. A product without a
# weight counts as SHIPPING_DEFAULT_WEIGHT_GRAMS. When a courier is down, slow or silent on a
# route, the table rate stands in (whole dong): a base fee covering the first kilogram, within
# one province or between provinces, plus PER_KG for each started kilogram above it.
SHIPPING_QUOTE_CACHE_SECONDS = env.int("SHIPPING_QUOTE_CACHE_SECONDS", default=1800)
SHIPPING_DEFAULT_WEIGHT_GRAMS = env.int("SHIPPING_DEFAULT_WEIGHT_GRAMS", default=500)
SHIPPING_TABLE_RATE = {
    "SAME_PROVINCE": env.int("SHIPPING_TABLE_SAME_PROVINCE", default=22_000),
    "OTHER_PROVINCE": env.int("SHIPPING_TABLE_OTHER_PROVINCE", default=32_000),
    "PER_KG": env.int("SHIPPING_TABLE_PER_KG", default=5_000),
}

SITE_ID = 1
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # Wagtail reports every background task and page edit at INFO: too chatty for a console.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
    },
}

# Law 44/2019: drinks of this ABV or more are never advertised, featured or put in campaigns.
ALCOHOL_PROMOTION_LIMIT_ABV = env.float("ALCOHOL_PROMOTION_LIMIT_ABV", default=15.0)

# Who runs the market, as the policy pages and the footer state it (Decree 52/85: the owner's
# name, head office, registration, representative and contacts). The defaults are demo values:
# set the real ones before `manage.py install_policy_pages` writes them into the drafts.
OPERATOR_NAME = env("OPERATOR_NAME", default="Hợp tác xã Dịch vụ Chợ OCOP (dữ liệu demo)")
OPERATOR_ADDRESS = env(
    "OPERATOR_ADDRESS", default="Tổ 5, xã Đồng Phúc, tỉnh Thái Nguyên (địa chỉ demo)"
)
OPERATOR_REGISTRATION = env(
    "OPERATOR_REGISTRATION",
    default="Giấy chứng nhận đăng ký hợp tác xã số 0000000000 (số demo), cấp ngày 01/01/2026",
)
OPERATOR_REPRESENTATIVE = env(
    "OPERATOR_REPRESENTATIVE", default="Nguyễn Văn Demo, Giám đốc (người đại diện demo)"
)
OPERATOR_PHONE = env("OPERATOR_PHONE", default="0209 000 0000")
OPERATOR_EMAIL = env("OPERATOR_EMAIL", default="lienhe@cho-ocop.test")
# The page on online.gov.vn that shows the market's registration with the Ministry of Industry
# and Trade; the footer links its badge only when this is set.
MOIT_BADGE_URL = env("MOIT_BADGE_URL", default="")
