"""`make_bench_catalogue` loads a catalogue a shopper can browse, search and buy from as a guest
(cash on delivery), with exactly the products asked for, and a rerun duplicates nothing."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from oscar.apps.catalogue.models import Product, ProductImage
from oscar.apps.order.models import Order
from oscar.apps.partner.models import StockRecord

from catalog import queries
from catalog.models import OcopCertificate
from cooperatives.models import Cooperative
from shop.bench import spec
from shop.text import fold
from tests.checkout import guest_checkout

pytestmark = pytest.mark.django_db

PRODUCTS = 20


@pytest.fixture
def manifest(tmp_path, home_page):
    path = tmp_path / "manifest.json"
    call_command("make_bench_catalogue", products=PRODUCTS, manifest=path)
    return path


def test_exactly_the_products_asked_for_each_complete_and_browsable(manifest):
    assert Product.objects.count() == PRODUCTS
    assert queries.browsable_products().count() == PRODUCTS
    assert not Product.objects.filter(stockrecords=None).exists()
    assert not Product.objects.filter(images=None).exists()
    assert not Product.objects.filter(categories=None).exists()
    assert not Product.objects.filter(search_text=None).exists()
    assert Cooperative.objects.filter(is_verified=True).count() == 30
    assert all(cooperative.has_payout_account for cooperative in Cooperative.objects.all())
    stars = set(OcopCertificate.objects.in_force().values_list("stars", flat=True))
    assert stars and stars <= {3, 4, 5}
    # The pictures are shared files: a few drawn, each with its renditions made once.
    assert ProductImage.objects.values("original").distinct().count() < PRODUCTS


def test_manifest_pages_answer(client, manifest):
    data = json.loads(manifest.read_text())
    assert (data["shop"], data["products"]) == ("ours", PRODUCTS)
    assert set(data["pages"]) == {"home", "catalogue", "category", "product", "search"}
    assert len(data["searches"]) == len(spec.SEARCHES)
    assert len(data["product_urls"]) == len(data["basket_product_ids"]) == PRODUCTS
    for url in [*data["pages"].values(), *data["searches"], *data["product_urls"]]:
        assert client.get(url).status_code == 200, url

    home = client.get(data["pages"]["home"]).text
    first = Product.objects.get(upc=spec.products(1)[0].upc)
    assert first.title in home  # featured products
    assert Cooperative.objects.get(slug="bench-htx-01").name in home  # featured cooperatives
    assert "Thủ công mỹ nghệ" in home  # category tiles
    # The product page and the catalogue's cards show the certified products' stars.
    assert "data-ocop-stars=" in client.get(data["pages"]["product"]).text
    assert "data-ocop-stars=" in client.get(data["pages"]["catalogue"]).text


def test_each_search_finds_products(client, manifest):
    data = json.loads(manifest.read_text())
    for words, url in zip(spec.SEARCHES, data["searches"], strict=True):
        found = [
            product.get_absolute_url()
            for product in Product.objects.all()
            if fold(words) in fold(product.title)
        ]
        text = client.get(url).text
        assert found and all(address in text for address in found), words


def test_guest_checks_out_by_cash_on_delivery(client, manifest):
    data = json.loads(manifest.read_text())
    product = Product.objects.get(pk=data["basket_product_ids"][0])
    response = guest_checkout(client, product)
    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:thank-you")
    order = Order.objects.get()
    assert [source.source_type.code for source in order.sources.all()] == ["cod"]


def test_second_run_duplicates_nothing(manifest, home_page):
    before = manifest.read_text()
    manifest.unlink()
    call_command("make_bench_catalogue", products=PRODUCTS, manifest=manifest)
    assert manifest.read_text() == before
    assert Product.objects.count() == PRODUCTS
    assert StockRecord.objects.count() == PRODUCTS
    assert Cooperative.objects.count() == 30
    with pytest.raises(CommandError, match="already holds a benchmark catalogue of 20"):
        call_command("make_bench_catalogue", products=PRODUCTS + 1, manifest=manifest)
