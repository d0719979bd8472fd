"""Share pictures are made when a photo or logo is saved, after the transaction commits."""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.apps.catalogue.models import ProductImage

from .sharing import make_share_picture


def _make_after_commit(image_field):
    name = getattr(image_field, "name", "")
    if name:
        transaction.on_commit(lambda: make_share_picture(name))


@receiver(post_save, sender=ProductImage, dispatch_uid="product-image-share-picture")
def product_photo_saved(sender, instance, **kwargs):
    _make_after_commit(instance.original)


@receiver(
    post_save, sender="cooperatives.CooperativePhoto", dispatch_uid="coop-photo-share-picture"
)
def cooperative_photo_saved(sender, instance, **kwargs):
    _make_after_commit(instance.image)


@receiver(post_save, sender="cooperatives.Cooperative", dispatch_uid="coop-logo-share-picture")
def cooperative_saved(sender, instance, **kwargs):
    _make_after_commit(instance.logo)
