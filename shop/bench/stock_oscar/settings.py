"""Settings of the stock Oscar shop: Oscar's documented quickstart ("Building your own shop"),
on top of what `django-admin startproject` writes. Every change from the quickstart is marked
"Deviation:" with its reason; nothing else is tuned.
"""

import tempfile
from pathlib import Path

import environ
from oscar.defaults import *  # noqa: F403

BASE_DIR = Path(__file__).resolve().parent

env = environ.Env()

# Deviation: secret, hosts and debug from the environment (production server, not runserver).
SECRET_KEY = env("SECRET_KEY", default="stock-oscar-bench-only-never-in-production")
DEBUG = False
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.flatpages",
    "oscar.config.Shop",
    "oscar.apps.analytics.apps.AnalyticsConfig",
    "oscar.apps.checkout.apps.CheckoutConfig",
    "oscar.apps.address.apps.AddressConfig",
    "oscar.apps.shipping.apps.ShippingConfig",
    "oscar.apps.catalogue.apps.CatalogueConfig",
    "oscar.apps.catalogue.reviews.apps.CatalogueReviewsConfig",
    "oscar.apps.communication.apps.CommunicationConfig",
    "oscar.apps.partner.apps.PartnerConfig",
    "oscar.apps.basket.apps.BasketConfig",
    "oscar.apps.payment.apps.PaymentConfig",
    "oscar.apps.offer.apps.OfferConfig",
    "oscar.apps.order.apps.OrderConfig",
    "oscar.apps.customer.apps.CustomerConfig",
    "oscar.apps.search.apps.SearchConfig",
    "oscar.apps.voucher.apps.VoucherConfig",
    "oscar.apps.wishlists.apps.WishlistsConfig",
    "oscar.apps.dashboard.apps.DashboardConfig",
    "oscar.apps.dashboard.reports.apps.ReportsDashboardConfig",
    "oscar.apps.dashboard.users.apps.UsersDashboardConfig",
    "oscar.apps.dashboard.orders.apps.OrdersDashboardConfig",
    "oscar.apps.dashboard.catalogue.apps.CatalogueDashboardConfig",
    "oscar.apps.dashboard.offers.apps.OffersDashboardConfig",
    "oscar.apps.dashboard.partners.apps.PartnersDashboardConfig",
    "oscar.apps.dashboard.pages.apps.PagesDashboardConfig",
    "oscar.apps.dashboard.ranges.apps.RangesDashboardConfig",
    "oscar.apps.dashboard.reviews.apps.ReviewsDashboardConfig",
    "oscar.apps.dashboard.vouchers.apps.VouchersDashboardConfig",
    "oscar.apps.dashboard.communications.apps.CommunicationsDashboardConfig",
    "oscar.apps.dashboard.shipping.apps.ShippingDashboardConfig",
    # 3rd-party apps that oscar depends on
    "widget_tweaks",
    "haystack",
    "treebeard",
    # Deviation: no "sorl.thumbnail" (not installed here); see OSCAR_THUMBNAILER below.
    "django_tables2",
]

SITE_ID = 1

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Deviation: WhiteNoise serves the collected static files (DEBUG is off, no web server).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "oscar.apps.basket.middleware.BasketMiddleware",
    "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
]

AUTHENTICATION_BACKENDS = (
    "oscar.apps.customer.auth_backends.EmailBackend",
    "django.contrib.auth.backends.ModelBackend",
)

ROOT_URLCONF = "shop.bench.stock_oscar.urls"
WSGI_APPLICATION = "shop.bench.stock_oscar.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # Our one template there: Oscar's search text plus titles without diacritics.
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.template.context_processors.i18n",
                "django.contrib.messages.context_processors.messages",
                "oscar.apps.search.context_processors.search_form",
                "oscar.apps.checkout.context_processors.checkout",
                "oscar.apps.communication.notifications.context_processors.notifications",
                "oscar.core.context_processors.metadata",
            ],
        },
    },
]

# Deviation: the database from DATABASE_URL (SQLite file or PostgreSQL), as our shop reads it.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{tempfile.gettempdir()}/stock-oscar.db")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = True  # as the quickstart's DATABASES recommends
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Deviation: persistent connections on PostgreSQL, as ours, so the comparison is fair.
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# Deviation: static and media roots from the environment (a temp dir of the benchmark).
STATIC_ROOT = env("STATIC_ROOT", default=f"{tempfile.gettempdir()}/stock-oscar-static")
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=f"{tempfile.gettempdir()}/stock-oscar-media")

# Deviation: Whoosh instead of the simple backend, which lists no products when browsing
# (Oscar issue #4366); the index lives in WHOOSH_PATH, by default beside the SQLite file or in
# a temp dir named after the database, so two benchmark databases never share one index.
_db_name = Path(str(DATABASES["default"]["NAME"]))
HAYSTACK_CONNECTIONS = {
    "default": {
        "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
        "PATH": env(
            "WHOOSH_PATH",
            default=str(
                _db_name.with_name(_db_name.name + "-whoosh")
                if _db_name.is_absolute()
                else Path(tempfile.gettempdir()) / f"stock-oscar-whoosh-{_db_name.name}"
            ),
        ),
    },
}

OSCAR_INITIAL_ORDER_STATUS = "Pending"
OSCAR_INITIAL_LINE_STATUS = "Pending"
OSCAR_ORDER_STATUS_PIPELINE = {
    "Pending": ("Being processed", "Cancelled"),
    "Being processed": ("Processed", "Cancelled"),
    "Cancelled": (),
}

# Deviation: guests may check out (the benchmark's checkout flow is a guest's).
OSCAR_ALLOW_ANON_CHECKOUT = True
# Deviation: prices in đồng, as in our shop.
OSCAR_DEFAULT_CURRENCY = "VND"
# Deviation: thumbnails are the original pictures (sorl-thumbnail is not installed here).
OSCAR_THUMBNAILER = "shop.bench.stock_oscar.thumbnails.OriginalImage"
# Deviation: an e-mail backend that cannot fail, else placing an order errors (no SMTP here).
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

# Deviation: server errors printed to the server's log, so the benchmark can say why they fail.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
