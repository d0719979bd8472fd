"""`make run` loads a believable market, and loading it twice changes nothing."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.core.management import call_command
from oscar.apps.catalogue.models import Category, Product
from oscar.apps.partner.models import StockRecord
from wagtail.models import Site

from catalog.images import WIDTHS, rendition_name
from catalog.models import OcopCertificate
from cooperatives.models import Cooperative
from shop.addresses import units
from shop.cms.models import HomePage, StandardPage

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        "products": Product.objects.count(),
        "stock": StockRecord.objects.count(),
        "categories": Category.objects.count(),
        "cooperatives": Cooperative.objects.count(),
        "users": get_user_model().objects.count(),
        "pages": StandardPage.objects.count() + HomePage.objects.count(),
    }


def test_demo_market_loads_once_and_idempotently(django_capture_on_commit_callbacks):
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # photos are rendered after commit
        call_command("load_demo_data", stdout=output)
    first = snapshot()
    call_command("load_demo_data", stdout=io.StringIO())
    assert snapshot() == first

    assert first["products"] >= 40 and first["cooperatives"] >= 6
    assert "ocop-demo-2026" in output.getvalue() and "thanhtam@cho-ocop.test" in output.getvalue()

    thanh_tam = Cooperative.objects.get(legal_name="HTX rượu men lá Thanh Tâm")
    assert thanh_tam.commune == units.Unit("01933", "Xã Đồng Phúc")
    assert "Bằng Phúc" in thanh_tam.former_locality and "Chợ Đồn" in thanh_tam.former_locality
    for cooperative in Cooperative.objects.all():
        assert cooperative.province.name == "Thái Nguyên", cooperative
        assert cooperative.commune is not None, cooperative

    # Every OCOP group has products, and every product has a price, stock and a picture.
    for group in Category.objects.filter(depth=1):
        subtree = Category.objects.filter(path__startswith=group.path)
        assert Product.objects.filter(categories__in=subtree).exists(), group.name
    for product in Product.objects.prefetch_related("images", "stockrecords"):
        record = product.stockrecords.get()
        assert record.price > 0 and record.price == record.price.to_integral_value()
        image = product.images.get()
        for width in WIDTHS:
            assert default_storage.exists(rendition_name(image.original.name, width))
        if product.product_class.requires_shipping:
            assert product.attr.weight_grams > 0
    # Certificates in every state an officer meets: in force, waiting, expired.
    certificates = OcopCertificate.objects.all()
    assert certificates.in_force().filter(stars=5, level="national").exists()
    assert certificates.filter(status="submitted", stars__isnull=True).exists()
    assert certificates.filter(status="expired").exists()
    assert all(certificate.document for certificate in certificates)
    # Alcoholic drinks carry their licence, as Decree 85/2021 requires on listings.
    for drink in Product.objects.filter(product_class__slug="do-uong-co-con"):
        assert drink.attr.production_licence and drink.attr.abv_percent > 0
    assert thanh_tam.has_payout_account and thanh_tam.owner.email == "thanhtam@cho-ocop.test"
    assert StockRecord.objects.filter(num_in_stock=1).exists()  # the last bottle
    assert StockRecord.objects.filter(num_in_stock=0).exists()  # a sold-out product

    site = Site.objects.get(is_default_site=True)
    assert isinstance(site.root_page.specific, HomePage)

    User = get_user_model()
    assert User.objects.get(email="admin@cho-ocop.test").is_superuser
    officer = User.objects.get(email="canbo@cho-ocop.test")
    assert officer.has_perm("wagtailadmin.access_admin") and not officer.is_staff
    owner = User.objects.get(email="thanhtam@cho-ocop.test")
    assert owner.has_perm("partner.dashboard_access") and not owner.is_staff
    assert thanh_tam.partner.users.filter(pk=owner.pk).exists()
