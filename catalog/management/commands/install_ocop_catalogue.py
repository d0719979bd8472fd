"""Create the OCOP category tree and product classes a new shop needs (idempotent)."""

from django.core.management.base import BaseCommand

from catalog import ocop_groups, product_classes


class Command(BaseCommand):
    help = "Create the six OCOP product groups, their subgroups and the product classes."

    def handle(self, *args, **options):
        categories = ocop_groups.install()
        classes = product_classes.install()
        self.stdout.write(
            self.style.SUCCESS(f"{len(categories)} categories, {len(classes)} product classes.")
        )
