"""Shoppers filter and sort the catalogue, category and search pages; stars come only from a
certificate in force; invalid values are ignored; the page cost stays constant."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.shopper import NAM_CUONG_COMMUNE, THANH_TAM_COMMUNE, build_market, confirm_age

pytestmark = pytest.mark.django_db

CATALOGUE = "/shop/catalogue/"
SEARCH = "/shop/search/"


@pytest.fixture
def market(home_page):
    return build_market()


def badges(text: str) -> dict[str, str]:
    """Product title → stars shown on its card."""
    found = {}
    for card in re.findall(r'<article class="product-card">(.*?)</article>', text, re.S):
        title = re.search(r'product-card__title"><a [^>]+>([^<]+)</a>', card).group(1)
        stars = re.search(r'data-ocop-stars="(\d)"', card)
        found[unescape(title)] = stars.group(1) if stars else None
    return found


def links(text: str) -> list[str]:
    return [unescape(href) for href in re.findall(r'href="(\?[^"]*)"', text)]


def test_cards_show_the_star_of_a_certificate_in_force_only(client, market):
    page = client.get(CATALOGUE)
    assert page.status_code == 200
    shown = badges(page.text)
    assert shown["Mật ong Bằng Phúc"] == "4"
    assert shown["Chè Shan tuyết"] == "5"
    assert shown["Miến dong Nam Cường"] == "3"
    assert shown["Bánh chưng"] is None
    assert shown["Măng khô"] is None  # expired yesterday
    assert shown["Nấm hương"] is None  # waiting for an officer
    assert "OCOP 4★" in page.text


def test_star_filter_means_at_least(client, market):
    assert market.titles(client.get(CATALOGUE, {"stars": "4"})) == {
        "Mật ong Bằng Phúc",
        "Chè Shan tuyết",
    }
    assert market.titles(client.get(CATALOGUE, {"stars": "5"})) == {"Chè Shan tuyết"}
    assert market.titles(client.get(CATALOGUE, {"stars": "3"})) == {
        "Mật ong Bằng Phúc",
        "Chè Shan tuyết",
        "Miến dong Nam Cường",
    }


def test_expired_certificate_leaves_the_filter(client, market):
    certificate = market.honey_certificate
    certificate.valid_until = certificate.signed_on.replace(year=certificate.signed_on.year - 1)
    certificate.save()
    assert "Mật ong Bằng Phúc" not in market.titles(client.get(CATALOGUE, {"stars": "3"}))


def test_cooperative_and_commune_filters(client, market):
    coop = market.nam_cuong.cooperative
    expected = {"Chè Shan tuyết", "Miến dong Nam Cường", "Nấm hương"}
    assert market.titles(client.get(CATALOGUE, {"cooperative": coop.slug})) == expected
    assert market.titles(client.get(CATALOGUE, {"commune": NAM_CUONG_COMMUNE})) == expected
    page = client.get(CATALOGUE, {"commune": THANH_TAM_COMMUNE, "stars": "4"})
    assert market.titles(page) == {"Mật ong Bằng Phúc"}


def test_commune_choices_are_those_of_active_cooperatives(client, market):
    form = client.get(CATALOGUE).context["listing"].form
    communes = dict(form.fields["commune"].choices)
    assert set(communes) == {"", THANH_TAM_COMMUNE, NAM_CUONG_COMMUNE}
    assert communes[THANH_TAM_COMMUNE] == "Xã Đồng Phúc, Thái Nguyên"
    cooperatives = dict(form.fields["cooperative"].choices)
    assert market.closed.cooperative.slug not in cooperatives


def test_category_filter_on_the_catalogue_and_search(client, market):
    titles = market.titles(client.get(CATALOGUE, {"category": str(market.drinks.pk)}))
    assert titles == {"Chè Shan tuyết"}  # the wine is hidden until the age gate
    assert market.titles(client.get(SEARCH, {"q": "ch"})) == {"Chè Shan tuyết", "Bánh chưng"}
    page = client.get(SEARCH, {"q": "ch", "category": str(market.food.pk)})
    assert market.titles(page) == {"Bánh chưng"}


def test_price_range_in_dong_as_people_type_it(client, market):
    page = client.get(CATALOGUE, {"price_min": "60.000", "price_max": "150 000 ₫"})
    assert market.titles(page) == {"Miến dong Nam Cường", "Măng khô", "Nấm hương"}
    # Limits the wrong way round are understood, not refused.
    swapped = client.get(CATALOGUE, {"price_min": "150000", "price_max": "60000"})
    assert market.titles(swapped) == market.titles(page)


@pytest.mark.parametrize(
    ("sort", "first", "last"),
    [
        ("price-asc", "Bánh chưng", "Chè Shan tuyết"),
        ("price-desc", "Chè Shan tuyết", "Bánh chưng"),
        ("name", "Bánh chưng", "Nấm hương"),
    ],
)
def test_sorting(client, market, sort, first, last):
    titles = [p.title for p in client.get(CATALOGUE, {"sort": sort}).context["products"]]
    assert titles[0] == first and titles[-1] == last


def test_newest_first_by_default(client, market):
    titles = [p.title for p in client.get(CATALOGUE).context["products"]]
    assert titles[0] == "Nấm hương"  # the last one created that is listed


def test_inactive_cooperative_products_appear_nowhere(client, market):
    for url, params in [
        (CATALOGUE, {}),
        (market.food.get_absolute_url(), {}),
        (SEARCH, {"q": "gạo"}),
        (CATALOGUE, {"cooperative": market.closed.cooperative.slug}),
        (CATALOGUE, {"commune": "02071"}),
    ]:
        assert "Gạo nếp nương" not in market.titles(client.get(url, params)), url
    assert "Gạo nếp nương" not in client.get("/").text
    assert client.get(market.closed_product.get_absolute_url()).status_code == 404
    response = client.post(reverse("basket:add", kwargs={"pk": market.closed_product.pk}))
    assert response.status_code == 404


JUNK = ["abc", "-1", "2", "99999999999999999999999", "1e9", "%00", "<script>", "' OR 1=1 --", "🍶"]


@pytest.mark.parametrize("junk", JUNK)
def test_invalid_filter_values_are_ignored(client, market, junk):
    everything = market.titles(client.get(CATALOGUE))
    params = {
        name: junk
        for name in ("stars", "cooperative", "commune", "category", "price_min", "price_max")
    }
    for url in (CATALOGUE, market.food.get_absolute_url()):
        response = client.get(url, {**params, "sort": junk, "page": junk})
        assert response.status_code == 200
    response = client.get(CATALOGUE, {**params, "sort": junk})
    if junk != "2":  # "2" is a fine price (and maybe a category id): not junk there
        assert market.titles(response) == everything
    assert client.get(SEARCH, {"q": "m", **params, "sort": junk}).status_code == 200


def test_links_keep_the_other_parameters(client, market):
    for number in range(25):
        factories.product(f"Miến thử {number}", 70_000, 5, market.nam_cuong, [market.food])
    page = client.get(SEARCH, {"q": "miến", "commune": NAM_CUONG_COMMUNE, "sort": "price-asc"})
    hrefs = links(page.text)
    next_page = next(h for h in hrefs if "page=2" in h)
    assert "q=mi%E1%BA%BFn" in next_page and f"commune={NAM_CUONG_COMMUNE}" in next_page
    assert "sort=price-asc" in next_page
    star_link = next(h for h in hrefs if "stars=4" in h)
    assert f"commune={NAM_CUONG_COMMUNE}" in star_link and "q=" in star_link
    assert "page=" not in star_link
    # Each active filter has a link removing it alone.
    remove_commune = next(h for h in hrefs if "commune" not in h and "sort=price-asc" in h)
    assert "q=" in remove_commune
    # The GET form carries the search words.
    assert 'name="q" value="miến"' in page.text
    second = client.get(SEARCH + next_page)
    assert second.context["page_obj"].number == 2
    prices = [p.stockrecords.all()[0].price for p in second.context["products"]]
    assert prices == sorted(prices)


def test_filters_compose_with_the_search_query(client, market):
    assert market.titles(client.get(SEARCH, {"q": "mật", "stars": "4"})) == {"Mật ong Bằng Phúc"}
    assert market.titles(client.get(SEARCH, {"q": "chè", "stars": "4"})) == {"Chè Shan tuyết"}
    assert market.titles(client.get(SEARCH, {"q": "mật", "stars": "5"})) == set()


def test_search_engine_results_are_filtered_in_the_database(rf, market):
    """With a search engine, its ranked hits are loaded and filtered in the database, in the
    engine's order (the engine itself is not running here: any list of hits with a pk)."""
    from types import SimpleNamespace

    from django.contrib.sessions.backends.db import SessionStore

    from catalog import filters

    ranked = [market.wine, market.noodles, market.honey, market.tea]
    hits = [SimpleNamespace(pk=str(product.pk)) for product in ranked]
    request = rf.get(SEARCH, {"q": "x", "stars": "4"})
    request.session = SessionStore()
    listing = filters.refine(request, hits, with_categories=True, relevance=True)
    assert [p.title for p in listing.queryset] == ["Mật ong Bằng Phúc", "Chè Shan tuyết"]
    assert listing.hidden_drinks

    request = rf.get(SEARCH, {"q": "x"})
    request.session = SessionStore()
    listing = filters.refine(request, hits, relevance=True)
    assert [p.title for p in listing.queryset] == [
        "Miến dong Nam Cường",
        "Mật ong Bằng Phúc",
        "Chè Shan tuyết",
    ]


def test_filters_work_on_a_category_page(client, market):
    page = client.get(market.food.get_absolute_url(), {"stars": "3", "sort": "price-asc"})
    assert [p.title for p in page.context["products"]] == [
        "Miến dong Nam Cường",
        "Mật ong Bằng Phúc",
    ]
    assert "category" not in page.context["listing"].form.fields


def test_after_the_age_gate_drinks_are_filtered_like_the_rest(client, market):
    confirm_age(client)
    assert market.titles(client.get(CATALOGUE, {"stars": "4", "commune": THANH_TAM_COMMUNE})) == {
        "Mật ong Bằng Phúc",
        "Rượu men lá 29%",
    }


def grow(market, count):
    for number in range(count):
        product = factories.product(
            f"Sản phẩm thêm {number}",
            50_000 + number * 1000,
            5,
            market.thanh_tam if number % 2 else market.nam_cuong,
            [market.food],
            image=number % 3 == 0,
        )
        if number % 2:
            factories.certificate(market.thanh_tam, [product], stars=4 + number % 2)


def queries_for(client, url, params):
    client.get(url, params)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured)


def test_query_count_with_filters_does_not_grow(client, market):
    filtered = {
        "stars": "4",
        "commune": THANH_TAM_COMMUNE,
        "price_min": "10000",
        "price_max": "900000",
        "sort": "price-asc",
    }
    pages = {
        "catalogue": (CATALOGUE, {**filtered, "category": str(market.food.pk)}),
        "category": (market.food.get_absolute_url(), {**filtered, "sort": "name"}),
        "search": (SEARCH, {"q": "s", **filtered, "sort": "price-desc"}),
        "cooperative": (
            market.thanh_tam.cooperative.get_absolute_url(),
            {"stars": "4", "sort": "newest"},
        ),
    }
    small = {name: queries_for(client, *args) for name, args in pages.items()}
    grow(market, 40)
    large = {name: queries_for(client, *args) for name, args in pages.items()}
    print("queries with filters, before → after growing:", small, large)
    assert large == small
    assert max(large.values()) <= 16, large


def test_the_form_shows_the_current_choices(client, market):
    page = client.get(CATALOGUE, {"stars": "4", "commune": THANH_TAM_COMMUNE, "price_min": "1.000"})
    text = page.text
    assert re.search(r'<input type="radio" name="stars" value="4"[^>]* checked>', text)
    assert re.search(r'<input type="radio" name="stars" value=""[^>]*>', text)
    assert f'<option value="{THANH_TAM_COMMUNE}" selected>' in text
    assert 'name="price_min" value="1000"' in text
    # Folded on a phone: the active filters show as chips, each with its remove link.
    assert '<details class="filters">' in text
    assert text.count("chips--active") == 1


# --- The product page ------------------------------------------------------------------------


def test_product_page_shows_the_certificate_the_cooperative_and_the_origin(client, market):
    cooperative = market.thanh_tam.cooperative
    cooperative.story = "<p>Men lá <em>rừng</em>.</p><script>alert(1)</script>"
    cooperative.save()
    page = client.get(market.honey.get_absolute_url())
    text = page.text
    block = re.search(r'<div class="ocop-certificate" data-certificate>(.*?)</div>', text, re.S)
    certificate = block.group(1)
    assert 'data-ocop-stars="4"' in certificate and "OCOP 4★" in certificate
    assert "2150/QĐ-UBND" in certificate and "UBND tỉnh Thái Nguyên" in certificate
    assert market.honey_certificate.valid_until.strftime("%d/%m/%Y") in certificate
    card = re.search(r'<div class="coop-card"[^>]*>(.*?)</div>\s*</div>', text, re.S).group(1)
    assert f'href="{cooperative.get_absolute_url()}"' in card
    assert "HTX rượu men lá Thanh Tâm" in card and "Xã Đồng Phúc, Thái Nguyên" in card
    assert "<em>rừng</em>" in card and "<script>" not in text.split("<main", 1)[1]
    origin = re.search(r'<section class="product-origin".*?</section>', text, re.S).group(0)
    assert "Xã Đồng Phúc, Thái Nguyên" in origin and "xã Bằng Phúc, huyện Chợ Đồn" in origin
    assert "Khối lượng (g)" in origin and "900" in origin
    assert 'class="alcohol-notice"' not in text


@pytest.mark.parametrize("name", ["plain", "expired", "unverified"])
def test_no_badge_without_a_certificate_in_force(client, market, name):
    text = client.get(getattr(market, name).get_absolute_url()).text
    assert "data-ocop-stars" not in text and "data-certificate" not in text
