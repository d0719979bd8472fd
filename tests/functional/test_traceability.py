"""The traceability page a label's QR opens, and the printable sheet of QR labels for owners."""

import re
from html import unescape

import pytest
import qrcode
from django.urls import reverse
from PIL import Image

from catalog import qr, trace
from tests import factories
from tests.shopper import build_market

pytestmark = pytest.mark.django_db


@pytest.fixture
def market(home_page):
    return build_market()


def test_trace_page_shows_origin_producer_certificate_and_facts(client, market):
    code = trace.code_for(market.honey.pk)
    url = trace.path_for(market.honey.pk)
    assert url == f"/truy-xuat/{code}/"
    page = client.get(url)
    assert page.status_code == 200
    text = page.text
    assert "Mật ong Bằng Phúc" in text and code in text
    assert "Xã Đồng Phúc, Thái Nguyên" in text
    assert "xã Bằng Phúc, huyện Chợ Đồn" in text
    assert market.thanh_tam.cooperative.get_absolute_url() in text
    certificate = re.search(r"<dl class=\"facts\" data-certificate>(.*?)</dl>", text, re.S)
    block = certificate.group(1)
    honey_certificate = market.honey_certificate
    assert "2150/QĐ-UBND" in block and "UBND tỉnh Thái Nguyên" in block
    assert honey_certificate.valid_until.strftime("%d/%m/%Y") in block
    assert 'data-ocop-stars="4"' in text
    assert "Khối lượng (g)" in text and "900" in text
    assert f'href="{market.honey.get_absolute_url()}"' in text
    assert "data-no-certificate" not in text


def test_trace_page_says_when_no_certificate_is_in_force(client, market):
    for product in (market.plain, market.expired, market.unverified):
        page = client.get(trace.path_for(product.pk))
        assert page.status_code == 200
        assert "data-no-certificate" in page.text and "data-ocop-stars" not in page.text


def test_origin_attribute_wins_over_the_commune(client, market):
    from tests.shopper import confirm_age

    confirm_age(client)
    page = client.get(trace.path_for(market.wine.pk))
    assert "Gạo nếp nương Bằng Phúc" in page.text
    assert "Số 03/GP-SXR" in page.text


def test_bad_codes_are_not_found(client, market):
    good = trace.code_for(market.honey.pk)
    mistyped = good[:-1] + str((int(good[-1]) + 1) % 10)
    swapped = good[:-3] + good[-2] + good[-3] + good[-1]
    unknown = trace.code_for(987654)
    for code in (mistyped, "abcdefg", "12", "0" * 30, unknown, "%00", "٠١٢٣٤٥٦٧"):
        if code == good:
            continue
        assert client.get(f"/truy-xuat/{code}/").status_code == 404, code
    if swapped != good:
        assert client.get(f"/truy-xuat/{swapped}/").status_code == 404


def test_hidden_products_have_no_trace_page(client, market):
    assert client.get(trace.path_for(market.closed_product.pk)).status_code == 404
    market.plain.is_public = False
    market.plain.save()
    assert client.get(trace.path_for(market.plain.pk)).status_code == 404


def test_product_page_links_to_its_trace_page(client, market):
    page = client.get(market.honey.get_absolute_url())
    assert trace.path_for(market.honey.pk) in page.text


# --- Label sheets ---------------------------------------------------------------------------


def labels_url(product, count=None):
    url = reverse("trace-labels", kwargs={"product_id": product.pk})
    return url if count is None else f"{url}?count={count}"


def test_label_sheet_url(market):
    assert labels_url(market.honey) == f"/truy-xuat/nhan/{market.honey.pk}/"


def test_label_sheet_only_for_staff_and_the_cooperative(client, market, django_user_model):
    url = labels_url(market.honey)
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]

    client.force_login(factories.owner(market.nam_cuong))
    assert client.get(url).status_code == 403
    shopper = django_user_model.objects.create_user(email="khach@example.com", password="x" * 12)
    client.force_login(shopper)
    assert client.get(url).status_code == 403
    assert client.get(reverse("trace-labels", kwargs={"product_id": 999999})).status_code == 404

    client.force_login(factories.owner(market.thanh_tam))
    assert client.get(url).status_code == 200
    staff = django_user_model.objects.create_user(email="admin@example.com", password="x" * 12)
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    ("count", "labels"), [(None, 24), ("3", 3), ("48", 48), ("junk", 24), ("-5", 1), ("9999", 240)]
)
def test_label_count(client, market, count, labels):
    client.force_login(factories.owner(market.thanh_tam))
    page = client.get(labels_url(market.honey, count))
    assert page.status_code == 200
    assert page.text.count("data-label>") == labels
    assert page.text.count('class="sheet"') == -(-labels // 24)


def symbol_path(text: str) -> tuple[int, str]:
    match = re.search(r'<symbol id="qr" viewBox="0 0 (\d+) \d+">.*?<path d="([^"]+)"', text, re.S)
    return int(match.group(1)), unescape(match.group(2))


def test_labels_carry_the_qr_of_the_trace_url_name_cooperative_code_and_star(client, market):
    client.force_login(factories.owner(market.thanh_tam))
    text = client.get(labels_url(market.honey, 3)).text
    url = trace.url_for(market.honey.pk)
    assert url.endswith(trace.path_for(market.honey.pk)) and url.startswith("http")

    size, path = symbol_path(text)
    expected = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=qr.BORDER)
    expected.add_data(url)
    expected.make(fit=True)
    matrix = expected.get_matrix()
    assert size == len(matrix)
    assert qr.dark_modules(path) == {
        (x, y) for y, row in enumerate(matrix) for x, dark in enumerate(row) if dark
    }
    assert text.count('<use href="#qr"/>') == 3
    label = re.search(r"<div class=\"label\" data-label>(.*?)</div>\s*</div>", text, re.S).group(1)
    assert "Mật ong Bằng Phúc" in label
    assert "HTX rượu men lá Thanh Tâm" in label
    assert trace.code_for(market.honey.pk) in label
    assert 'data-ocop-stars="4"' in label
    # A product without a certificate in force has no star on its labels.
    assert "data-ocop-stars" not in client.get(labels_url(market.expired, 3)).text


def test_label_qr_decodes_to_the_trace_url(client, market):
    """Draw the page's QR modules as pixels and read them with a real decoder (zxing-cpp)."""
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (dev dependency) is missing")
    client.force_login(factories.owner(market.thanh_tam))
    size, path = symbol_path(client.get(labels_url(market.honey, 1)).text)
    scale = 8
    image = Image.new("L", (size * scale, size * scale), 255)
    pixels = image.load()
    for x, y in qr.dark_modules(path):
        for dx in range(scale):
            for dy in range(scale):
                pixels[x * scale + dx, y * scale + dy] = 0
    results = zxingcpp.read_barcodes(image)
    assert [result.text for result in results] == [trace.url_for(market.honey.pk)]
