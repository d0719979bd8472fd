"""The stock Oscar shop's shopper flows for the load test, posted as its stock checkout forms post.

Each takes a locust `FastHttpUser.client` (cookies kept per simulated shopper) and the manifest
of shop.bench.stock_oscar.load. Redirects are not followed, so each step's answer is checked;
a step answering anything but what a browser would see next is marked failed and ends the flow.
Fields come from Oscar 4.2's forms: GatewayForm (username, options), ShippingAddressForm
(OSCAR_REQUIRED_ADDRESS_FIELDS, a Vietnamese postcode of 6 digits) and the preview page's
place-order form (action=place_order). Oscar's only shipping method (Free) and its payment
method page are skipped by redirects; its payment details page has just a "Continue" link.
"""

import random
from urllib.parse import urlencode

from shop.bench.flows import csrf_token

BASKET_ADD = "/basket/add/{pk}/"
CHECKOUT = "/checkout/"
SHIPPING_ADDRESS = "/checkout/shipping-address/"
SHIPPING_METHOD = "/checkout/shipping-method/"
PAYMENT_METHOD = "/checkout/payment-method/"
PAYMENT_DETAILS = "/checkout/payment-details/"
PREVIEW = "/checkout/preview/"
THANK_YOU = "/checkout/thank-you/"

GUEST_EMAIL = "khach.bench@example.com"
ADDRESS = {
    "first_name": "An",
    "last_name": "Nguyễn Văn",
    "line1": "Thôn Nà Pài",
    "line4": "Chợ Đồn",
    "state": "Thái Nguyên",
    "postcode": "261000",
    "country": "VN",
    "phone_number": "+84912345678",
    "notes": "Gọi trước khi giao",
}


def _check(response, name, status, location):
    if response.status_code != status:
        response.failure(f"{name}: answered {response.status_code}, expected {status}")
        return False
    found = response.headers.get("Location", "") or ""
    if location and location not in found:
        response.failure(f"{name}: redirected to {found!r}, expected {location}")
        return False
    response.success()
    return True


def post(client, url, data, step, location=None) -> bool:
    """POST a form; True when it answered the redirect (to `location`) a browser follows."""
    body = urlencode({**data, "csrfmiddlewaretoken": csrf_token(client)})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    name = f"stock:checkout:{step}"
    with client.post(
        url, data=body, headers=headers, name=name, allow_redirects=False, catch_response=True
    ) as response:
        return _check(response, name, 302, location)


def get(client, url, step, status=200, location=None) -> bool:
    """GET a checkout page; True when it answered `status` (and redirect `location`)."""
    name = f"stock:checkout:{step}"
    with client.get(url, name=name, allow_redirects=False, catch_response=True) as response:
        return _check(response, name, status, location)


def basket_add(client, manifest) -> bool:
    """Add one in-stock product, as the product page's "Add to basket" button does."""
    pk = random.choice(manifest["basket_product_ids"])  # noqa: S311 (spreads load, no secret)
    return post(client, BASKET_ADD.format(pk=pk), {"quantity": 1}, "basket-add")


def guest_checkout(client, manifest) -> bool:
    """A new guest: basket add → e-mail → address → (free shipping, payment method skipped)
    → payment details → preview → place order → thank you."""
    client.cookiejar.clear()
    steps = (
        lambda: basket_add(client, manifest),
        lambda: post(
            client,
            CHECKOUT,
            {"username": GUEST_EMAIL, "options": "anonymous"},
            "guest",
            SHIPPING_ADDRESS,
        ),
        lambda: post(client, SHIPPING_ADDRESS, ADDRESS, "shipping-address", SHIPPING_METHOD),
        lambda: get(client, SHIPPING_METHOD, "shipping-method", 302, PAYMENT_METHOD),
        lambda: get(client, PAYMENT_METHOD, "payment-method", 302, PAYMENT_DETAILS),
        lambda: get(client, PAYMENT_DETAILS, "payment-details"),
        lambda: get(client, PREVIEW, "preview"),
        lambda: post(client, PREVIEW, {"action": "place_order"}, "place-order", THANK_YOU),
        lambda: get(client, THANK_YOU, "thank-you"),
    )
    return all(step() for step in steps)
