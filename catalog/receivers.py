import logging

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oscar.apps.catalogue.models import ProductAttribute, ProductImage

from .age_gate import ALCOHOLIC_CLASSES_CACHE_KEY
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
    from django.core.cache import cache

    try:
        make_renditions(name)
    except (OSError, ValueError):
        logger.warning("No renditions for %s", name, exc_info=True)
    cache.delete(f"renditions:{name}")


@receiver(post_save, sender=ProductAttribute, dispatch_uid="alcoholic-classes-changed-save")
@receiver(post_delete, sender=ProductAttribute, dispatch_uid="alcoholic-classes-changed-delete")
def forget_alcoholic_classes(sender, **kwargs):
    """A class gaining or losing its ABV attribute changes which products are drinks."""
    cache.delete(ALCOHOLIC_CLASSES_CACHE_KEY)
