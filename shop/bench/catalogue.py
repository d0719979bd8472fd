"""The benchmark catalogue of `spec.py` loaded into our shop, fast.

Products, their stock, photos, categories and weights are inserted in bulk, so no per-product
signal runs; what those signals would have derived is made here once for all: the search text
(`shop.apps.search.documents.refresh`), and the renditions and share pictures of the few
pictures every product shares (`catalog.images` names renditions after the original file, so
2,000 products pointing at one file need its renditions made once). Everything else (site,
categories, product classes, policy pages, home page) comes from the same functions the demo
data uses.
"""

import datetime
import json
from decimal import Decimal
from urllib.parse import urlencode

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from oscar.apps.catalogue.models import (
    Category,
    Product,
    ProductAttribute,
    ProductAttributeValue,
    ProductCategory,
    ProductImage,
)
from oscar.apps.partner.models import Partner, StockRecord

from catalog import images, ocop_groups, product_classes
from catalog.models import OcopCertificate
from cooperatives.models import Cooperative
from shop.apps.search import documents
from shop.cms.models import HomePage
from shop.cms.policies import install_policy_pages
from shop.cms.setup import install_home_page
from shop.demo import artwork, data
from shop.demo.management.commands.load_demo_data import Command as DemoCommand
from shop.pagecache import versions as page_versions
from shop.seo.sharing import make_share_picture
from shop.text import slugify

from . import spec

UPC_PREFIX = "BENCH-"
BATCH_SIZE = 500
PICTURE_FOLDER = "images/products/bench"
CERTIFICATE_SCAN = "certificates/bench-decision.pdf"
# Groups of handmade goods use the craft class; everything else is an OCOP food/herb product.
CRAFT_GROUPS = {"thu-cong-my-nghe"}
# Certified products: one in CERTIFIED_EVERY, chosen by number (the same products at any N, so
# pages compare at 10 and at 2,000 products); 7 is prime to the 20 categories and the 30
# cooperatives, so every cooperative gets certificates in several groups.
CERTIFIED_EVERY = 7
# Bank BINs of the demo cooperatives' banks (valid choices of cooperatives.banks).
BANK_BINS = sorted({papers[2] for papers in data.COOPERATIVE_PAPERS.values()})
# The leaf category and the product the manifest names (both exist from 10 products on).
MANIFEST_CATEGORY = "mat-ong"
MANIFEST_PRODUCT = 4
FEATURED = 8
MANIFEST_URLS = 50
GROUP_OF = {slug: group for group, slug, _name in spec.CATEGORIES}


class AlreadyLoaded(Exception):
    """The database holds another catalogue than the one asked for."""


def bench_products():
    return Product.objects.filter(upc__startswith=UPC_PREFIX)


@transaction.atomic
def load(product_count: int, cooperative_count: int = 30) -> bool:
    """Load the catalogue unless it is there; return whether it was loaded now.

    Raises AlreadyLoaded when the database holds a benchmark catalogue of another size.
    """
    existing = bench_products().count()
    if existing:
        if existing != product_count:
            raise AlreadyLoaded(existing)
        return False
    DemoCommand().configure_site()
    categories = install_categories()
    partners = install_cooperatives(cooperative_count)
    made = spec.products(product_count, cooperative_count)
    ids = install_products(made, categories, partners)
    install_certificates(made, ids, categories, partners)
    documents.refresh(ids.values())
    install_pages(made, ids, categories, partners)
    page_versions.bump()  # bulk inserts send no signals: retire what pages were cached
    if connection.vendor == "postgresql":
        # Fresh statistics for the planner: without them, right after a bulk insert and until
        # autovacuum comes by, PostgreSQL plans listing queries that take seconds.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return True


def install_categories() -> dict[str, Category]:
    """The OCOP groups and subgroups, plus the extra subgroups of `spec.CATEGORIES`."""
    categories = ocop_groups.install()
    for group_slug, slug, name in spec.CATEGORIES:
        if slug not in categories:
            categories[slug] = categories[group_slug].add_child(
                name=name, slug=slug, is_public=True
            )
    return categories


def install_cooperatives(count: int) -> dict[int, Partner]:
    """Verified cooperatives with a commune and bank details, by their spec number."""
    partners = {}
    for item in spec.cooperatives(count):
        partner, _ = Partner.objects.get_or_create(code=item.code, defaults={"name": item.name})
        Cooperative.objects.get_or_create(
            partner=partner,
            defaults={
                "slug": item.code,
                "legal_name": item.name,
                "registration_number": f"47{item.number:08d}",
                "commune_code": item.commune_code,
                "street_address": f"Thôn {item.number}",
                "phone_number": f"+8491234{item.number:04d}",
                "email": f"{item.code}@cho-ocop.test",
                "story": f"{item.name} bán sản phẩm OCOP của bà con trong vùng.",
                "bank_bin": BANK_BINS[item.number % len(BANK_BINS)],
                "bank_account_number": f"8800{item.number:09d}",
                "bank_account_holder": item.name.upper(),
                "is_verified": True,
            },
        )
        partners[item.number] = partner
    return partners


def install_pictures(made) -> dict[tuple[str, int], str]:
    """Draw each (kind, number) picture once, with its renditions and share picture; return
    the stored names."""
    names = {}
    for kind, number in sorted({(item.picture_kind, item.picture_number) for item in made}):
        name = f"{PICTURE_FOLDER}/{kind}-{number}.jpg"
        if not default_storage.exists(name):
            seed = sum(map(ord, kind)) * spec.PICTURES_PER_KIND + number
            name = default_storage.save(name, ContentFile(artwork.product_picture(kind, seed)))
        if not default_storage.exists(images.rendition_name(name, images.WIDTHS[-1])):
            images.make_renditions(name)
        make_share_picture(name)
        names[kind, number] = name
    return names


def install_products(made, categories, partners) -> dict[int, int]:
    """Products with their category, weight, stock record and photo; return ids by number."""
    classes = product_classes.install()
    class_of = {
        slug: classes["thu-cong" if group in CRAFT_GROUPS else "san-pham-ocop"]
        for slug, group in GROUP_OF.items()
    }
    Product.objects.bulk_create(
        [
            Product(
                upc=item.upc,
                title=item.title,
                slug=slugify(item.title),
                description=f"<p>{item.description}</p>",
                product_class=class_of[item.category_slug],
                is_public=True,
            )
            for item in made
        ],
        batch_size=BATCH_SIZE,
    )
    # Read back rather than trust bulk_create to set primary keys on every database.
    by_upc = dict(bench_products().values_list("upc", "pk"))
    ids = {item.number: by_upc[item.upc] for item in made}
    weights = dict(
        ProductAttribute.objects.filter(
            code="weight_grams", product_class__in=set(class_of.values())
        ).values_list("product_class_id", "pk")
    )
    pictures = install_pictures(made)
    ProductCategory.objects.bulk_create(
        [
            ProductCategory(product_id=ids[item.number], category=categories[item.category_slug])
            for item in made
        ],
        batch_size=BATCH_SIZE,
    )
    ProductAttributeValue.objects.bulk_create(
        [
            ProductAttributeValue(
                product_id=ids[item.number],
                attribute_id=weights[class_of[item.category_slug].pk],
                value_integer=250 * (1 + item.number % 6),
            )
            for item in made
        ],
        batch_size=BATCH_SIZE,
    )
    StockRecord.objects.bulk_create(
        [
            StockRecord(
                product_id=ids[item.number],
                partner=partners[item.cooperative_number],
                partner_sku=item.upc,
                price_currency="VND",
                price=Decimal(item.price),
                num_in_stock=item.stock,
            )
            for item in made
        ],
        batch_size=BATCH_SIZE,
    )
    ProductImage.objects.bulk_create(
        [
            ProductImage(
                product_id=ids[item.number],
                original=pictures[item.picture_kind, item.picture_number],
                caption=item.title,
                display_order=0,
            )
            for item in made
        ],
        batch_size=BATCH_SIZE,
    )
    return ids


def install_certificates(made, ids, categories, partners) -> None:
    """One verified certificate (3 to 5 stars) per cooperative and OCOP group, covering its
    certified products (the manifest's product among them); all share one scanned decision."""
    if not default_storage.exists(CERTIFICATE_SCAN):
        default_storage.save(
            CERTIFICATE_SCAN,
            ContentFile(artwork.certificate_scan("bench", "UBND tỉnh Thái Nguyên", 4)),
        )
    covered: dict[tuple[int, str], list[int]] = {}
    for item in made:
        if item.number % CERTIFIED_EVERY == MANIFEST_PRODUCT % CERTIFIED_EVERY:
            key = (item.cooperative_number, GROUP_OF[item.category_slug])
            covered.setdefault(key, []).append(ids[item.number])
    signed_on = timezone.localdate() - datetime.timedelta(days=100)
    links = []
    for (cooperative_number, group), product_ids in sorted(covered.items()):
        certificate = OcopCertificate(
            cooperative=partners[cooperative_number].cooperative,
            decision_number=f"{cooperative_number:02d}-{group}/QĐ-UBND",
            issuing_authority="UBND tỉnh Thái Nguyên",
            signed_on=signed_on,
            stars=3 + (cooperative_number + len(group)) % 3,
            status=OcopCertificate.Status.VERIFIED,
            product_group=categories[group],
            document=CERTIFICATE_SCAN,
        )
        certificate.save()  # its save() derives validity and level
        links += [
            OcopCertificate.products.through(ocopcertificate_id=certificate.pk, product_id=pk)
            for pk in product_ids
        ]
    OcopCertificate.products.through.objects.bulk_create(links, batch_size=BATCH_SIZE)


def install_pages(made, ids, categories, partners) -> None:
    """Home page (featured products, featured cooperatives, category tiles) and the policy
    pages the checkout links to."""
    home = install_home_page(**data.HOME_PAGE)
    install_policy_pages()
    groups = list(dict.fromkeys(group for group, _slug, _name in spec.CATEGORIES))
    home = HomePage.objects.get(pk=home.pk)
    home.body = json.dumps(
        [
            {
                "type": "featured_products",
                "value": {
                    "heading": "Sản phẩm OCOP tiêu biểu",
                    "products": [ids[item.number] for item in made[:FEATURED]],
                },
            },
            {
                "type": "featured_cooperatives",
                "value": {
                    "heading": "Hợp tác xã tiêu biểu",
                    "cooperatives": [
                        partners[number].cooperative.pk for number in sorted(partners)[:4]
                    ],
                },
            },
            {
                "type": "category_tiles",
                "value": {
                    "heading": "Nhóm sản phẩm OCOP",
                    "categories": [categories[slug].pk for slug in groups],
                },
            },
        ]
    )
    home.save_revision().publish()


def manifest(product_count: int) -> dict:
    """The pages and products the benchmark requests (the same ones at any N)."""
    listed = list(bench_products().only("pk", "slug").order_by("upc")[:MANIFEST_URLS])
    shown = (
        bench_products().only("pk", "slug").filter(upc=_upc(MANIFEST_PRODUCT)).first() or listed[0]
    )
    category = Category.objects.get(slug=MANIFEST_CATEGORY)
    search = reverse("search:search")
    in_stock = (
        # The best-stocked: rounds of checkouts must not sell them out.
        StockRecord.objects.filter(product__upc__startswith=UPC_PREFIX, num_in_stock__gt=0)
        .order_by("-num_in_stock", "product__upc")
        .values_list("product_id", flat=True)[:MANIFEST_URLS]
    )
    return {
        "shop": "ours",
        "products": product_count,
        "pages": {
            "home": "/",
            "catalogue": reverse("catalogue:index"),
            "category": category.get_absolute_url(),
            "product": shown.get_absolute_url(),
            "search": f"{search}?{urlencode({'q': spec.SEARCHES[0]})}",
        },
        "searches": [f"{search}?{urlencode({'q': words})}" for words in spec.SEARCHES],
        "product_urls": [product.get_absolute_url() for product in listed],
        "basket_product_ids": list(in_stock),
    }


def _upc(number: int) -> str:
    return f"{UPC_PREFIX}{number:05d}"
