"""Keep the search text of products in step with every change that shows in it.

Title, description, UPC (product saved), cooperatives (stock record added, moved or removed;
partner or cooperative renamed) and categories (product filed or unfiled; category renamed).
The rows are rebuilt at once, in the same transaction, so a page served next shows the change;
saves that change none of it (stock levels, prices, allocations at checkout) cost nothing.
"""

from django.apps import apps as django_apps
from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model

from . import documents

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Cooperative = django_apps.get_model("cooperatives", "Cooperative")

# What each instance looked like when loaded (or last saved), to tell a rename from any other
# save. Read from __dict__ so that a deferred field is never loaded just for this.
_WATCHED = {
    Partner: ("name",),
    Category: ("name",),
    StockRecord: ("partner_id", "product_id"),
    Cooperative: documents.COOPERATIVE_NAME_FIELDS,
}


def _state(instance):
    return tuple(instance.__dict__.get(field) for field in _WATCHED[type(instance)])


def _remember(instance):
    instance._search_loaded = _state(instance)


for _model in _WATCHED:
    post_init.connect(
        lambda sender, instance, **kwargs: _remember(instance),
        sender=_model,
        weak=False,
        dispatch_uid=f"search-remember-{_model._meta.label}",
    )


def _changed(instance, update_fields, *fields) -> bool:
    """Did this save change any of these fields since the instance was loaded?"""
    if update_fields is not None and not set(update_fields) & {
        name for field in fields for name in (field, field.removesuffix("_id"))
    }:
        return False
    return getattr(instance, "_search_loaded", None) != _state(instance)


def _deleting_product(origin) -> bool:
    """Is this cascade part of deleting products (whose search rows go with them)?"""
    model = origin.model if isinstance(origin, QuerySet) else type(origin)
    return issubclass(model, Product)


@receiver(post_save, sender=Product, dispatch_uid="search-product-saved")
def product_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        documents.refresh([instance.pk])


@receiver(post_save, sender=StockRecord, dispatch_uid="search-stockrecord-saved")
def stockrecord_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A new stock record, or one moved to another partner or product; not a stock update."""
    if not raw and (created or _changed(instance, update_fields, "partner_id", "product_id")):
        _, product_before = getattr(instance, "_search_loaded", (None, None))
        documents.refresh([instance.product_id, product_before])
    _remember(instance)


@receiver(post_delete, sender=StockRecord, dispatch_uid="search-stockrecord-deleted")
def stockrecord_deleted(sender, instance, origin=None, **kwargs):
    if not _deleting_product(origin):
        documents.refresh([instance.product_id])


@receiver(post_save, sender=ProductCategory, dispatch_uid="search-filed")
def product_filed(sender, instance, raw=False, **kwargs):
    if not raw:
        documents.refresh([instance.product_id])


@receiver(post_delete, sender=ProductCategory, dispatch_uid="search-unfiled")
def product_unfiled(sender, instance, origin=None, **kwargs):
    if not _deleting_product(origin):
        documents.refresh([instance.product_id])


@receiver(m2m_changed, sender=ProductCategory, dispatch_uid="search-categories-changed")
def categories_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """`product.categories.add(...)` and friends, which send no save signal of the link."""
    if action == "pre_clear" and reverse:
        # A category's products are forgotten by the time of post_clear: note them now.
        instance._search_cleared = list(
            ProductCategory.objects.filter(category=instance).values_list("product_id", flat=True)
        )
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        documents.refresh([instance.pk])
    elif action == "post_clear":
        documents.refresh(getattr(instance, "_search_cleared", []))
    else:
        documents.refresh(pk_set or [])


@receiver(post_save, sender=Partner, dispatch_uid="search-partner-saved")
def partner_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A renamed cooperative: its products are found under the new name."""
    if not (raw or created) and _changed(instance, update_fields, "name"):
        documents.refresh(
            StockRecord.objects.filter(partner=instance).values_list("product_id", flat=True)
        )
    _remember(instance)


@receiver(post_save, sender=Cooperative, dispatch_uid="search-cooperative-saved")
def cooperative_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A cooperative's legal name changed (its display name is its partner's: see above)."""
    if not (raw or created) and _changed(
        instance, update_fields, *documents.COOPERATIVE_NAME_FIELDS
    ):
        documents.refresh(
            StockRecord.objects.filter(partner_id=instance.partner_id).values_list(
                "product_id", flat=True
            )
        )
    _remember(instance)


@receiver(post_save, sender=Category, dispatch_uid="search-category-saved")
def category_saved(sender, instance, created, raw=False, update_fields=None, **kwargs):
    """A renamed category: products of it and of its subcategories carry its name."""
    if not (raw or created) and _changed(instance, update_fields, "name"):
        documents.refresh(
            ProductCategory.objects.filter(category__path__startswith=instance.path).values_list(
                "product_id", flat=True
            )
        )
    _remember(instance)
