"""A small market for the shopper-page tests: certified and uncertified products, an expired and
an unverified certificate, an inactive cooperative and an alcoholic drink."""

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from tests import factories

THANH_TAM_COMMUNE = "01933"  # Xã Đồng Phúc, Thái Nguyên
NAM_CUONG_COMMUNE = "02026"  # Xã Nam Cường, Thái Nguyên
INACTIVE_COMMUNE = "02071"  # Xã Nghĩa Tá, Thái Nguyên


@dataclass
class Market:
    food: object
    drinks: object
    wine_group: object
    thanh_tam: object
    nam_cuong: object
    closed: object
    honey: object
    tea: object
    noodles: object
    plain: object
    expired: object
    unverified: object
    closed_product: object
    wine: object
    honey_certificate: object

    def titles(self, response) -> set[str]:
        return {product.title for product in response.context["products"]}


def build_market() -> Market:
    food = factories.category("Thực phẩm")
    drinks = factories.category("Đồ uống")
    wine_group = factories.category("Đồ uống có cồn", parent=drinks)
    thanh_tam = factories.cooperative("HTX rượu men lá Thanh Tâm", THANH_TAM_COMMUNE)
    nam_cuong = factories.cooperative("HTX Miến dong Nam Cường", NAM_CUONG_COMMUNE)
    closed = factories.cooperative("HTX Đã nghỉ", INACTIVE_COMMUNE)
    closed.cooperative.is_active = False
    closed.cooperative.save()

    honey = factories.product("Mật ong Bằng Phúc", 190_000, 10, thanh_tam, [food], image=True)
    tea = factories.product("Chè Shan tuyết", 250_000, 10, nam_cuong, [drinks])
    noodles = factories.product("Miến dong Nam Cường", 65_000, 10, nam_cuong, [food])
    plain = factories.product("Bánh chưng", 40_000, 10, thanh_tam, [food])
    expired = factories.product("Măng khô", 120_000, 10, thanh_tam, [food])
    unverified = factories.product("Nấm hương", 150_000, 10, nam_cuong, [food])
    closed_product = factories.product("Gạo nếp nương", 90_000, 10, closed, [food])
    wine = factories.product(
        "Rượu men lá 29%", 120_000, 40, thanh_tam, [wine_group], klass=factories.alcohol_class()
    )
    wine.attr.abv_percent = 29.0
    wine.attr.volume_ml = 500
    wine.attr.production_licence = "Số 03/GP-SXR, ngày 12/5/2022, UBND huyện Chợ Đồn cấp"
    wine.attr.origin = "Gạo nếp nương Bằng Phúc"
    wine.save()

    today = timezone.localdate()
    honey_certificate = factories.certificate(
        thanh_tam, [honey, wine], stars=4, number="2150/QĐ-UBND"
    )
    factories.certificate(nam_cuong, [tea], stars=5, number="142/QĐ-BNNMT")
    factories.certificate(nam_cuong, [noodles], stars=3)
    factories.certificate(
        thanh_tam,
        [expired],
        stars=4,
        signed_on=today - datetime.timedelta(days=1200),
        valid_until=today - datetime.timedelta(days=1),
    )
    factories.certificate(nam_cuong, [unverified], stars=5, status="submitted")
    factories.certificate(closed, [closed_product], stars=4)
    return Market(
        food=food,
        drinks=drinks,
        wine_group=wine_group,
        thanh_tam=thanh_tam,
        nam_cuong=nam_cuong,
        closed=closed,
        honey=honey,
        tea=tea,
        noodles=noodles,
        plain=plain,
        expired=expired,
        unverified=unverified,
        closed_product=closed_product,
        wine=wine,
        honey_certificate=honey_certificate,
    )


def confirm_age(client, born="1990-05-01", next_url="/"):
    return client.post(
        reverse("age-gate"), {"date_of_birth": born, "confirm": "on", "next": next_url}
    )
