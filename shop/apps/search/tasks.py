from celery import shared_task


@shared_task(autoretry_for=(Exception,), retry_backoff=True, max_retries=6)
def update_search_engine(product_ids: list[int]) -> None:
    """Bring the engine's documents of these products in line with the database."""
    from . import engine

    engine.update(product_ids)
