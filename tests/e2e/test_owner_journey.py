"""A cooperative owner on a phone: signs in to the dashboard, sees the order line to ship, fills
in the cooperative's profile, adds a product with a photo, price and stock, publishes it, submits
an OCOP certificate with its PDF; the product is then in the shop. Debian's Chromium, live server.
"""

import datetime

import pytest
from oscar.apps.catalogue.models import Product
from playwright.sync_api import expect

from catalog.models import OcopCertificate
from cooperatives.models import Cooperative
from tests import factories
from tests.owner_market import OWNER_PASSWORD, build_market

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE, "locale": "vi-VN"}


@pytest.fixture
def files(tmp_path):
    photo = tmp_path / "goi-che.jpg"
    photo.write_bytes(factories.jpeg_bytes(size=(320, 240)))
    scan = tmp_path / "quyet-dinh-ocop.pdf"
    scan.write_bytes(factories.pdf_bytes())
    return {"photo": str(photo), "scan": str(scan)}


def test_owner_runs_their_cooperative_from_a_phone(page, live_server, home_page, files):
    market = build_market()
    owner = market.a.owner
    dashboard = live_server.url + "/shop/dashboard/"

    # Sign in.
    page.goto(dashboard)
    page.fill("#id_username", owner.email)
    page.fill("#id_password", OWNER_PASSWORD)
    page.locator("#dashboard_login_form [type=submit]").click()

    # Home: the line to pack and ship, nothing of the other cooperative.
    own_line = market.shared_order.lines.get(partner=market.a.partner)
    to_fulfil = page.locator("[data-panel=to-fulfil]")
    expect(to_fulfil.locator(f"tr[data-line='{own_line.pk}']")).to_contain_text(
        market.a.product.title
    )
    expect(to_fulfil).not_to_contain_text(market.b.product.title)

    # Profile, reached through the menu: a new commune picked after its province (loaded by
    # script), the phone number, the bank account.
    profile_link = page.locator("#bottom_nav_bar a[href='/shop/dashboard/cooperative/']")
    page.locator(".navbar-primary .navbar-toggler").click()
    menu_entry = page.locator("a[href='/shop/dashboard/cooperative/']")
    page.locator("#bottom_nav_bar li.dropdown").filter(has=menu_entry).locator(
        ".dropdown-toggle"
    ).click()
    profile_link.click()
    profile = page.locator("#profile_form")
    profile.locator("[name=short_name]").fill("HTX Chè Chợ Đồn")
    profile.locator("[name=province]").select_option("19")
    expect(profile.locator("[name=commune_code] option[value='02026']")).to_have_count(1)
    profile.locator("[name=commune_code]").select_option("02026")
    profile.locator("[name=phone_number]").fill("0912 345 678")
    profile.locator("[name=bank_bin]").select_option("970405", force=True)
    profile.locator("[name=bank_account_number]").fill("1234567890")
    profile.locator("[name=bank_account_holder]").fill("HTX CHE CHO DON")
    profile.locator("button[type=submit]:not([name])").click()
    expect(page.locator("#messages .alert-success")).to_be_visible()
    cooperative = Cooperative.objects.get(pk=market.a.cooperative.pk)
    assert (cooperative.name, cooperative.commune_code) == ("HTX Chè Chợ Đồn", "02026")
    assert cooperative.has_payout_account

    # A new product, not public yet: details, facts, group, photo, price and stock.
    page.goto(dashboard + "catalogue/")
    page.locator("#id_product_class").select_option(
        str(market.classes["san-pham-ocop"].pk), force=True
    )
    page.locator("#create_product_with_class_form [type=submit]").click()
    form = page.locator("#create_update_product_form")
    form.locator("[name=title]").fill("Chè xanh Bằng Phúc 250 g")
    form.locator("[name=is_public]").uncheck()
    page.locator("a[href='#product_attributes']").click()
    form.locator("[name=attr_weight_grams]").fill("300")
    form.locator("[name=attr_origin]").fill("Bằng Phúc, Thái Nguyên")
    page.locator("a[href='#product_category']").click()
    form.locator("[name='productcategory_set-0-category']").select_option(
        str(market.groups["thuc-pham-che-bien"].pk), force=True
    )
    page.locator("a[href='#product_images']").click()
    form.locator("[name='images-0-original']").set_input_files(files["photo"])
    page.locator("a[href='#product_stock']").click()
    form.locator("[name='stockrecords-0-price']").fill("85000")
    form.locator("[name='stockrecords-0-num_in_stock']").fill("25")
    form.locator("button[name=action][value=continue]").click()
    expect(page.locator("#messages .alert-success")).to_be_visible()
    product = Product.objects.get(title="Chè xanh Bằng Phúc 250 g")
    assert not product.is_public
    assert product.images.count() == 1
    record = product.stockrecords.get()
    assert (record.partner, record.price, record.num_in_stock) == (market.a.partner, 85000, 25)

    # Publish it.
    page.locator("#create_update_product_form [name=is_public]").check()
    page.locator("#create_update_product_form button[name=action][value=save]").click()
    expect(page.locator("#messages .alert-success")).to_be_visible()
    product.refresh_from_db()
    assert product.is_public

    # An OCOP certificate with the scan of the decision.
    page.goto(dashboard + "certificates/new/")
    certificate_form = page.locator("#certificate_form")
    certificate_form.locator("[name=decision_number]").fill("1234/QĐ-UBND")
    certificate_form.locator("[name=issuing_authority]").fill("UBND tỉnh Thái Nguyên")
    certificate_form.locator("[name=signed_on]").fill("2025-03-10")
    certificate_form.locator("[name=product_group]").select_option(
        str(market.groups["thuc-pham"].pk), force=True
    )
    certificate_form.locator("[name=product_name_certified]").fill("Chè xanh Bằng Phúc")
    certificate_form.locator(f"[name=products][value='{product.pk}']").check()
    certificate_form.locator("[name=document]").set_input_files(files["scan"])
    certificate_form.locator("button[type=submit]").click()
    certificate = OcopCertificate.objects.get(decision_number="1234/QĐ-UBND")
    expect(page.locator(f"tr[data-certificate='{certificate.pk}']")).to_have_attribute(
        "data-status", "submitted"
    )
    assert certificate.stars is None
    assert certificate.valid_until == datetime.date(2028, 3, 10)
    assert list(certificate.products.all()) == [product]

    # The product is in the shop, with its price.
    page.context.clear_cookies()
    page.goto(live_server.url + product.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Chè xanh Bằng Phúc 250 g")
    expect(page.locator(".product-page .price")).to_have_text("85.000\xa0₫")
