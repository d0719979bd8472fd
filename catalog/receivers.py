from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.apps.catalogue.models import ProductImage

from .images import make_renditions


@receiver(post_save, sender=ProductImage, dispatch_uid="product-image-renditions")
def render_product_image(sender, instance, **kwargs):
    if instance.original:
        name = instance.original.name
        transaction.on_commit(lambda: make_renditions(name))
