"""A commerce officer, on a phone, features a product of its region on the home page: it adds a
"featured products" block, finds the product in the chooser by typing without diacritics (another
region's product is never offered), publishes, and a shopper then sees the product with its live
price. In Debian's Chromium, against the live server."""

import re

import pytest
from playwright.sync_api import expect

from cooperatives.models import Region
from shop.cms.models import HomePage
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PASSWORD = "officer-pass-2026"
HEADING = "Sản phẩm tiêu biểu của vùng"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE, "locale": "vi-VN"}


@pytest.fixture
def market(home_page):
    """Bằng Phúc (commune 01933) is in the officer's region; Nam Cường (02020), whose noodles
    answer the same search, is in another region."""
    factories.officer(
        "canbo@cho-ocop.test", ["01933"], password=PASSWORD, first_name="Hà", last_name="Cán bộ"
    )
    bang_phuc = factories.cooperative("HTX Nông sản Bằng Phúc", "01933")
    noodles = factories.product("Miến dong Bằng Phúc", 180_000, 5, bang_phuc, image=True)
    factories.product("Mật ong hoa bạc hà Bằng Phúc", 210_000, 8, bang_phuc)
    Region.objects.create(name="Vùng Na Rì", slug="vung-na-ri", commune_codes=["02020"])
    nam_cuong = factories.cooperative("HTX Miến dong Nam Cường", "02020")
    factories.product("Miến dong Nam Cường", 65_000, 80, nam_cuong)
    return {"noodles": noodles}


@pytest.fixture
def shopper(browser, browser_context_args):
    """A visitor in a browser context of its own, never logged in."""
    context = browser.new_context(**browser_context_args)
    yield context.new_page()
    context.close()


def featured_sections(page):
    return page.locator("section.featured-products")


def test_officer_features_a_product_on_the_home_page(page, shopper, live_server, market):
    noodles = market["noodles"]

    # Before: the home page features nothing; both cooperatives' noodles are on sale.
    shopper.goto(live_server.url + "/")
    expect(shopper.locator("h1")).to_have_text("Sản phẩm OCOP từ các hợp tác xã vùng cao")
    expect(featured_sections(shopper)).to_have_count(0)
    expect(shopper.locator(".product-card__title", has_text="Miến dong Nam Cường")).to_be_visible()

    # The officer logs in and opens the home page's editor from the admin menu.
    page.goto(live_server.url + "/admin/")
    page.fill("input[name=username]", "canbo@cho-ocop.test")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.locator(".sidebar-nav-toggle--mobile").click()
    page.locator("#wagtail-sidebar").get_by_role("link", name="Trang chủ", exact=True).click()
    home = HomePage.objects.get()
    expect(page).to_have_url(re.compile(rf"/admin/pages/{home.pk}/edit/$"))

    # A "featured products" block, from the block picker of the body.
    body = page.locator('[data-contentpath="body"]')
    body.locator("button.c-sf-add-button").first.click()
    page.get_by_role("option", name="Sản phẩm nổi bật", exact=True).click()
    page.fill("input[name=body-0-value-heading]", HEADING)
    body.locator('[data-contentpath="products"] [data-chooser-action-choose]').first.click()

    # The chooser: typed without diacritics, only the region's product answers, not the other
    # region's noodles on sale above.
    modal = page.locator(".modal")
    expect(modal.locator("input[name=q]")).to_be_visible()
    modal.locator("input[name=q]").fill("mien dong")
    choices = modal.locator("a[data-chooser-modal-choice]")
    expect(choices).to_have_text(["Miến dong Bằng Phúc"])
    expect(modal).not_to_contain_text("Nam Cường")
    choices.first.click()
    expect(modal).to_be_hidden()
    chosen = body.locator('[data-contentpath="products"] [data-chooser-title]').first
    expect(chosen).to_have_text("Miến dong Bằng Phúc")
    expect(page.locator("#body-0-value-products-0-value")).to_have_value(str(noodles.pk))

    # Publish: the action sits in the menu next to "Save draft".
    publish = page.locator("button[name=action-publish]")
    page.locator(".w-dropdown-button", has=publish).locator(".w-dropdown__toggle").click()
    publish.click()
    expect(page.locator(".messages .success")).to_contain_text("Chợ OCOP")

    home = HomePage.objects.get()
    assert not home.has_unpublished_changes
    assert [
        (block.block_type, block.value["heading"], [item.pk for item in block.value["products"]])
        for block in home.body
    ] == [("featured_products", HEADING, [noodles.pk])]

    # The shopper comes back and sees the featured product with its live price.
    shopper.reload()
    featured = featured_sections(shopper)
    expect(featured).to_have_count(1)
    expect(featured.locator("h2")).to_have_text(HEADING)
    card = featured.locator(".product-card")
    expect(card).to_have_count(1)
    expect(card.locator(".product-card__title")).to_have_text("Miến dong Bằng Phúc")
    expect(card.locator(".price")).to_have_text("180.000\xa0₫")
    card.locator(".product-card__title a").click()
    expect(shopper).to_have_url(live_server.url + noodles.get_absolute_url())
    expect(shopper.locator("h1")).to_have_text("Miến dong Bằng Phúc")
