"""The basket loaded in one query (shop/basket.py) still prices offers and vouchers like Oscar."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.apps.order.models import Order
from oscar.test.factories import create_offer, create_voucher

from tests.checkout import add_to_basket, enter_details, guest_checkout, place_order

pytestmark = pytest.mark.django_db


def test_a_site_offer_discounts_the_order(client, shop_catalogue):
    create_offer(name="Tuần lễ OCOP")  # 20% off everything
    response = guest_checkout(client, shop_catalogue["rice_wine"], quantity=2)
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.basket_total_incl_tax == Decimal("192000.00")  # 2 × 120.000 ₫ less 20%
    assert order.total_incl_tax == order.basket_total_incl_tax + order.shipping_incl_tax
    assert [d.offer_name for d in order.discounts.all()] == ["Tuần lễ OCOP"]


def test_a_voucher_in_the_basket_discounts_the_order_and_is_used(client, shop_catalogue):
    voucher = create_voucher(code="OCOP20")
    add_to_basket(client, shop_catalogue["noodles"], 2)
    client.post(reverse("basket:vouchers-add"), {"code": "OCOP20"})
    enter_details(client)
    response = place_order(client)
    assert response.status_code == 302
    order = Order.objects.get()
    assert order.basket_total_incl_tax == Decimal("104000.00")  # 2 × 65.000 ₫ less 20%
    voucher.refresh_from_db()
    assert voucher.num_orders == 1
    assert order.discounts.get().voucher_code == "OCOP20"
