"""A guest pays by VietQR: the rendered QR decodes to the right transfer, a signed SePay webhook
arrives, and the page turns to "paid" by itself: in Debian's Chromium, against the live server."""

import io
import json

import httpx
import pytest
import zxingcpp
from oscar.apps.order.models import Order
from PIL import Image
from playwright.sync_api import expect

from payments import vietqr
from payments.gateways import get as get_gateway
from tests.e2e.steps import enter_guest_details, place_order
from tests.payments import gateway_settings

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
SEPAY_KEY = "sepay-journey-key"


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE, "locale": "vi-VN"}


def test_guest_pays_by_vietqr_and_sees_paid(page, live_server, shop_catalogue, settings):
    gateway_settings(settings, SEPAY_API_KEY=SEPAY_KEY)
    noodles = shop_catalogue["noodles"]
    page.goto(live_server.url + noodles.get_absolute_url())
    page.fill("input[name=quantity]", "2")
    page.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator(".basket-link .count")).to_have_text("2")
    page.locator(".basket-link").click()
    enter_guest_details(page)

    # Bank transfer is offered first and chosen by default.
    expect(page.locator("input[name=payment_method][value=vietqr]")).to_be_checked()
    page.get_by_role("button", name="Xem lại đơn hàng").click()
    place_order(page)

    # The payment page: the QR code as the browser drew it decodes to the exact transfer.
    qr = page.locator("[data-qr] svg")
    expect(qr).to_be_visible()
    order = Order.objects.get()
    payment = order.payment
    assert order.status == "pending_payment"
    expect(page.locator("[data-value=reference]")).to_have_text(payment.reference)
    # 2 × 65.000 + the sandbox courier's quote for 1.8 kg within Thái Nguyên (27.000).
    expect(page.locator("[data-value=amount]")).to_have_text("157.000\xa0₫")
    (result,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(qr.screenshot())))
    parsed = vietqr.parse_payload(result.text)
    gateway = get_gateway("vietqr")
    assert parsed.amount == 157_000
    assert parsed.purpose == payment.reference
    assert (parsed.bin, parsed.account) == (gateway.bank.bin, gateway.account_number)
    expect(page.locator("[data-paid-panel]")).to_be_hidden()

    # The bank tells SePay, SePay tells us (API-key mode); the page notices by itself.
    transfer = {
        "id": 92704511,
        "gateway": gateway.bank.short_name,
        "transactionDate": "2026-11-27 10:15:00",
        "accountNumber": gateway.account_number,
        "code": None,
        "content": f"MBVCB.5512345678.{payment.reference[:6]} {payment.reference[6:]}.CT tu "
        "9876543210 NGUYEN VAN AN",
        "transferType": "in",
        "transferAmount": 157_000,
        "accumulated": 157_000,
        "subAccount": None,
        "referenceCode": "FT26331ABCDE",
        "description": "",
    }
    response = httpx.post(
        live_server.url + "/payments/webhooks/sepay/",
        content=json.dumps(transfer).encode(),
        headers={"Authorization": f"Apikey {SEPAY_KEY}", "Content-Type": "application/json"},
    )
    assert response.status_code == 200, response.text
    paid = page.locator("[data-paid-panel]")
    expect(paid).to_be_visible()
    expect(paid).to_contain_text("Đã thanh toán")
    expect(page.locator("[data-pending-panel]")).to_be_hidden()
    order.refresh_from_db()
    assert order.status == "paid"
