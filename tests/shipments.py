"""Orders with lines of several cooperatives, placed with Oscar's own OrderCreator and given a
payment as checkout does, plus sandbox-courier webhook deliveries signed as the sandbox signs."""

import json
from datetime import datetime, timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from oscar.apps.basket.models import Basket
from oscar.apps.partner.strategy import Selector
from oscar.apps.payment.models import Source, SourceType
from oscar.apps.shipping.methods import FixedPrice
from oscar.test.factories import CountryFactory, ShippingAddressFactory, create_order

from logistics.couriers import sandbox
from payments import services as payments
from shop.addresses.models import ShippingAddressUnits
from tests import factories

SHIPPING = Decimal(45_000)


def address():
    country = CountryFactory(iso_3166_1_a2="VN", name="Việt Nam")
    shipping = ShippingAddressFactory(
        country=country,
        first_name="Nguyễn Văn",
        last_name="An",
        line1="Thôn Nà Pài",
        line2="",
        line4="Xã Bằng Phúc",
        state="Thái Nguyên",
        postcode="",
        phone_number="+84912345678",
    )
    ShippingAddressUnits.objects.create(address=shipping, province_code="19", commune_code="01933")
    return shipping


def order_of(items, method="cod", shipping=SHIPPING):
    """An order of (product, quantity) pairs paid by `method`, with its Payment and Source."""
    basket = Basket.objects.create()
    basket.strategy = Selector().strategy()
    for product, quantity in items:
        basket.add_product(product, quantity)
    order = create_order(
        basket=basket,
        shipping_address=address(),
        shipping_method=FixedPrice(charge_excl_tax=shipping, charge_incl_tax=shipping),
        status=payments.initial_order_status(method),
    )
    source_type, _created = SourceType.objects.get_or_create(code=method, defaults={"name": method})
    Source.objects.create(
        order=order, source_type=source_type, currency="VND", amount_allocated=order.total_incl_tax
    )
    payments.create_for_order(order, method, [method])
    return order


def two_cooperative_order(method="cod", stock=10):
    """Rice (2 x 120,000, 900 g) from one cooperative, tea (1 x 85,000, 120 g) from another."""
    rice = factories.product("Gạo nếp cái hoa vàng", 120_000, stock=stock, weight=900)
    tea = factories.product(
        "Chè Shan tuyết",
        85_000,
        stock=stock,
        weight=120,
        partner=factories.cooperative("HTX chè Shan tuyết Phìn Hồ", commune_code="01933"),
    )
    return order_of([(rice, 2), (tea, 1)], method=method), rice, tea


# One base for the whole run: two calls with the same minutes give the same time, even when a
# slow machine crosses a second between them (repeated events must be recognised as repeats).
_BASE = timezone.now().replace(microsecond=0) - timedelta(hours=2)


def at(minutes: int) -> datetime:
    return _BASE + timedelta(minutes=minutes)


def event(shipment, status, when, **more) -> dict:
    return {
        "tracking_code": shipment.tracking_code,
        "client_code": shipment.code,
        "status": status,
        "time": when.isoformat(),
        **more,
    }


def webhook_url(courier="sandbox") -> str:
    return reverse("logistics:webhook", kwargs={"courier": courier})


def post_signed(client, payload, courier="sandbox", signature=None):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    headers = {sandbox.SIGNATURE_HEADER: sandbox.sign(body) if signature is None else signature}
    return client.post(
        webhook_url(courier), data=body, content_type="application/json", headers=headers
    )
