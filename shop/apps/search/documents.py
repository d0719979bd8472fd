"""The folded text search matches each product against, built from the catalogue.

One function, `refresh`, rebuilds the rows of some products (or of all) in a fixed number of
queries, whatever their number: the signal receivers call it for what a save touched, the
`rebuild_search_text` command and the search migration for everything.
"""

import html

from django.apps import apps as global_apps
from django.utils.html import strip_tags

from shop.text import fold

BATCH_SIZE = 500
# Cooperative fields searched besides its partner's name (which is its display name).
COOPERATIVE_NAME_FIELDS = ("legal_name", "short_name")


def folded(*texts: str) -> str:
    """Folded words with a space before each (" ruou men la"), or "" when there are none."""
    words = fold(" ".join(text for text in texts if text))
    return f" {words}" if words else ""


def fields(title, description, upc, cooperatives=(), categories=()) -> dict[str, str]:
    """The three searchable columns of a product, folded."""
    return {
        "title": folded(title),
        # A space before each tag keeps "<p>a</p><p>b</p>" two words.
        "body": folded(html.unescape(strip_tags((description or "").replace("<", " <")))),
        "extra": folded(*cooperatives, *categories, upc or ""),
    }


def refresh(product_ids=None, *, apps=global_apps, notify_engine=True) -> int:
    """Rebuild the search rows of these products (all products when None); return how many.

    `apps` is the model registry, so that the search migration can run this on its historical
    models. When a search engine is configured, it is told to reindex the same products once
    the transaction commits.
    """
    Product = apps.get_model("catalogue", "Product")
    if product_ids is None:
        ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted({int(pk) for pk in product_ids if pk is not None})
    done = 0
    for start in range(0, len(ids), BATCH_SIZE):
        done += _refresh_batch(ids[start : start + BATCH_SIZE], apps)
    if notify_engine and ids:
        from . import engine

        if engine.configured():
            engine.update_later(ids)
    return done


def _refresh_batch(ids, apps) -> int:
    Product = apps.get_model("catalogue", "Product")
    Category = apps.get_model("catalogue", "Category")
    StockRecord = apps.get_model("partner", "StockRecord")
    ProductCategory = apps.get_model("catalogue", "ProductCategory")
    ProductSearchText = apps.get_model("search", "ProductSearchText")

    products = list(
        Product.objects.filter(pk__in=ids).values_list("pk", "title", "description", "upc")
    )
    if not products:
        return 0
    # The partner's name is the cooperative's display name; its legal name is searched too.
    cooperative_names = [f"partner__cooperative__{name}" for name in _cooperative_fields(apps)]
    partners: dict[int, list[str]] = {}
    for product_id, *found in (
        StockRecord.objects.filter(product_id__in=ids)
        .order_by("pk")
        .values_list("product_id", "partner__name", *cooperative_names)
    ):
        names = partners.setdefault(product_id, [])
        names.extend(name for name in found if name and name not in names)
    paths: dict[int, list[str]] = {}
    for product_id, path in ProductCategory.objects.filter(product_id__in=ids).values_list(
        "product_id", "category__path"
    ):
        paths.setdefault(product_id, []).append(path)
    # A category's name and its ancestors' ("Đồ uống" finds the wines of "Rượu truyền thống").
    step = getattr(Category, "steplen", 4)
    wanted = {path for found in paths.values() for leaf in found for path in _lineage(leaf, step)}
    names = dict(Category.objects.filter(path__in=wanted).values_list("path", "name"))

    rows = []
    for product_id, title, description, upc in products:
        categories = []
        for leaf in sorted(paths.get(product_id, [])):
            for path in _lineage(leaf, step):
                name = names.get(path)
                if name and name not in categories:
                    categories.append(name)
        rows.append(
            ProductSearchText(
                product_id=product_id,
                **fields(title, description, upc, partners.get(product_id, []), categories),
            )
        )
    ProductSearchText.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["product"],
        update_fields=["title", "body", "extra"],
    )
    return len(rows)


def _lineage(path: str, step: int) -> list[str]:
    """Tree paths of a category's ancestors, root first, and of the category itself."""
    return [path[:end] for end in range(step, len(path) + 1, step)]


def _cooperative_fields(apps) -> list[str]:
    """The name fields of `cooperatives.Cooperative` in this registry (a migration's state may
    predate them)."""
    try:
        Cooperative = apps.get_model("cooperatives", "Cooperative")
    except LookupError:
        return []
    present = {field.name for field in Cooperative._meta.get_fields()}
    return [name for name in COOPERATIVE_NAME_FIELDS if name in present]
