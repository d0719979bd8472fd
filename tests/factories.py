"""Small builders for a believable catalogue: OCOP categories, cooperatives, products in stock."""

import io
from decimal import Decimal
from itertools import count

from django.core.files.base import ContentFile
from oscar.apps.catalogue.models import (
    Category,
    Product,
    ProductAttribute,
    ProductCategory,
    ProductClass,
    ProductImage,
)
from oscar.apps.partner.models import Partner, StockRecord
from PIL import Image

from cooperatives.models import Cooperative

_numbers = count(1)


def product_class(slug="san-pham-ocop", requires_shipping=True, track_stock=True):
    klass, _ = ProductClass.objects.get_or_create(
        slug=slug,
        defaults={
            "name": "Sản phẩm OCOP",
            "requires_shipping": requires_shipping,
            "track_stock": track_stock,
        },
    )
    ProductAttribute.objects.get_or_create(
        product_class=klass,
        code="weight_grams",
        defaults={"name": "Khối lượng (g)", "type": "integer"},
    )
    return klass


def category(name="Đồ uống", parent=None):
    if parent is None:
        return Category.add_root(name=name)
    return parent.add_child(name=name)


def cooperative(name="HTX rượu men lá Thanh Tâm", commune_code="01933"):
    number = next(_numbers)
    partner = Partner.objects.create(name=name, code=f"coop-{number}")
    Cooperative.objects.create(
        partner=partner,
        slug=f"coop-{number}",
        legal_name=name,
        commune_code=commune_code,
        former_locality="xã Bằng Phúc, huyện Chợ Đồn",
    )
    return partner


def owner(partner, email=None, password="owner-pass-2026"):  # noqa: S107 (test password)
    """A cooperative owner: a user of the partner with dashboard access, never staff."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user(
        email=email or f"owner{next(_numbers)}@htx.test", password=password
    )
    user.user_permissions.add(
        Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")
    )
    partner.users.add(user)
    cooperative = partner.cooperative
    if cooperative.owner_id is None:
        cooperative.owner = user
        cooperative.save(update_fields=["owner"])
    return user


def officer(
    email=None,
    commune_codes=("01933",),
    password="officer-pass-2026",  # noqa: S107 (test password)
    region=None,
    **fields,
):
    """A commerce officer of a region (a new one of these communes unless `region` is given):
    in the "Commerce officers" group and the region's officers' group, with the region's page."""
    from django.contrib.auth import get_user_model

    from cooperatives import regions
    from cooperatives.models import Region

    user = get_user_model().objects.create_user(
        email=email or f"officer{next(_numbers)}@cho-ocop.test", password=password, **fields
    )
    if region is None:
        number = next(_numbers)
        region = Region.objects.create(
            name=f"Vùng {number}", slug=f"vung-{number}", commune_codes=list(commune_codes)
        )
    regions.set_officers(region, [*regions.officers_of(region), user])
    regions.install_region_pages(region)
    return user


def alcohol_class():
    """The alcoholic-drink class with its facts (ABV, volume, licences)."""
    from catalog import product_classes

    return product_classes.install()["do-uong-co-con"]


def pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buffer, "PDF")
    return buffer.getvalue()


def certificate(
    partner,
    products=(),
    stars=4,
    status="verified",
    signed_on=None,
    valid_until=None,
    number=None,
):
    """An OCOP certificate of the partner's cooperative (verified and in force by default)."""
    import datetime

    from django.utils import timezone

    from catalog.models import OcopCertificate

    item = OcopCertificate.objects.create(
        cooperative=partner.cooperative,
        decision_number=number or f"{next(_numbers)}/QĐ-UBND",
        issuing_authority="UBND tỉnh Thái Nguyên",
        signed_on=signed_on or timezone.localdate() - datetime.timedelta(days=100),
        valid_until=valid_until,
        stars=stars,
        status=status,
        document=ContentFile(pdf_bytes(), name="decision.pdf"),
    )
    item.products.set(products)
    return item


def jpeg_bytes(colour=(40, 120, 70), size=(64, 64)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


def product(
    title="Rượu men lá Bằng Phúc",
    price=120_000,
    stock=10,
    partner=None,
    categories=(),
    klass=None,
    image=False,
    weight=900,
):
    number = next(_numbers)
    item = Product(
        title=title,
        product_class=klass or product_class(),
        upc=f"TEST-{number:05d}",
        description=f"<p>Mô tả {title}</p>",
    )
    if weight is not None:
        item.attr.weight_grams = weight
    item.save()
    for cat in categories:
        ProductCategory.objects.create(product=item, category=cat)
    StockRecord.objects.create(
        product=item,
        partner=partner or cooperative(),
        partner_sku=f"SKU-{number}",
        price=Decimal(price),
        num_in_stock=stock,
    )
    if image:
        ProductImage.objects.create(
            product=item, original=ContentFile(jpeg_bytes(), name=f"p{number}.jpg")
        )
    return item
