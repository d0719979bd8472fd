"""`manage.py make_bench_catalogue --products N --manifest PATH`: the benchmark catalogue."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shop.bench import catalogue


class Command(BaseCommand):
    help = (
        "Load the benchmark catalogue (shop/bench/spec.py) into a freshly migrated database and "
        "write the manifest of pages and products the benchmark requests. A second run on the "
        "same database loads nothing and rewrites the manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=2000)
        parser.add_argument("--cooperatives", type=int, default=30)
        parser.add_argument("--manifest", type=Path, required=True)

    def handle(self, *args, products, cooperatives, manifest, **options):
        if products < 1 or cooperatives < 1:
            raise CommandError("--products and --cooperatives must be at least 1.")
        started = time.monotonic()
        try:
            loaded = catalogue.load(products, cooperatives)
        except catalogue.AlreadyLoaded as error:
            raise CommandError(
                f"This database already holds a benchmark catalogue of {error.args[0]} products, "
                f"not {products}: migrate a fresh database."
            ) from error
        manifest.parent.mkdir(parents=True, exist_ok=True)
        manifest.write_text(
            json.dumps(catalogue.manifest(products), ensure_ascii=False, indent=2) + "\n"
        )
        seconds = time.monotonic() - started
        if loaded:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded {products} products of {cooperatives} cooperatives in "
                    f"{seconds:.1f} s; manifest: {manifest}"
                )
            )
        else:
            self.stdout.write(
                f"The benchmark catalogue of {products} products was already loaded; "
                f"manifest rewritten: {manifest}"
            )
