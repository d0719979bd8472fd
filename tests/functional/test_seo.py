"""What crawlers and chat apps read: the sitemap, robots.txt, Open Graph tags and schema.org data
of product, cooperative and Wagtail pages (shop/seo/)."""

import io
import json
from html.parser import HTMLParser

import pytest
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from oscar.apps.catalogue.reviews.models import ProductReview
from wagtail.images import get_image_model

from shop.cms.models import StandardPage
from tests import factories

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


class HeadReader(HTMLParser):
    """The <meta>, canonical <link> and JSON-LD scripts of a page."""

    def __init__(self):
        super().__init__()
        self.meta: dict[str, list[str]] = {}
        self.canonical: list[str] = []
        self.structured_data: list[dict] = []
        self._in_ld_json = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs.get("content", ""))
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical.append(attrs["href"])
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld_json = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld_json = False

    def handle_data(self, data):
        if self._in_ld_json:
            self.structured_data.append(json.loads(data))

    def one(self, key):
        values = self.meta.get(key, [])
        assert len(values) == 1, (key, values)
        return values[0]

    def of_type(self, schema_type):
        return [data for data in self.structured_data if data["@type"] == schema_type]


def read(response) -> HeadReader:
    assert response.status_code == 200
    reader = HeadReader()
    reader.feed(response.content.decode())
    return reader


def locations(response) -> set[str]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    text = response.content.decode()
    return {part.split("</loc>")[0] for part in text.split("<loc>")[1:]}


def wagtail_image(title="Ruộng lúa Bằng Phúc"):
    image_bytes = factories.jpeg_bytes(size=(1400, 900))
    return get_image_model().objects.create(
        title=title, file=ImageFile(io.BytesIO(image_bytes), name="ruong-lua.jpg")
    )


def inactive(partner):
    partner.cooperative.is_active = False
    partner.cooperative.save(update_fields=["is_active"])
    return partner.cooperative


# --- Sitemap and robots.txt -----------------------------------------------------------------


def test_sitemap_index_names_each_section_on_the_requested_host(client, shop_catalogue):
    sections = locations(client.get("/sitemap.xml"))
    assert sections == {
        f"{HOST}/sitemap-{name}.xml" for name in ("pages", "products", "cooperatives", "categories")
    }
    assert client.get("/sitemap-nothing.xml").status_code == 404
    assert client.get("/sitemap-products.xml", {"p": "abc"}).status_code == 404
    assert client.get("/sitemap-products.xml", {"p": "9"}).status_code == 404


def test_sitemap_lists_what_shoppers_see_and_nothing_else(client, home_page, shop_catalogue):
    about = home_page.add_child(instance=StandardPage(title="Giới thiệu", slug="gioi-thieu"))
    draft = home_page.add_child(instance=StandardPage(title="Nháp", slug="nhap", live=False))
    noodles, honey = shop_catalogue["noodles"], shop_catalogue["sold_out"]
    hidden = factories.product("Trà hoa vàng ẩn", 300_000, 5, noodles.stockrecords.first().partner)
    hidden.is_public = False
    hidden.save()
    closed_partner = factories.cooperative("HTX đã ngừng", "01933")
    closed_product = factories.product("Măng khô HTX đã ngừng", 90_000, 5, closed_partner)
    closed = inactive(closed_partner)
    drink = factories.product(
        "Rượu ngô 35%",
        150_000,
        5,
        noodles.stockrecords.first().partner,
        klass=factories.alcohol_class(),
    )
    empty_category = factories.category("Chưa có hàng")

    pages = locations(client.get("/sitemap-pages.xml"))
    assert f"{HOST}/" in pages
    assert f"{HOST}{about.url}" in pages
    assert f"{HOST}{draft.url}" not in pages

    products = locations(client.get("/sitemap-products.xml"))
    assert f"{HOST}{noodles.get_absolute_url()}" in products
    assert f"{HOST}{honey.get_absolute_url()}" in products  # sold out, still a page
    for unseen in (hidden, closed_product, drink):
        assert f"{HOST}{unseen.get_absolute_url()}" not in products

    cooperatives = locations(client.get("/sitemap-cooperatives.xml"))
    partner = noodles.stockrecords.first().partner
    assert f"{HOST}{partner.cooperative.get_absolute_url()}" in cooperatives
    assert f"{HOST}{closed.get_absolute_url()}" not in cooperatives

    categories = locations(client.get("/sitemap-categories.xml"))
    assert f"{HOST}{shop_catalogue['food'].get_absolute_url()}" in categories
    assert f"{HOST}{empty_category.get_absolute_url()}" not in categories
    # Every category listed opens (its full slug was joined right).
    for location in categories:
        assert client.get(location.removeprefix(HOST)).status_code == 200, location


def test_product_sitemap_gives_the_date_each_product_changed(client, shop_catalogue):
    noodles = shop_catalogue["noodles"]
    text = client.get("/sitemap-products.xml").content.decode()
    entry = text.split(noodles.get_absolute_url())[1].split("</url>")[0]
    changed_on = timezone.localtime(noodles.date_updated).date()
    assert f"<lastmod>{changed_on.isoformat()}</lastmod>" in entry


def test_sitemap_queries_do_not_grow_with_the_catalogue(client, shop_catalogue):
    partner = shop_catalogue["noodles"].stockrecords.first().partner

    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            for url in ("/sitemap.xml", "/sitemap-products.xml", "/sitemap-categories.xml"):
                assert client.get(url).status_code == 200
        return len(queries)

    count_queries()  # content types and the site's root paths are cached from then on
    few = count_queries()
    for number in range(17):
        factories.product(f"Miến dong số {number}", 60_000, 5, partner, [shop_catalogue["food"]])
    assert count_queries() == few


def test_robots_txt_keeps_crawlers_out_of_private_and_endless_pages(client, home_page):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in (
        "/admin/",
        "/django-admin/",
        "/shop/basket/",
        "/shop/checkout/",
        "/shop/accounts/",
        "/shop/dashboard/",
        "/shop/search/",
        "/payments/",
        "/logistics/",
        "/xac-nhan-tuoi/",
    ):
        assert f"Disallow: {path}" in lines
    assert "Disallow: /shop/catalogue/" not in lines
    assert f"Sitemap: {HOST}/sitemap.xml" in lines


# --- Product pages --------------------------------------------------------------------------


def test_product_page_shares_picture_name_and_price(
    client, shop_catalogue, django_capture_on_commit_callbacks
):
    wine = shop_catalogue["rice_wine"]  # has a photo; its class is not an alcoholic-drink class
    with django_capture_on_commit_callbacks(execute=True):
        wine.images.get().save()  # as when an owner saves the photo: its share picture is made
    certificate = factories.certificate(wine.stockrecords.first().partner, [wine], stars=4)
    head = read(client.get(wine.get_absolute_url()))

    url = f"{HOST}{wine.get_absolute_url()}"
    assert head.canonical == [url]
    assert head.one("og:url") == url
    assert head.one("og:type") == "product"
    assert head.one("og:title") == wine.get_title()
    assert head.one("og:description") == "Mô tả Rượu men lá Bằng Phúc"
    assert head.one("og:site_name") == "Chợ OCOP"
    assert head.one("og:locale") == "vi_VN"
    image = head.one("og:image")
    assert image.startswith(f"{HOST}/media/") and image.endswith("-share.jpg")
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
    assert client.get(image.removeprefix(HOST)).status_code == 200
    assert head.one("product:price:amount") == "120000"
    assert head.one("product:price:currency") == "VND"
    assert head.one("product:availability") == "in stock"
    assert head.one("twitter:card") == "summary_large_image"

    (data,) = head.of_type("Product")
    assert data["name"] == wine.get_title()
    assert data["url"] == url
    assert data["image"] == [image]
    assert data["sku"] == wine.upc
    assert data["brand"]["name"] == "HTX rượu men lá Thanh Tâm"
    offer = data["offers"]
    assert (offer["price"], offer["priceCurrency"]) == ("120000", "VND")
    assert offer["availability"] == "https://schema.org/InStock"
    assert offer["seller"]["@type"] == "Organization"
    assert offer["seller"]["name"] == "HTX rượu men lá Thanh Tâm"
    assert data["additionalProperty"][0]["value"] == certificate.stars
    assert "aggregateRating" not in data


def test_photos_saved_before_share_pictures_existed(client, shop_catalogue):
    wine = shop_catalogue["rice_wine"]  # its photo was saved outside any commit
    head = read(client.get(wine.get_absolute_url()))
    original = f"{HOST}{wine.images.get().original.url}"
    assert head.one("og:image") == original
    assert "og:image:width" not in head.meta

    call_command("make_share_pictures", stdout=io.StringIO())
    head = read(client.get(wine.get_absolute_url()))
    assert head.one("og:image").endswith("-share.jpg")
    assert head.one("og:image:width") == "1200"


def test_sold_out_product_without_photo_still_shares(client, shop_catalogue):
    honey = shop_catalogue["sold_out"]
    head = read(client.get(honey.get_absolute_url()))
    assert "og:image" not in head.meta
    assert head.one("twitter:card") == "summary"
    assert head.one("product:availability") == "out of stock"
    (data,) = head.of_type("Product")
    assert "image" not in data
    assert data["offers"]["availability"] == "https://schema.org/OutOfStock"
    assert data["offers"]["price"] == "190000"
    assert "additionalProperty" not in data


def test_reviews_give_an_aggregate_rating(client, shop_catalogue):
    noodles = shop_catalogue["noodles"]
    for score in (4, 5):
        ProductReview.objects.create(
            product=noodles,
            score=score,
            title="Ngon",
            body="Miến dai.",
            name="Lan",
            email="lan@example.vn",
            status=ProductReview.APPROVED,
        )
    noodles.refresh_from_db()
    (data,) = read(client.get(noodles.get_absolute_url())).of_type("Product")
    assert data["aggregateRating"]["ratingValue"] == 4.5
    assert data["aggregateRating"]["reviewCount"] == 2


def test_product_text_cannot_break_out_of_the_json_script(client, shop_catalogue):
    noodles = shop_catalogue["noodles"]
    noodles.title = 'Miến </script><script>alert("x")</script> & "dong"'
    noodles.save()
    response = client.get(noodles.get_absolute_url())
    assert '<script>alert("x")' not in response.content.decode()
    (data,) = read(response).of_type("Product")
    assert data["name"] == noodles.title


def test_drink_behind_the_age_gate_shares_nothing_of_the_product(client, shop_catalogue):
    partner = shop_catalogue["noodles"].stockrecords.first().partner
    drink = factories.product("Rượu ngô 35%", 150_000, 5, partner, klass=factories.alcohol_class())
    response = client.get(drink.get_absolute_url())
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    head = read(response)
    assert head.meta["robots"] == ["noindex"]
    assert head.canonical == []
    assert "og:url" not in head.meta
    assert "product:price:amount" not in head.meta
    assert head.structured_data == []
    assert "Rượu ngô" not in head.one("og:title")


# --- Cooperative and Wagtail pages ----------------------------------------------------------


def test_cooperative_page_shares_its_logo_story_and_address(
    client, shop_catalogue, django_capture_on_commit_callbacks
):
    partner = shop_catalogue["noodles"].stockrecords.first().partner
    cooperative = partner.cooperative
    cooperative.story = "<p>Miến dong làm từ củ dong riềng của <b>bà con</b> Nam Cường.</p>"
    cooperative.street_address = "Thôn Nà Pài"
    cooperative.phone_number = "0912345678"
    cooperative.logo.save(
        "logo.jpg", ContentFile(factories.jpeg_bytes(size=(300, 300))), save=False
    )
    with django_capture_on_commit_callbacks(execute=True):
        cooperative.save()

    head = read(client.get(cooperative.get_absolute_url()))
    url = f"{HOST}{cooperative.get_absolute_url()}"
    assert head.canonical == [url]
    assert head.one("og:title") == cooperative.name
    assert head.one("og:description") == "Miến dong làm từ củ dong riềng của bà con Nam Cường."
    assert head.one("og:image").startswith(f"{HOST}/media/")
    assert head.one("og:image").endswith("-share.jpg")
    assert head.one("business:contact_data:phone_number") == "+84912345678"

    (data,) = head.of_type("Organization")
    assert data["name"] == cooperative.name
    assert data["url"] == url
    assert data["telephone"] == "+84912345678"
    assert data["logo"] == head.one("og:image")
    assert data["address"]["streetAddress"] == "Thôn Nà Pài"
    assert data["address"]["addressLocality"] == cooperative.commune.name
    assert data["address"]["addressRegion"] == cooperative.province.name
    assert data["address"]["addressCountry"] == "VN"


def test_wagtail_page_shares_its_social_image(client, home_page):
    page = home_page.add_child(
        instance=StandardPage(
            title="Chính sách đổi trả",
            slug="doi-tra",
            intro="Đổi trả trong 7 ngày.",
            seo_title="Đổi trả hàng OCOP",
            social_image=wagtail_image(),
        )
    )
    head = read(client.get(page.url))
    assert head.canonical == [f"{HOST}{page.url}"]
    assert head.one("og:title") == "Đổi trả hàng OCOP"
    assert head.one("og:description") == "Đổi trả trong 7 ngày."
    image = head.one("og:image")
    assert image.startswith(f"{HOST}/media/")
    assert (head.one("og:image:width"), head.one("og:image:height")) == ("1200", "630")
    assert client.get(image.removeprefix(HOST)).status_code == 200


def test_home_page_describes_the_market(client, home_page):
    head = read(client.get("/"))
    assert head.one("og:type") == "website"
    assert head.one("og:url") == f"{HOST}/"
    (website,) = head.of_type("WebSite")
    assert website["url"] == f"{HOST}/"
    assert website["potentialAction"]["target"].startswith(f"{HOST}/shop/search/?q=")
    (organization,) = head.of_type("Organization")
    assert organization["name"] == "Chợ OCOP"


def test_other_pages_share_the_market_with_their_own_address(client, shop_catalogue):
    head = read(client.get("/shop/catalogue/", {"page": "1", "sort_by": "price"}))
    assert head.canonical == [f"{HOST}/shop/catalogue/"]
    assert head.one("og:site_name") == "Chợ OCOP"
    assert head.one("og:type") == "website"
    assert head.one("og:title")
    assert head.one("og:description")
