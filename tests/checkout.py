"""Drive Oscar's checkout with Django's test client, step by step, as a browser would."""

from django.urls import reverse

# The address a guest types: the bench flows post the same one.
from shop.bench.flows import ADDRESS


def add_to_basket(client, product, quantity=1):
    return client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity})


def give_email(client, email="khach@example.com"):
    """The first checkout step of a guest."""
    return client.post(reverse("checkout:index"), {"username": email, "options": "anonymous"})


def default_delivery() -> str:
    """The first service of the first enabled courier (the sandbox's "standard" by default)."""
    from logistics import quotes

    courier, service = quotes.services()[0]
    return f"{courier.code}.{service.code}"


def choose_delivery(client, delivery=None):
    """The delivery step, posted like the payment step: a courier service for the whole order."""
    return client.post(
        reverse("checkout:shipping-method"), {"method_code": delivery or default_delivery()}
    )


def enter_details(
    client, email="khach@example.com", address=None, method="cod", guest=True, delivery=None
):
    """Everything up to the review page; returns the review page response."""
    if guest:
        give_email(client, email)
    client.post(reverse("checkout:shipping-address"), address or ADDRESS)
    choose_delivery(client, delivery)
    client.post(reverse("checkout:payment-method"), {"payment_method": method})
    return client.get(reverse("checkout:preview"))


#: What the review page's form sends when the shopper ticks the privacy notice's box.
PLACE_ORDER = {"action": "place_order", "privacy_consent": "on"}


def place_order(client):
    return client.post(reverse("checkout:preview"), PLACE_ORDER)


def guest_checkout(client, product, quantity=1, **details):
    add_to_basket(client, product, quantity)
    enter_details(client, **details)
    return place_order(client)
