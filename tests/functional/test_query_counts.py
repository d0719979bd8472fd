"""Pages cost the same number of queries with 10 products as with 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories

pytestmark = pytest.mark.django_db

PAGE_BUDGET = 16  # the product page, one being the content version (shop/pagecache); no growth


def grow_catalogue(count, group, partners):
    for number in range(count):
        factories.product(
            f"Sản phẩm thử {number}",
            price=50_000 + number,
            stock=5,
            partner=partners[number % len(partners)],
            categories=[group],
            image=number % 2 == 0,
        )


def queries_for(client, url):
    client.get(url)  # warm the caches a first visit fills (menus, sessions)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def growing_shop(home_page):
    group = factories.category("Thực phẩm")
    partners = [factories.cooperative(f"HTX {n}") for n in range(3)]
    grow_catalogue(10, group, partners)
    return group, partners


def test_page_queries_stay_constant_as_the_catalogue_grows(client, growing_shop):
    group, partners = growing_shop
    product = group.product_set.order_by("pk").first()
    urls = {
        "home": "/",
        "category": group.get_absolute_url(),
        "catalogue": "/shop/catalogue/",
        "product": product.get_absolute_url(),
        "search": "/shop/search/?q=s%E1%BA%A3n",
    }
    small = {name: queries_for(client, url) for name, url in urls.items()}
    grow_catalogue(190, group, partners)
    large = {name: queries_for(client, url) for name, url in urls.items()}

    print("queries per page, 10 → 200 products:", {k: (small[k], large[k]) for k in urls})
    assert large == small
    assert max(large.values()) <= PAGE_BUDGET, large
