"""The kinds of product a cooperative lists, with the facts each kind must show.

Owners pick a class when they add a product; Oscar's dashboard then asks for its attributes.
A class with an `abv_percent` attribute is an alcoholic drink (age gate, licence block, no COD).
"""

from django.db import transaction
from oscar.apps.catalogue.models import ProductAttribute, ProductClass

ABV = "abv_percent"

_FOOD_FACTS = [
    ("weight_grams", "Khối lượng cả bao bì (g)", "integer", True),
    ("package_size", "Quy cách đóng gói", "text", False),
    ("shelf_life", "Hạn sử dụng", "text", False),
    ("ingredients", "Thành phần", "text", False),
    ("origin", "Vùng nguyên liệu", "text", False),
    ("storage", "Bảo quản", "text", False),
    ("conformity_declaration", "Số tự công bố / công bố hợp quy", "text", False),
]

# slug: (name, requires shipping, tracks stock, [(code, name, type, required)])
CLASSES = {
    "san-pham-ocop": ("Sản phẩm OCOP", True, True, _FOOD_FACTS),
    "do-uong-co-con": (
        "Đồ uống có cồn",
        True,
        True,
        [
            *_FOOD_FACTS,
            (ABV, "Nồng độ cồn (% vol)", "float", True),
            ("volume_ml", "Dung tích (ml)", "integer", True),
            ("production_licence", "Giấy phép sản xuất rượu (số, ngày, nơi cấp)", "text", True),
            ("retail_licence", "Giấy phép bán lẻ rượu (số, ngày, nơi cấp)", "text", False),
            ("alcohol_stamp", "Có dán tem rượu", "boolean", False),
        ],
    ),
    "thu-cong": (
        "Hàng thủ công",
        True,
        True,
        [
            ("weight_grams", "Khối lượng cả bao bì (g)", "integer", True),
            ("package_size", "Kích thước", "text", False),
            ("materials", "Chất liệu", "text", False),
            ("origin", "Nơi làm", "text", False),
        ],
    ),
    "trai-nghiem": (
        "Trải nghiệm du lịch",
        False,
        False,
        [
            ("duration", "Thời lượng", "text", False),
            ("meeting_point", "Điểm hẹn", "text", False),
            ("capacity", "Số khách tối đa", "integer", False),
        ],
    ),
}


@transaction.atomic
def install() -> dict[str, ProductClass]:
    """Create the classes and attributes that are missing; never change what staff edited."""
    classes = {}
    for slug, (name, requires_shipping, track_stock, attributes) in CLASSES.items():
        product_class, _ = ProductClass.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "requires_shipping": requires_shipping,
                "track_stock": track_stock,
            },
        )
        for code, attribute_name, kind, required in attributes:
            ProductAttribute.objects.get_or_create(
                product_class=product_class,
                code=code,
                defaults={"name": attribute_name, "type": kind, "required": required},
            )
        classes[slug] = product_class
    return classes
