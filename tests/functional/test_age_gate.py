"""Alcoholic drinks stay out of sight and out of the basket until the visitor declares a date of
birth 18 or more years back (Law 44/2019); the gate never redirects off the site."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from catalog import age_gate, product_classes, trace
from tests.shopper import build_market, confirm_age

pytestmark = pytest.mark.django_db

CATALOGUE = "/shop/catalogue/"
SEARCH = "/shop/search/"
WINE = "Rượu men lá 29%"


@pytest.fixture
def market(home_page):
    return build_market()


def years_ago(years: int, days: int = 0) -> str:
    today = timezone.localdate()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return (day + datetime.timedelta(days=days)).isoformat()


def basket_count(client) -> int:
    return client.get(reverse("basket:summary")).context["basket"].num_items


def test_listings_hide_drinks_and_say_so(client, market):
    for url, params in [
        (CATALOGUE, {}),
        (market.drinks.get_absolute_url(), {}),
        (SEARCH, {"q": "rượu"}),
        (market.thanh_tam.cooperative.get_absolute_url(), {}),
    ]:
        page = client.get(url, params)
        assert page.status_code == 200, url
        assert WINE not in market.titles(page), url
        assert WINE not in page.text, url
        assert "data-hidden-drinks" in page.text, url
        assert age_gate.gate_url(page.wsgi_request.get_full_path()) in page.text.replace(
            "&amp;", "&"
        )
    assert WINE not in client.get("/").text
    # Where no drink was left out, nothing is said.
    assert "data-hidden-drinks" not in client.get(market.food.get_absolute_url()).text


def test_product_page_shows_the_gate_instead_of_the_drink(client, market):
    page = client.get(market.wine.get_absolute_url())
    assert page.status_code == 200
    assert "data-age-gate" in page.text
    assert "120.000" not in page.text
    assert reverse("basket:add", kwargs={"pk": market.wine.pk}) not in page.text
    assert f'name="next" value="{market.wine.get_absolute_url()}"' in page.text
    assert page["Cache-Control"] == "private, no-store"


def test_all_alcohol_category_shows_the_gate(client, market):
    page = client.get(market.wine_group.get_absolute_url())
    assert "data-age-gate" in page.text and WINE not in page.text
    # A mixed group lists the rest.
    assert "data-age-gate" not in client.get(market.drinks.get_absolute_url()).text


def test_traceability_page_of_a_drink_is_gated(client, market):
    page = client.get(trace.path_for(market.wine.pk))
    assert "data-age-gate" in page.text and "03/GP-SXR" not in page.text


def test_adding_a_drink_to_the_basket_is_refused(client, market):
    response = client.post(reverse("basket:add", kwargs={"pk": market.wine.pk}), {"quantity": 1})
    assert response.status_code == 302
    assert response["Location"] == age_gate.gate_url(market.wine.get_absolute_url())
    assert basket_count(client) == 0
    # Other products are added as always.
    client.post(reverse("basket:add", kwargs={"pk": market.honey.pk}), {"quantity": 1})
    assert basket_count(client) == 1


def test_an_adult_sees_and_buys_the_drink(client, market):
    response = confirm_age(client, years_ago(30), market.wine.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == market.wine.get_absolute_url()

    page = client.get(market.wine.get_absolute_url())
    assert "data-age-gate" not in page.text
    text = page.text
    assert "120.000\xa0₫" in text
    assert 'data-fact="abv_percent">29<' in text
    assert 'data-fact="volume_ml">500<' in text
    assert "Số 03/GP-SXR, ngày 12/5/2022, UBND huyện Chợ Đồn cấp" in text
    assert 'class="alcohol-notice"' in text
    assert WINE in market.titles(client.get(CATALOGUE))
    assert "data-hidden-drinks" not in client.get(CATALOGUE).text
    assert client.get(market.wine_group.get_absolute_url()).context["products"]

    client.post(reverse("basket:add", kwargs={"pk": market.wine.pk}), {"quantity": 2})
    assert basket_count(client) == 2


def test_eighteen_today_passes_and_a_day_short_does_not(client, market):
    response = confirm_age(client, years_ago(18, days=1))
    assert response.status_code == 403
    assert "data-refused" in response.text
    assert not age_gate.is_confirmed(response.wsgi_request)
    assert WINE not in market.titles(client.get(CATALOGUE))

    assert confirm_age(client, years_ago(18)).status_code == 302
    assert WINE in market.titles(client.get(CATALOGUE))


def test_the_date_of_birth_is_not_kept(client, market):
    confirm_age(client, "1990-05-01")
    values = [str(value) for value in client.session.values()]
    assert not any("1990" in value for value in values)


@pytest.mark.parametrize(
    "data",
    [
        {"date_of_birth": "1990-05-01"},  # no confirmation
        {"confirm": "on"},  # no date
        {"date_of_birth": "not a date", "confirm": "on"},
        {"date_of_birth": "2999-01-01", "confirm": "on"},
        {"date_of_birth": "1850-01-01", "confirm": "on"},
        {"date_of_birth": "31/02/1990", "confirm": "on"},
    ],
)
def test_incomplete_or_impossible_answers_are_explained(client, market, data):
    response = client.post(reverse("age-gate"), data)
    assert response.status_code == 400
    assert response.context["form"].errors
    assert WINE not in market.titles(client.get(CATALOGUE))


def test_vietnamese_date_format_is_understood(client, market):
    assert confirm_age(client, "01/05/1990").status_code == 302
    assert WINE in market.titles(client.get(CATALOGUE))


@pytest.mark.parametrize(
    "next_url",
    [
        "https://evil.example/",
        "//evil.example/path",
        "/\\evil.example",
        "javascript:alert(1)",
        "http://testserver.evil.example/",
        "",
        "/xac-nhan-tuoi/?next=/xac-nhan-tuoi/",
    ],
)
def test_next_never_leaves_the_site(client, market, next_url):
    response = confirm_age(client, "1990-05-01", next_url)
    assert response.status_code == 302
    assert response["Location"] == CATALOGUE
    page = client.get(reverse("age-gate"), {"next": next_url})
    assert page.status_code == 302 and page["Location"] == CATALOGUE


def test_gate_keeps_a_local_next_with_its_query(client, market):
    target = CATALOGUE + "?stars=4&commune=01933"
    page = client.get(reverse("age-gate"), {"next": target})
    assert page.status_code == 200
    assert 'value="/shop/catalogue/?stars=4&amp;commune=01933"' in page.text
    response = confirm_age(client, "1990-05-01", target)
    assert response["Location"] == target


def test_confirmation_lasts_for_the_visit_only(client, market):
    confirm_age(client)
    session = client.session
    session[age_gate.SESSION_KEY] -= age_gate.CONFIRMATION_HOURS * 3600 + 60
    session.save()
    assert WINE not in market.titles(client.get(CATALOGUE))
    # A tampered value is no confirmation either.
    session[age_gate.SESSION_KEY] = "yes"
    session.save()
    assert WINE not in market.titles(client.get(CATALOGUE))


def test_checkout_asks_again_when_the_confirmation_has_lapsed(client, market):
    confirm_age(client)
    client.post(reverse("basket:add", kwargs={"pk": market.wine.pk}), {"quantity": 1})
    assert client.get(reverse("checkout:index")).status_code == 200
    session = client.session
    session[age_gate.SESSION_KEY] -= age_gate.CONFIRMATION_HOURS * 3600 + 60
    session.save()
    for step in ("checkout:index", "checkout:shipping-address", "checkout:preview"):
        response = client.get(reverse(step))
        assert response.status_code == 302, step
        assert response["Location"] == age_gate.gate_url(reverse("checkout:index")), step
    # Confirming again opens the checkout with the drink still in the basket.
    confirm_age(client, next_url=reverse("checkout:index"))
    assert client.get(reverse("checkout:index")).status_code == 200
    assert basket_count(client) == 1


def test_a_class_given_an_abv_attribute_makes_its_products_drinks_at_checkout(client, market):
    client.post(reverse("basket:add", kwargs={"pk": market.honey.pk}), {"quantity": 1})
    assert client.get(reverse("checkout:index")).status_code == 200
    market.honey.get_product_class().attributes.create(
        code=product_classes.ABV, name="ABV", type="float"
    )
    response = client.get(reverse("checkout:index"))
    assert response["Location"] == age_gate.gate_url(reverse("checkout:index"))


def test_search_engine_crawlers_and_junk_never_get_a_500(client, market):
    for junk in ["%00", "🍶" * 30, "<script>", "9" * 40]:
        assert client.get(reverse("age-gate"), {"next": junk}).status_code == 200
        response = client.post(
            reverse("age-gate"), {"date_of_birth": junk, "confirm": junk, "next": junk}
        )
        assert response.status_code in (302, 400)
