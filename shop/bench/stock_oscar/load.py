"""Load the benchmark catalogue (shop.bench.spec) into the stock Oscar shop and write its manifest.

    DJANGO_SETTINGS_MODULE=shop.bench.stock_oscar.settings \\
        python -m shop.bench.stock_oscar.load --products 2000 --manifest /tmp/stock.json

Same categories, partners (our cooperatives), products, prices, stock and pictures as our shop,
so both are measured on one catalogue. Rows are bulk-inserted (no per-save index signal) and the
Whoosh index is built once at the end (OSCAR-NOTES trap 3); the runtime keeps Oscar's realtime
signal processor as the quickstart has it.
"""

import argparse
import json
import os
import sys
import time
from decimal import Decimal
from urllib.parse import quote_plus

from shop.bench import spec

PICTURE_FOLDER = "images/products/bench"
MANIFEST_CATEGORY = "mat-ong"  # a leaf category whose products the first search finds
SAMPLE = 50


def _log(started, what):
    print(f"[stock-oscar] {time.monotonic() - started:6.1f}s {what}", file=sys.stderr)


def _pictures(kinds):
    """Draw PICTURES_PER_KIND files per kind once; products share them. {(kind, n): name}."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from shop.demo import artwork

    names = {}
    for kind in sorted(kinds):
        for number in range(spec.PICTURES_PER_KIND):
            name = f"{PICTURE_FOLDER}/{kind}-{number}.jpg"
            if not default_storage.exists(name):
                name = default_storage.save(
                    name, ContentFile(artwork.product_picture(kind, number))
                )
            names[kind, number] = name
    return names


def load_catalogue(product_count):
    """Categories, partners, one product class, products with stock and a picture each."""
    from django.db import transaction
    from oscar.core.loading import get_model
    from oscar.core.utils import slugify

    category_model = get_model("catalogue", "Category")
    product_model = get_model("catalogue", "Product")
    product_class_model = get_model("catalogue", "ProductClass")
    product_category_model = get_model("catalogue", "ProductCategory")
    product_image_model = get_model("catalogue", "ProductImage")
    partner_model = get_model("partner", "Partner")
    stock_record_model = get_model("partner", "StockRecord")

    if product_model.objects.exists():
        raise SystemExit("stock-oscar load: the database already has products; use a fresh one")

    items = spec.products(product_count)
    pictures = _pictures({item.picture_kind for item in items})
    with transaction.atomic():
        categories = {
            slug: category_model.add_root(name=name, slug=slug)
            for _group, slug, name in spec.CATEGORIES
        }
        partners = {
            coop.number: partner_model.objects.create(name=coop.name, code=coop.code)
            for coop in spec.cooperatives()
        }
        # The stock shop ships everything (Oscar's default Free shipping method) and tracks stock.
        product_class = product_class_model.objects.create(
            name="Sản phẩm OCOP", slug="san-pham-ocop", requires_shipping=True, track_stock=True
        )
        products = product_model.objects.bulk_create(
            [
                product_model(
                    structure=product_model.STANDALONE,
                    upc=item.upc,
                    title=item.title,
                    slug=slugify(item.title),
                    description=item.description,
                    product_class=product_class,
                    is_public=True,
                )
                for item in items
            ],
            batch_size=500,
        )
        pairs = list(zip(items, products, strict=True))
        product_category_model.objects.bulk_create(
            [
                product_category_model(product=product, category=categories[item.category_slug])
                for item, product in pairs
            ],
            batch_size=500,
        )
        stock_record_model.objects.bulk_create(
            [
                stock_record_model(
                    product=product,
                    partner=partners[item.cooperative_number],
                    partner_sku=item.upc,
                    price_currency="VND",
                    price=Decimal(item.price),
                    num_in_stock=item.stock,
                )
                for item, product in pairs
            ],
            batch_size=500,
        )
        product_image_model.objects.bulk_create(
            [
                product_image_model(
                    product=product,
                    original=pictures[item.picture_kind, item.picture_number],
                    caption=item.title,
                    display_order=0,
                )
                for item, product in pairs
            ],
            batch_size=500,
        )
    return categories


def manifest(product_count, categories):
    """The pages and ids the benchmark visits, with the same keys as our shop's manifest."""
    from oscar.core.loading import get_model

    product_model = get_model("catalogue", "Product")
    products = list(product_model.objects.filter(upc__startswith="BENCH-").order_by("upc"))
    step = max(1, len(products) // SAMPLE)
    sample = products[::step][:SAMPLE]
    # Products with plenty of stock, so a long checkout run does not sell them out.
    stocked = list(
        product_model.objects.filter(upc__startswith="BENCH-", stockrecords__num_in_stock__gte=150)
        .order_by("upc")
        .values_list("pk", flat=True)
    ) or [product.pk for product in sample]
    searches = [f"/search/?q={quote_plus(words)}" for words in spec.SEARCHES]
    return {
        "shop": "stock",
        "products": product_count,
        "pages": {
            "home": "/",
            "catalogue": "/catalogue/",
            "category": categories[MANIFEST_CATEGORY].get_absolute_url(),
            "product": products[0].get_absolute_url(),
            "search": searches[0],
        },
        "searches": searches,
        "product_urls": [product.get_absolute_url() for product in sample],
        "basket_product_ids": stocked[:: max(1, len(stocked) // SAMPLE)][:SAMPLE],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--manifest", required=True)
    args = parser.parse_args(argv)

    # Always the stock shop's settings: an inherited shop.settings.* must never get these rows.
    os.environ["DJANGO_SETTINGS_MODULE"] = "shop.bench.stock_oscar.settings"
    import django

    django.setup()
    from django.core.management import call_command

    started = time.monotonic()
    call_command("migrate", interactive=False, verbosity=0)
    _log(started, "migrated")
    call_command("oscar_populate_countries", is_initial_only=True, verbosity=0)
    _log(started, "countries")
    categories = load_catalogue(args.products)
    _log(started, f"{args.products} products")
    call_command("rebuild_index", interactive=False, verbosity=0)
    _log(started, "Whoosh index built")
    with open(args.manifest, "w", encoding="utf-8") as out:
        json.dump(manifest(args.products, categories), out, ensure_ascii=False, indent=2)
    _log(started, f"manifest written to {args.manifest}")


if __name__ == "__main__":
    main()
