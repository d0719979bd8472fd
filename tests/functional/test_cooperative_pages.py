"""The cooperatives' public pages: a list by province and commune, and each one's own page with
its story (sanitised), photos, contact, certificates in force and products."""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cooperatives.models import CooperativePhoto
from tests import factories
from tests.shopper import build_market

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(home_page):
    return build_market()


def test_list_groups_active_cooperatives_by_province_and_commune(client, market):
    page = client.get(reverse("cooperatives:list"))
    assert page.status_code == 200
    text = page.text
    assert reverse("cooperatives:list") == "/hop-tac-xa/"
    province = text.index("Thái Nguyên</h2>")
    dong_phuc = text.index("Xã Đồng Phúc</h3>")
    nam_cuong = text.index("Xã Nam Cường</h3>")
    assert province < dong_phuc < nam_cuong
    assert text.index("HTX rượu men lá Thanh Tâm") > dong_phuc
    assert text.index("HTX Miến dong Nam Cường") > nam_cuong
    assert "xã Bằng Phúc, huyện Chợ Đồn" in text  # the former locality, as history
    assert "HTX Đã nghỉ" not in text
    assert market.thanh_tam.cooperative.get_absolute_url() in text


def test_detail_page(client, market, django_capture_on_commit_callbacks):
    cooperative = market.nam_cuong.cooperative
    cooperative.story = (
        "<p>Củ dong riềng <strong>trồng trên nương</strong>.</p>"
        '<script>alert("x")</script><p onclick="steal()">Sợi miến dai.</p>'
    )
    cooperative.street_address = "Thôn Nà Quang"
    cooperative.phone_number = "+84912345604"
    cooperative.email = "namcuong@htx.test"
    cooperative.save()
    with django_capture_on_commit_callbacks(execute=True):  # the WebP renditions
        CooperativePhoto.objects.create(
            cooperative=cooperative,
            image=ContentFile(factories.jpeg_bytes(), name="xuong.jpg"),
            caption="Xưởng tráng miến",
        )

    url = cooperative.get_absolute_url()
    assert url == f"/hop-tac-xa/{cooperative.slug}/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.text
    assert "<strong>trồng trên nương</strong>" in text
    assert "<script>" not in text and "onclick" not in text and "steal()" not in text
    assert 'alt="Xưởng tráng miến"' in text and "xuong" in text and ".webp 640w" in text
    assert "Xã Nam Cường, Thái Nguyên" in text
    assert "Thôn Nà Quang" in text and 'href="tel:+84912345604"' in text
    assert "namcuong@htx.test" in text
    # Certificates in force only: the 5★ and 3★ ones, not the one waiting for an officer.
    certificates = re.findall(r"<li data-certificate>.*?</li>", text, re.S)
    assert len(certificates) == 2
    assert "142/QĐ-BNNMT" in certificates[0] and 'data-ocop-stars="5"' in certificates[0]
    assert {p.title for p in page.context["products"]} == {
        "Chè Shan tuyết",
        "Miến dong Nam Cường",
        "Nấm hương",
    }


def test_products_are_paginated_and_filterable(client, market):
    for number in range(23):
        factories.product(f"Miến thêm {number}", 60_000, 5, market.nam_cuong, [market.food])
    url = market.nam_cuong.cooperative.get_absolute_url()
    first = client.get(url)
    assert len(first.context["products"]) == 20 and first.context["paginator"].count == 26
    second = client.get(url, {"page": "2"})
    assert len(second.context["products"]) == 6
    assert client.get(url, {"page": "junk"}).status_code == 200
    assert {p.title for p in client.get(url, {"stars": "5"}).context["products"]} == {
        "Chè Shan tuyết"
    }


def test_inactive_or_unknown_cooperative_is_404(client, market):
    assert client.get(market.closed.cooperative.get_absolute_url()).status_code == 404
    assert client.get("/hop-tac-xa/khong-co/").status_code == 404
    assert client.get("/hop-tac-xa/%00/").status_code == 404


def test_product_page_links_to_the_cooperative(client, market):
    page = client.get(market.honey.get_absolute_url())
    assert market.thanh_tam.cooperative.get_absolute_url() in page.text


def test_detail_page_costs_the_same_with_more_products(client, market):
    url = market.thanh_tam.cooperative.get_absolute_url()

    def count():
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    small = count()
    for number in range(30):
        product = factories.product(
            f"Mật ong {number}", 100_000, 5, market.thanh_tam, [market.food], image=True
        )
        factories.certificate(market.thanh_tam, [product], stars=3)
    assert count() == small
    list_page = reverse("cooperatives:list")
    client.get(list_page)
    with CaptureQueriesContext(connection) as captured:
        client.get(list_page)
    assert len(captured) <= 6
