"""The search engine (Elasticsearch through Haystack), when SEARCH_URL configures one.

The engine only answers "which products, in which order"; the page of products is then loaded
from the database with the same constant-query queryset as every product list.
"""

from django.conf import settings
from django.db import transaction
from haystack import connections
from haystack.inputs import Raw
from haystack.query import SearchQuerySet

from .config import DATABASE_ENGINE

ALIAS = "default"


def configured() -> bool:
    return connections.connections_info[ALIAS].get("ENGINE", DATABASE_ENGINE) != DATABASE_ENGINE


def _product_index():
    from oscar.core.loading import get_model

    return connections[ALIAS].get_unified_index().get_index(get_model("catalogue", "Product"))


def search(words: list[str]) -> SearchQuerySet:
    """Products matching every (folded) word, best first, newest first among equals.

    Lazy, like a queryset: slicing it asks the engine for one page, counting it for the total.
    """
    from oscar.core.loading import get_model

    # Folded words are [a-z0-9] only: nothing in them is query syntax, so they go as they are.
    query = " ".join(words)
    return (
        SearchQuerySet(using=ALIAS)
        .models(get_model("catalogue", "Product"))
        .filter(content=Raw(query))
        .order_by("-_score", "-date_created")
    )


def update(product_ids) -> None:
    """Index these products as they are now, and drop those no longer listed."""
    index = _product_index()
    backend = connections[ALIAS].get_backend()
    ids = {int(pk) for pk in product_ids}
    present = list(index.index_queryset(ALIAS).filter(pk__in=ids))
    if present:
        backend.update(index, present)
    for pk in sorted(ids - {product.pk for product in present}):
        backend.remove(f"catalogue.product.{pk}")


def rebuild(batch_size: int = 500) -> int:
    """Empty the index and index every listed product again; return how many."""
    index = _product_index()
    backend = connections[ALIAS].get_backend()
    backend.clear(commit=True)
    queryset = index.index_queryset(ALIAS)
    total = 0
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = list(queryset.filter(pk__in=ids[start : start + batch_size]))
        backend.update(index, batch)
        total += len(batch)
    return total


def update_later(product_ids) -> None:
    """Reindex these products once the transaction commits: in a Celery task with retries when
    a worker runs, else at once in this process (one try: eager retries would hold the request).

    A failure is logged and never undoes the save that caused it; `rebuild_search_text`
    repairs the index.
    """
    from .tasks import update_search_engine

    ids = sorted({int(pk) for pk in product_ids})
    if settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: update(ids), robust=True)
    else:
        transaction.on_commit(lambda: update_search_engine.delay(ids), robust=True)
