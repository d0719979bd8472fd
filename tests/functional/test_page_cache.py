"""The shared page cache: fast for visitors without a session, never stale, never mixed up."""

import datetime
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.apps.partner.models import StockRecord

from shop.pagecache import versions
from shop.pagecache.models import ContentVersion
from tests.checkout import add_to_basket

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def hit(response) -> bool:
    return response.headers.get("X-Page-Cache") == "hit"


def test_a_second_visitor_gets_the_page_from_the_cache_in_one_query(client, shop_catalogue):
    url = shop_catalogue["noodles"].get_absolute_url()
    first = client.get(url)
    assert first.status_code == 200 and not hit(first)

    with CaptureQueriesContext(connection) as captured:
        second = Client().get(url)
    assert hit(second)
    assert len(captured) == 1  # the content version
    assert "Miến dong Nam Cường" in second.content.decode()
    assert "65.000" in second.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/", "/shop/catalogue/", "/shop/search/?q=mien+dong", "/hop-tac-xa/"],
)
def test_listings_and_pages_are_cached_too(client, shop_catalogue, url):
    assert not hit(client.get(url))
    assert hit(Client().get(url))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_price_change_shows_at_once(client, shop_catalogue):
    noodles = shop_catalogue["noodles"]
    url = noodles.get_absolute_url()
    client.get(url)
    record = StockRecord.objects.get(product=noodles)
    record.price = 72_000
    record.save()

    page = Client().get(url)
    assert not hit(page)
    assert "72.000" in page.content.decode() and "65.000" not in page.content.decode()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_stock_running_out_shows_at_once_on_the_listing(client, shop_catalogue):
    client.get("/shop/catalogue/")
    StockRecord.objects.filter(product=shop_catalogue["noodles"]).get().allocate(80)
    assert not hit(Client().get("/shop/catalogue/"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_made_by_a_queryset_update_moves_the_version_where_the_code_says_so(
    shop_catalogue,
):
    from catalog.models import OcopCertificate
    from catalog.tasks import expire_certificates
    from tests import factories

    noodles = shop_catalogue["noodles"]
    certificate = factories.certificate(
        noodles.stockrecords.get().partner, [noodles], valid_until=datetime.date(2020, 1, 1)
    )
    before = versions.current()
    expire_certificates()
    certificate.refresh_from_db()
    assert certificate.status == OcopCertificate.Status.EXPIRED
    assert versions.current() != before


def test_each_visitor_gets_a_csrf_token_that_works_for_them(shop_catalogue):
    noodles = shop_catalogue["noodles"]
    url = noodles.get_absolute_url()
    Client().get(url)  # fills the cache

    shopper = Client(enforce_csrf_checks=True)
    page = shopper.get(url)
    assert hit(page)
    tokens = set(TOKEN.findall(page.content))
    assert len(tokens) == 1 and b"page-cache" not in page.content
    response = shopper.post(
        f"/shop/basket/add/{noodles.pk}/",
        {"quantity": 1, "csrfmiddlewaretoken": tokens.pop().decode()},
    )
    assert response.status_code == 302


def test_a_shopper_with_a_basket_sees_their_own_count(client, shop_catalogue):
    url = shop_catalogue["noodles"].get_absolute_url()
    Client().get(url)
    add_to_basket(client, shop_catalogue["noodles"], quantity=3)
    client.cookies.pop("messages", None)

    page = client.get(url)
    assert hit(page)
    assert re.search(rb'<span class="count"[^>]*>3</span>', page.content)
    fresh = Client().get(url)
    assert re.search(rb'<span class="count"[^>]*>0</span>', fresh.content)


def test_a_session_or_a_message_means_a_fresh_page(client, shop_catalogue):
    url = shop_catalogue["noodles"].get_absolute_url()
    client.get(url)
    with_session = Client()
    with_session.cookies["sessionid"] = "anything"
    assert not hit(with_session.get(url))
    with_message = Client()
    with_message.cookies["messages"] = "anything"
    assert not hit(with_message.get(url))


def test_languages_are_kept_apart(client, shop_catalogue):
    client.get("/shop/catalogue/")
    english = Client()
    english.cookies["django_language"] = "en"
    page = english.get("/shop/catalogue/")
    assert not hit(page)
    assert page.headers["Content-Language"] == "en"


def test_not_found_and_posts_are_never_cached(client, shop_catalogue):
    client.get("/shop/catalogue/khong-co_999999/")
    assert not hit(Client().get("/shop/catalogue/khong-co_999999/"))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_bump_per_transaction_and_none_for_a_rolled_back_one(shop_catalogue):
    record = StockRecord.objects.get(product=shop_catalogue["noodles"])
    committed = ContentVersion.objects.values_list("number", flat=True).get
    before = committed()
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        for price in (70_000, 71_000, 72_000):
            record.price = price
            record.save()
    bumps = [q for q in captured if q["sql"].startswith('UPDATE "pagecache_contentversion"')]
    assert len(bumps) == 1
    assert committed() == before + 1

    with pytest.raises(RuntimeError), transaction.atomic():
        record.price = 1
        record.save()
        # This thread already files its cache entries apart from the other processes'.
        assert versions.current() != f"{before + 1}.0"
        raise RuntimeError
    assert committed() == before + 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_writes_that_no_page_shows_leave_the_cache_alone(client, shop_catalogue):
    from django.contrib.sessions.backends.db import SessionStore

    with CaptureQueriesContext(connection) as captured:
        session = SessionStore()
        session["anything"] = 1
        session.save()
        add_to_basket(client, shop_catalogue["noodles"])
    assert not [q for q in captured if "pagecache_contentversion" in q["sql"]]
