"""A shopper on a phone finds a product, buys it as a guest with cash on delivery, and sees the
confirmation with the right total: in Debian's Chromium, against the live server."""

import re

import pytest
from oscar.apps.order.models import Order
from playwright.sync_api import expect

from tests.e2e.steps import enter_guest_details, place_order

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE, "locale": "en-US"}


def test_guest_finds_a_product_and_pays_on_delivery(page, live_server, shop_catalogue):
    page.goto(live_server.url + "/")
    expect(page.locator("h1")).to_contain_text("Sản phẩm OCOP")

    # Search from the header, open the product.
    page.fill("#site-search-q", "men lá")
    page.press("#site-search-q", "Enter")
    page.get_by_role("link", name="Rượu men lá Bằng Phúc").first.click()
    expect(page.locator("h1")).to_have_text("Rượu men lá Bằng Phúc")
    expect(page.locator(".product-page .price")).to_have_text("120.000\xa0₫")

    page.fill("input[name=quantity]", "2")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator(".basket-link .count")).to_have_text("2")

    page.locator(".basket-link").click()
    # No address yet, so no delivery fee: the courier quotes it during checkout.
    expect(page.locator(".totals .price")).to_have_text("240.000\xa0₫")
    # A guest gives an e-mail address, then the address: province first, then its communes.
    enter_guest_details(page)

    # Payment: cash on delivery (bank transfer comes first and is the default).
    page.get_by_label(re.compile("Thanh toán khi nhận hàng")).check()
    page.get_by_role("button", name="Xem lại đơn hàng").click()

    # Review: items, quantities, shipping, total.
    expect(page.locator("h1")).to_have_text("Xác nhận đơn hàng")
    expect(page.locator("tr[data-line]")).to_contain_text("Rượu men lá Bằng Phúc")
    expect(page.locator("tr[data-line] td").nth(1)).to_have_text("2")
    # Delivery: the sandbox courier's quote for 1.8 kg within Thái Nguyên.
    expect(page.locator(".totals")).to_contain_text("27.000\xa0₫")
    expect(page.locator("[data-parcel]")).to_have_count(1)
    expect(page.locator(".totals .price")).to_have_text("267.000\xa0₫")
    place_order(page)

    # Confirmation.
    expect(page.locator("h1")).to_contain_text("Cảm ơn bạn")
    order = Order.objects.get()
    expect(page.locator("[data-order-number]")).to_have_text(order.number)
    expect(page.locator(".totals .price")).to_have_text("267.000\xa0₫")
    assert order.total_incl_tax == 267_000
    assert order.shipping_address.units.commune_code == "01933"


def test_a_province_picked_before_the_script_arrives_still_gets_its_communes(
    page, live_server, shop_catalogue
):
    """On a slow phone the shopper may choose the province before communes.js has run."""
    from pathlib import Path

    script = Path(__file__).resolve().parents[2] / "static" / "js" / "communes.js"
    page.route("**/js/communes.js", lambda route: route.abort())
    page.goto(live_server.url + shop_catalogue["noodles"].get_absolute_url())
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator(".basket-link .count")).to_have_text("1")
    page.goto(live_server.url + "/shop/checkout/")
    page.fill("input[name=username]", "khach@example.com")
    page.get_by_role("button", name="Tiếp tục").click()
    page.select_option("select[name=province]", "19")
    expect(page.locator("select[name=commune] option")).to_have_count(1)  # nothing loaded yet

    page.add_script_tag(path=str(script))  # the script arrives late

    expect(page.locator("select[name=commune] option[value='01933']")).to_have_count(1)
