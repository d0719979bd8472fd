"""The six OCOP product groups of Decision 148/QĐ-TTg (2023) and their subgroups.

They are the shop's top two category levels. `ALIASES` maps the names used by the older
classification (Decisions 490/2018 and 1048/2019), still printed on older certificates, to the
current group, so imports and officers' searches land in the right place. Subgroups follow the
decision's examples (../shared/specs/ocop.md §4); the annex's full list is not reproduced.
"""

from django.db import transaction
from oscar.apps.catalogue.models import Category

# (slug, name, [(slug, name)])
GROUPS = [
    (
        "thuc-pham",
        "Thực phẩm",
        [
            ("thuc-pham-tuoi-song", "Thực phẩm tươi sống"),
            ("thuc-pham-tho-so-che", "Thực phẩm thô, sơ chế"),
            ("thuc-pham-che-bien", "Thực phẩm chế biến"),
            ("gia-vi", "Gia vị, nước chấm"),
        ],
    ),
    (
        "do-uong",
        "Đồ uống",
        [
            ("do-uong-co-con", "Đồ uống có cồn"),
            ("do-uong-khong-con", "Đồ uống không cồn"),
        ],
    ),
    (
        "thao-duoc",
        "Thảo dược",
        [
            ("duoc-lieu", "Dược liệu, thực phẩm chức năng"),
            ("my-pham-thao-duoc", "Mỹ phẩm, tinh dầu thảo dược"),
        ],
    ),
    (
        "thu-cong-my-nghe",
        "Thủ công mỹ nghệ",
        [
            ("det-may-theu", "Dệt may, thêu, thổ cẩm"),
            ("may-tre-dan-go", "Mây tre đan, đồ gỗ"),
            ("gom-su", "Gốm sứ"),
            ("luu-niem-trang-tri", "Lưu niệm, trang trí"),
        ],
    ),
    (
        "sinh-vat-canh",
        "Sinh vật cảnh",
        [
            ("hoa-cay-canh", "Hoa, cây cảnh"),
            ("dong-vat-canh", "Động vật cảnh"),
        ],
    ),
    (
        "du-lich-cong-dong",
        "Du lịch cộng đồng và điểm du lịch",
        [
            ("luu-tru-cong-dong", "Homestay, lưu trú cộng đồng"),
            ("trai-nghiem", "Tour và trải nghiệm"),
            ("diem-du-lich", "Điểm du lịch"),
        ],
    ),
]

# Older (490/1048) group names -> current group slug.
ALIASES = {
    "đồ uống có cồn": "do-uong",
    "đồ uống không cồn": "do-uong",
    "vải và may mặc": "thu-cong-my-nghe",
    "lưu niệm - nội thất - trang trí": "thu-cong-my-nghe",
    "dịch vụ du lịch nông thôn, bán hàng": "du-lich-cong-dong",
    "dịch vụ du lịch cộng đồng và điểm du lịch": "du-lich-cong-dong",
}


@transaction.atomic
def install() -> dict[str, Category]:
    """Create the groups and subgroups that are missing; return every one by slug."""
    by_slug = {}
    for slug, name, subgroups in GROUPS:
        group = Category.objects.filter(depth=1, slug=slug).first()
        if group is None:
            group = Category.add_root(name=name, slug=slug, is_public=True)
        by_slug[slug] = group
        for sub_slug, sub_name in subgroups:
            subgroup = group.get_children().filter(slug=sub_slug).first()
            if subgroup is None:
                subgroup = group.add_child(name=sub_name, slug=sub_slug, is_public=True)
            by_slug[sub_slug] = subgroup
    return by_slug


def group_for_alias(name: str) -> str | None:
    return ALIASES.get(name.strip().lower())
