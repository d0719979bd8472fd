import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_page_links_into_the_catalogue(client, shop_catalogue):
    page = client.get("/")
    assert page.status_code == 200
    text = page.text
    assert "Sản phẩm OCOP từ các hợp tác xã vùng cao" in text
    assert reverse("catalogue:index") in text
    assert shop_catalogue["drinks"].get_absolute_url() in text
    assert shop_catalogue["rice_wine"].get_absolute_url() in text
    assert "120.000\xa0₫" in text


def test_shared_header_and_footer_on_cms_and_shop_pages(client, shop_catalogue):
    for url in ("/", reverse("catalogue:index"), reverse("basket:summary")):
        text = client.get(url).text
        assert 'class="site-header"' in text and 'class="site-footer"' in text, url
        assert "Tất cả sản phẩm" in text, url


def test_category_lists_its_products_and_those_of_subcategories(client, shop_catalogue):
    page = client.get(shop_catalogue["drinks"].get_absolute_url())
    assert page.status_code == 200
    titles = [product.title for product in page.context["products"]]
    assert sorted(titles) == ["Rượu men lá Bằng Phúc", "Rượu nếp cẩm men lá"]
    assert "Miến dong" not in page.text


def test_category_with_a_changed_slug_redirects_to_its_address(client, shop_catalogue):
    drinks = shop_catalogue["drinks"]
    response = client.get(f"/shop/catalogue/category/old-name_{drinks.pk}/")
    assert response.status_code == 301
    assert response["Location"] == drinks.get_absolute_url()


def test_product_page_shows_price_stock_producer_and_weight(client, shop_catalogue):
    wine = shop_catalogue["rice_wine"]
    page = client.get(wine.get_absolute_url())
    assert page.status_code == 200
    text = page.text
    assert "Rượu men lá Bằng Phúc" in text
    assert "120.000\xa0₫" in text
    assert "HTX rượu men lá Thanh Tâm" in text
    assert "Xã Đồng Phúc, Thái Nguyên" in text
    assert "Khối lượng (g)" in text and "900" in text
    assert reverse("basket:add", kwargs={"pk": wine.pk}) in text
    assert "srcset=" in text and ".webp 320w" in text


def test_sold_out_product_cannot_be_added(client, shop_catalogue):
    page = client.get(shop_catalogue["sold_out"].get_absolute_url())
    assert reverse("basket:add", kwargs={"pk": shop_catalogue["sold_out"].pk}) not in page.text


def test_product_page_writes_nothing(client, shop_catalogue):
    with CaptureQueriesContext(connection) as queries:
        client.get(shop_catalogue["rice_wine"].get_absolute_url())
    writes = [
        q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))
    ]
    assert writes == []


def test_basket_shows_lines_and_totals_in_vnd(client, shop_catalogue):
    client.post(reverse("basket:add", kwargs={"pk": shop_catalogue["noodles"].pk}), {"quantity": 3})
    page = client.get(reverse("basket:summary"))
    assert "Miến dong Nam Cường" in page.text
    assert "195.000\xa0₫" in page.text
    # No address yet, so no courier quote: the total is the goods, delivery comes at checkout.
    assert page.context["shipping_method"].is_placeholder
    total = page.text.split('<tr class="total">', 1)[1].split("</tr>", 1)[0]
    assert "195.000\xa0₫" in total


def test_basket_line_can_be_removed_without_javascript(client, shop_catalogue):
    client.post(reverse("basket:add", kwargs={"pk": shop_catalogue["noodles"].pk}), {"quantity": 1})
    page = client.get(reverse("basket:summary"))
    formset = page.context["formset"]
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(formset.forms[0].instance.pk),
        "form-0-quantity": "1",
        "form-0-DELETE": "on",  # what the "Remove" submit button sends
    }
    client.post(reverse("basket:summary"), data)
    assert client.get(reverse("basket:summary")).context["basket"].is_empty


def test_search_finds_products_by_title(client, shop_catalogue):
    page = client.get(reverse("search:search"), {"q": "men lá"})
    titles = {product.title for product in page.context["products"]}
    assert titles == {"Rượu men lá Bằng Phúc", "Rượu nếp cẩm men lá"}


def test_content_page_renders_in_the_shared_layout(client, home_page):
    from shop.cms.models import StandardPage

    home_page.add_child(
        instance=StandardPage(title="Giới thiệu", slug="gioi-thieu", intro="Về chúng tôi")
    )
    page = client.get("/gioi-thieu/")
    assert page.status_code == 200
    assert "Về chúng tôi" in page.text and 'class="site-header"' in page.text


def test_communes_endpoint_lists_the_communes_of_a_province(client):
    response = client.get(reverse("address-communes"), {"province": "19"})
    units = response.json()
    assert {"code": "01933", "name": "Xã Đồng Phúc"} in units
    assert all(unit["code"] != "00070" for unit in units)  # Hoàn Kiếm is in Hà Nội
    assert client.get(reverse("address-communes"), {"province": "zz"}).json() == []
