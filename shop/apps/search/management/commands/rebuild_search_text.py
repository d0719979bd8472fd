"""Rebuild the folded search text of every product, and the engine's index when there is one."""

from django.core.management.base import BaseCommand
from django.db import transaction

from shop.apps.search import documents, engine


class Command(BaseCommand):
    help = (
        "Rebuild the search text of every product (after a bulk import, loaddata or raw SQL) "
        "and, when SEARCH_URL names a search engine, empty its index and index every product."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database-only",
            action="store_true",
            help="Leave the search engine's index alone.",
        )

    def handle(self, *args, database_only=False, **options):
        with transaction.atomic():
            count = documents.refresh(notify_engine=False)
        self.stdout.write(f"Search text rebuilt for {count} products.")
        if engine.configured() and not database_only:
            indexed = engine.rebuild()
            self.stdout.write(f"Search engine index rebuilt: {indexed} products.")
