"""Make the share pictures of photos and logos saved before they existed (run once, safe again)."""

from django.core.management.base import BaseCommand
from oscar.apps.catalogue.models import ProductImage

from cooperatives.models import Cooperative, CooperativePhoto
from shop.seo.sharing import make_share_picture


class Command(BaseCommand):
    help = "Make the 1200 × 630 pictures that shared links to products and cooperatives show."

    def handle(self, *args, **options):
        names = [
            *ProductImage.objects.exclude(original="").values_list("original", flat=True),
            *CooperativePhoto.objects.exclude(image="").values_list("image", flat=True),
            *Cooperative.objects.exclude(logo="").values_list("logo", flat=True),
        ]
        failed = [name for name in names if name and not make_share_picture(name)]
        self.stdout.write(f"{len(names) - len(failed)} share pictures ready, {len(failed)} failed.")
