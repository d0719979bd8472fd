"""The Wagtail choosers behind the featured blocks: an officer chooses only among its own
region's products and active cooperatives, never a drink the law forbids promoting, and finds
products by typing without diacritics."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model

from cooperatives.models import Region
from cooperatives.regions import ensure_officer_group
from cooperatives.roles import install_officer_group
from tests import factories

pytestmark = pytest.mark.django_db

PRODUCTS = "/admin/product-chooser/"
COOPERATIVES = "/admin/cooperative-chooser/"
CATEGORIES = "/admin/category-chooser/"


def drink(title, abv, partner):
    product = factories.product(
        title, 150_000, 20, partner, klass=factories.alcohol_class(), weight=None
    )
    product.attr.abv_percent = abv
    product.save()
    return product


@pytest.fixture
def market(shop_catalogue):
    """Thanh Tâm (commune 01933) is in the officer's region, Nam Cường (02026) is not."""
    thanh_tam = shop_catalogue["rice_wine"].stockrecords.get().partner
    shop_catalogue["strong"] = drink("Rượu ngô Bắc Hà 40%", 40.0, thanh_tam)
    shop_catalogue["light"] = drink("Rượu táo mèo 12%", 12.0, thanh_tam)
    shop_catalogue["thanh_tam"] = thanh_tam.cooperative
    shop_catalogue["nam_cuong"] = shop_catalogue["noodles"].stockrecords.get().partner.cooperative
    return shop_catalogue


def officer_of(communes, email="canbo@cho-ocop.test"):
    user = get_user_model().objects.create_user(email=email, password="officer-pass-2026")
    user.groups.add(install_officer_group())
    if communes:
        region = Region.objects.create(
            name=f"Vùng {email}", slug=email.split("@")[0], commune_codes=communes
        )
        user.groups.add(ensure_officer_group(region))
    return user


@pytest.fixture
def officer(client, market):
    client.force_login(officer_of(["01933"]))
    return client


def listed(response) -> list[str]:
    """The titles in a chooser's listing (the modal's JSON or the results fragment)."""
    assert response.status_code == 200
    html = (
        response.json()["html"]
        if response["Content-Type"].startswith("application/json")
        else response.text
    )
    soup = BeautifulSoup(html, "html.parser")
    return [cell.get_text(strip=True) for cell in soup.select("tbody td.title")]


def rows(response) -> list[str]:
    soup = BeautifulSoup(response.json()["html"], "html.parser")
    return [
        " | ".join(td.get_text(" ", strip=True) for td in tr.select("td"))
        for tr in soup.select("tbody tr")
    ]


def test_officer_chooses_among_its_region_products_never_strong_drinks(officer, market):
    titles = listed(officer.get(PRODUCTS))
    assert set(titles) == {
        market["rice_wine"].title,
        market["last_bottle"].title,
        market["light"].title,
    }
    # The other region's products and the 40 % drink are not offered.
    assert market["noodles"].title not in titles and market["strong"].title not in titles


def test_product_rows_show_price_and_cooperative(officer, market):
    row = next(r for r in rows(officer.get(PRODUCTS)) if market["last_bottle"].title in r)
    assert "150.000\xa0₫" in row and market["thanh_tam"].name in row


def test_product_search_works_without_diacritics(officer, market):
    results = officer.get(PRODUCTS + "results/", {"q": "ruou nep"})
    assert listed(results) == [market["last_bottle"].title]
    assert listed(officer.get(PRODUCTS + "results/", {"q": "Rượu nếp"})) == [
        market["last_bottle"].title
    ]


def test_products_outside_the_list_cannot_be_chosen_by_address(officer, market):
    assert officer.get(f"{PRODUCTS}chosen/{market['rice_wine'].pk}/").status_code == 200
    assert officer.get(f"{PRODUCTS}chosen/{market['noodles'].pk}/").status_code == 404
    assert officer.get(f"{PRODUCTS}chosen/{market['strong'].pk}/").status_code == 404


def test_platform_staff_choose_among_all_regions(client, market):
    staff = get_user_model().objects.create_superuser(email="admin@cho-ocop.test", password="x")
    client.force_login(staff)
    titles = listed(client.get(PRODUCTS))
    assert market["noodles"].title in titles and market["rice_wine"].title in titles
    assert market["strong"].title not in titles


def test_officer_without_a_region_chooses_nothing(client, market):
    client.force_login(officer_of([], email="moi@cho-ocop.test"))
    assert listed(client.get(PRODUCTS)) == []
    assert listed(client.get(COOPERATIVES)) == []


def test_cooperative_chooser_offers_the_region_active_cooperatives(officer, market):
    assert listed(officer.get(COOPERATIVES)) == [market["thanh_tam"].name]
    assert officer.get(f"{COOPERATIVES}chosen/{market['nam_cuong'].pk}/").status_code == 404
    assert listed(officer.get(COOPERATIVES + "results/", {"q": "Thanh Tâm"})) == [
        market["thanh_tam"].name
    ]
    market["thanh_tam"].is_active = False
    market["thanh_tam"].save()
    assert listed(officer.get(COOPERATIVES)) == []


def test_category_chooser_offers_browsable_groups(officer, market):
    market["food"].is_public = False
    market["food"].save()
    titles = listed(officer.get(CATEGORIES))
    assert titles == [market["drinks"].name, f"— {market['wine'].name}"]
