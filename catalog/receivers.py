import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from oscar.apps.catalogue.models import ProductImage

from .images import make_renditions

logger = logging.getLogger(__name__)


@receiver(post_save, sender=ProductImage, dispatch_uid="product-image-renditions")
def render_product_image(sender, instance, **kwargs):
    if instance.original:
        name = instance.original.name
        transaction.on_commit(lambda: make_renditions(name))


@receiver(post_save, sender="cooperatives.CooperativePhoto", dispatch_uid="coop-photo-renditions")
def render_cooperative_photo(sender, instance, **kwargs):
    """Cooperative photos get the same WebP renditions as product photos (responsive pages)."""
    if instance.image:
        name = instance.image.name
        transaction.on_commit(lambda: _render_quietly(name))


def _render_quietly(name):

    try:
        make_renditions(name)
    except (OSError, ValueError):
        logger.warning("No renditions for %s", name, exc_info=True)
    cache.delete(f"renditions:{name}")
