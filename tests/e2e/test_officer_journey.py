"""A commerce officer, on a phone, logs into the Wagtail admin, onboards a cooperative by inviting
its owner, then reads a submitted OCOP certificate, sets 4 stars and verifies it: the product
page then shows the 4-star badge. In Debian's Chromium, against the live server."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from catalog.models import OcopCertificate
from cooperatives.models import Cooperative
from tests import factories

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PASSWORD = "officer-pass-2026"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE, "locale": "vi-VN"}


@pytest.fixture
def market(home_page):
    officer = factories.officer(
        "canbo@cho-ocop.test", ["01933"], password=PASSWORD, first_name="Hà", last_name="Cán bộ"
    )
    partner = factories.cooperative("HTX rượu men lá Thanh Tâm", "01933")
    factories.owner(partner, email="thanhtam@htx.test")
    wine = factories.product("Rượu men lá Bằng Phúc", 120_000, 10, partner)
    certificate = factories.certificate(
        partner, [wine], stars=None, status="submitted", number="1234/QĐ-UBND"
    )
    return {"officer": officer, "wine": wine, "certificate": certificate}


def test_officer_onboards_a_cooperative_and_verifies_a_certificate(page, live_server, market):
    wine, certificate = market["wine"], market["certificate"]

    # Before verification the product shows no badge.
    page.goto(live_server.url + wine.get_absolute_url())
    expect(page.locator("h1")).to_have_text("Rượu men lá Bằng Phúc")
    expect(page.locator("[data-ocop-stars]")).to_have_count(0)

    # Log in to the Wagtail admin.
    page.goto(live_server.url + "/admin/")
    page.fill("input[name=username]", "canbo@cho-ocop.test")
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").first.click()
    expect(page.locator('[data-panel="ocop-certificates"]')).to_contain_text("1234/QĐ-UBND")

    # Onboard a cooperative: province, then its communes arrive without reloading.
    page.goto(live_server.url + "/admin/cooperatives/new/")
    page.fill("input[name=legal_name]", "Hợp tác xã Mật ong Bạch Thông")
    page.fill("input[name=short_name]", "HTX Mật ong Bạch Thông")
    page.fill("input[name=owner_email]", "chu.htx@example.vn")
    page.select_option("select[name=province]", "19")
    expect(page.locator("select[name=commune_code] option[value='01933']")).to_have_count(1)
    page.select_option("select[name=commune_code]", "01933")
    page.fill("input[name=phone_number]", "0912 345 678")
    page.locator("#w-editor-form footer button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(r"/admin/cooperatives/(\?.*)?$"))
    expect(page.locator("body")).to_contain_text("HTX Mật ong Bạch Thông")

    cooperative = Cooperative.objects.get(slug="htx-mat-ong-bach-thong")
    assert cooperative.partner.name == "HTX Mật ong Bạch Thông"
    assert cooperative.owner.email == "chu.htx@example.vn"
    assert [message.to for message in mail.outbox] == [["chu.htx@example.vn"]]

    # Open the submitted certificate from the admin home, read the scan, verify with 4 stars.
    page.goto(live_server.url + "/admin/")
    page.locator('[data-panel="ocop-certificates"] a', has_text="1234/QĐ-UBND").click()
    expect(page.locator("[data-certificate-status]")).to_have_attribute(
        "data-certificate-status", "submitted"
    )
    expect(page.locator("[data-certificate-scan]")).to_have_attribute(
        "href", certificate.document.url
    )
    page.locator('[data-review-link="verify"]').click()
    page.locator("[data-review-submit]").click()  # without stars: refused
    expect(page.locator("[data-review-form] .w-field--error .error-message")).to_have_count(1)
    expect(page.locator("[data-certificate-status]")).to_have_attribute(
        "data-certificate-status", "submitted"
    )
    page.locator("input[name=stars][value='4']").check()
    page.locator("[data-review-submit]").click()
    expect(page.locator("[data-certificate-status]")).to_have_attribute(
        "data-certificate-status", "verified"
    )
    expect(page.locator("[data-certificate-stars]")).to_have_attribute(
        "data-certificate-stars", "4"
    )

    certificate.refresh_from_db()
    assert certificate.status == OcopCertificate.Status.VERIFIED
    assert certificate.stars == 4
    assert certificate.reviewed_by == market["officer"]
    assert list(OcopCertificate.objects.in_force()) == [certificate]

    # The shopper now sees the 4-star badge on the product page.
    page.goto(live_server.url + wine.get_absolute_url())
    expect(page.locator('.product-page [data-ocop-stars="4"]')).to_be_visible()
