import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must accept that.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    """Browser journeys need Debian's Chromium; say so loudly where it is missing (CI has it)."""
    if Path(CHROMIUM).exists():
        return
    skip = pytest.mark.skip(reason=f"no Chromium at {CHROMIUM}: apt-get install chromium (CI does)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Site chrome (menus) and pages are cached; each test starts from empty caches."""
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
    yield
    for alias in ("default", "pages"):
        caches[alias].clear()


def restore_migration_data():
    """Put back what migrations write, when a transactional test has emptied the database.

    Serialized rollback normally does this, but once Playwright's sync API has run, Django
    sees the test thread in a new context whose connection lacks the serialized copy.
    """
    from importlib import import_module

    from django.apps import apps
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management.sql import emit_post_migrate_signal
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    if Page.get_first_root_node() is not None:
        return
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    Page.add_root(
        instance=Page(
            title="Root", slug="root", content_type=ContentType.objects.get_for_model(Page)
        )
    )
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    import_module("shop.addresses.migrations.0001_initial").add_vietnam(apps, None)


@pytest.fixture
def home_page(db):
    from shop.cms.setup import install_home_page

    restore_migration_data()
    return install_home_page("Chợ OCOP", "Sản phẩm OCOP từ các hợp tác xã vùng cao")


@pytest.fixture
def shop_catalogue(db, home_page):
    """Two OCOP groups, two cooperatives and four products, one with a single unit left."""
    from tests import factories

    drinks = factories.category("Đồ uống")
    wine = factories.category("Rượu truyền thống", parent=drinks)
    food = factories.category("Thực phẩm")
    thanh_tam = factories.cooperative("HTX rượu men lá Thanh Tâm", "01933")
    nam_cuong = factories.cooperative("HTX Miến dong Nam Cường", "02026")
    return {
        "drinks": drinks,
        "wine": wine,
        "food": food,
        "rice_wine": factories.product(
            "Rượu men lá Bằng Phúc", 120_000, 40, thanh_tam, [wine], image=True
        ),
        "last_bottle": factories.product("Rượu nếp cẩm men lá", 150_000, 1, thanh_tam, [wine]),
        "noodles": factories.product("Miến dong Nam Cường", 65_000, 80, nam_cuong, [food]),
        "sold_out": factories.product("Mật ong hoa bạc hà", 190_000, 0, nam_cuong, [food]),
    }


@pytest.fixture
def with_stripe(settings):
    """Card payments on, against a fresh fake Stripe API (tests/fakes/stripe_server.py)."""
    from tests.fakes.stripe_server import FakeStripeServer
    from tests.payments import gateway_settings

    with FakeStripeServer() as fake:
        gateway_settings(settings, stripe_url=fake.url)
        yield fake
