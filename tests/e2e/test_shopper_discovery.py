"""A shopper on a phone narrows the catalogue to 4★ products of one commune, checks a product's
OCOP badge, its cooperative and its traceability page, then passes the age gate to buy a rice
wine. And an owner's label sheet prints a QR code that a real decoder reads back."""

import io
import re

import pytest
from django.test import Client
from PIL import Image
from playwright.sync_api import expect

from catalog import trace
from tests import factories
from tests.shopper import THANH_TAM_COMMUNE, build_market

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE, "locale": "en-US"}


@pytest.fixture
def market(home_page):
    return build_market()


def test_shopper_filters_checks_origin_and_buys_a_wine(page, live_server, market):
    page.goto(live_server.url + "/shop/catalogue/")
    expect(page.locator(".product-card")).to_have_count(6)  # the wine waits behind the gate
    expect(page.locator("[data-hidden-drinks]")).to_be_visible()

    # One tap on "OCOP 4★+", then a commune from the filter form (plain GET, no script).
    page.locator(".chips--stars a[data-stars='4']").click()
    expect(page).to_have_url(re.compile(r"stars=4"))
    expect(page.locator(".product-card")).to_have_count(2)
    page.locator("details.filters summary").click()
    page.select_option("select[name=commune]", THANH_TAM_COMMUNE)
    page.locator(".filters__form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"commune={THANH_TAM_COMMUNE}"))
    expect(page).to_have_url(re.compile(r"stars=4"))
    cards = page.locator(".product-card")
    expect(cards).to_have_count(1)
    expect(cards.first.locator("[data-ocop-stars='4']")).to_have_text("OCOP 4★")

    # The product page: badge with its certificate, the cooperative's card, then traceability.
    cards.first.locator(".product-card__title a").click()
    expect(page.locator("h1")).to_have_text("Mật ong Bằng Phúc")
    certificate = page.locator(".ocop-certificate")
    expect(certificate.locator("[data-ocop-stars='4']")).to_be_visible()
    expect(certificate).to_contain_text("2150/QĐ-UBND")
    expect(certificate).to_contain_text(market.honey_certificate.valid_until.strftime("%d/%m/%Y"))
    coop_card = page.locator(".coop-card")
    expect(coop_card).to_contain_text("HTX rượu men lá Thanh Tâm")
    expect(coop_card).to_contain_text("Xã Đồng Phúc, Thái Nguyên")
    page.locator("a.trace-link").click()
    expect(page).to_have_url(re.compile(re.escape(trace.path_for(market.honey.pk))))
    expect(page.locator("[data-certificate]")).to_contain_text("UBND tỉnh Thái Nguyên")
    expect(page.locator(".trace-page h1")).to_have_text("Mật ong Bằng Phúc")

    # A rice wine: the gate first, then the product, then the basket.
    page.goto(live_server.url + market.wine.get_absolute_url())
    gate = page.locator("[data-age-gate]")
    expect(gate).to_be_visible()
    expect(page.locator(".buy-box")).to_have_count(0)
    page.fill("input[name=date_of_birth]", "1990-05-01")
    page.check("input[name=confirm]")
    gate.locator("button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Rượu men lá 29%")
    expect(page.locator(".alcohol-facts [data-fact=abv_percent]")).to_have_text("29")
    expect(page.locator(".alcohol-notice").first).to_be_visible()
    page.locator(".buy-box button[type=submit]").click()
    expect(page.locator(".basket-link .count")).to_have_text("1")


def test_a_printed_label_qr_reads_back_as_the_trace_url(page, live_server, market):
    zxingcpp = pytest.importorskip("zxingcpp", reason="zxing-cpp (dev dependency) is missing")
    owner = factories.owner(market.thanh_tam)
    client = Client()
    client.force_login(owner)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/truy-xuat/nhan/{market.honey.pk}/?count=3")
    labels = page.locator("[data-label]")
    expect(labels).to_have_count(3)
    expect(labels.first).to_contain_text(trace.code_for(market.honey.pk))

    picture = Image.open(io.BytesIO(labels.first.locator("svg").screenshot()))
    results = zxingcpp.read_barcodes(picture)
    assert [result.text for result in results] == [trace.url_for(market.honey.pk)]

    page.emulate_media(media="print")
    expect(page.locator(".toolbar")).to_be_hidden()
