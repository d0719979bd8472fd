"""Our shop's shopper flows for the load test, posted the way the checkout pages' forms post.

Each takes a locust `FastHttpUser.client` (cookies kept per simulated shopper) and the manifest
of `make_bench_catalogue`. Every request is named, redirects are not followed (each step's
answer is checked and its `X-Bench-Queries` counted), and a step answering anything but what a
browser would see next is marked failed and ends the flow, so the run counts it as an error.
The steps mirror tests/checkout.py, the flow the test suite counts queries on.
"""

import random
import re
import secrets
from http.cookiejar import Cookie
from urllib.parse import urlencode, urlsplit

BASKET_ADD = "/shop/basket/add/{pk}/"
CHECKOUT = "/shop/checkout/"
SHIPPING_ADDRESS = "/shop/checkout/shipping-address/"
SHIPPING_METHOD = "/shop/checkout/shipping-method/"
PAYMENT_METHOD = "/shop/checkout/payment-method/"
PREVIEW = "/shop/checkout/preview/"
THANK_YOU = "/shop/checkout/thank-you/"

GUEST_EMAIL = "khach.bench@example.com"
ADDRESS = {
    "first_name": "Nguyễn Văn An",
    "phone_number": "0912 345 678",
    "province": "19",
    "commune": "01933",
    "line1": "Thôn Nà Pài",
    "notes": "Gọi trước khi giao",
}
# The sandbox courier's first service (the embedded default); found on the page otherwise.
delivery = {"code": "sandbox.standard"}
METHOD_CODE = re.compile(r'name="method_code" value="([^"]+)"')


def csrf_token(client) -> str:
    """The shopper's CSRF cookie, or a fresh one, as a browser gets from any page with a form.

    Django accepts any well-formed secret the browser sends back in both the cookie and the
    form, so the flow needs no extra page view (which the page cache may answer without one).
    """
    for cookie in client.cookiejar:
        if cookie.name == "csrftoken":
            return cookie.value
    token = secrets.token_hex(16)
    host = urlsplit(client.base_url).hostname
    client.cookiejar.set_cookie(
        Cookie(0, "csrftoken", token, None, False, host, False, False, "/", True, False,
               None, True, None, None, {})
    )  # fmt: skip
    return token


def post(client, url, data, name, expect_location=None):
    """POST a form; True when it answered the redirect a browser would follow next."""
    body = urlencode({**data, "csrfmiddlewaretoken": csrf_token(client)})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    with client.post(
        url, data=body, headers=headers, name=name, allow_redirects=False, catch_response=True
    ) as response:
        location = response.headers.get("Location", "") or ""
        if response.status_code != 302:
            response.failure(f"{name}: {response.status_code}, expected a redirect")
            return False
        if expect_location and expect_location not in location:
            response.failure(f"{name}: redirected to {location}, expected {expect_location}")
            return False
        response.success()
        return True


def basket_add(client, manifest) -> bool:
    """Add one in-stock product of the catalogue, as the product page's button does."""
    pk = random.choice(manifest["basket_product_ids"])  # noqa: S311 (spreads load, no secret)
    return post(client, BASKET_ADD.format(pk=pk), {"quantity": 1}, "basket:add")


def choose_delivery(client) -> bool:
    if post(client, SHIPPING_METHOD, {"method_code": delivery["code"]}, "checkout:shipping-method"):
        return True
    # Another courier set-up: take the first service the delivery page offers, then retry.
    page = client.get(SHIPPING_METHOD, name="checkout:shipping-method-page")
    found = METHOD_CODE.search(page.text or "")
    if not found:
        return False
    delivery["code"] = found.group(1)
    return post(
        client, SHIPPING_METHOD, {"method_code": delivery["code"]}, "checkout:shipping-method"
    )


def guest_checkout(client, manifest) -> bool:
    """A new guest: basket add → e-mail → address → delivery → cash on delivery → place order."""
    client.cookiejar.clear()
    steps = (
        lambda: basket_add(client, manifest),
        lambda: post(
            client, CHECKOUT, {"username": GUEST_EMAIL, "options": "anonymous"}, "checkout:guest"
        ),
        lambda: post(client, SHIPPING_ADDRESS, ADDRESS, "checkout:shipping-address"),
        lambda: choose_delivery(client),
        lambda: post(
            client, PAYMENT_METHOD, {"payment_method": "cod"}, "checkout:payment-method", PREVIEW
        ),
        lambda: review(client),
        lambda: post(
            client,
            PREVIEW,
            {"action": "place_order", "privacy_consent": "on"},
            "checkout:place-order",
            THANK_YOU,
        ),
    )
    return all(step() for step in steps)


def review(client) -> bool:
    with client.get(
        PREVIEW, name="checkout:preview", allow_redirects=False, catch_response=True
    ) as response:
        if response.status_code != 200:
            response.failure(f"checkout:preview: {response.status_code}, expected the review page")
            return False
        response.success()
        return True
