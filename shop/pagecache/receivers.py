"""What moves the content version on: any saved or deleted row a public page could show.

A deny-list, not an allow-list: a model added later invalidates the pages until someone decides
it cannot show on them. What is listed here is written on every checkout, login or page view and
never appears on a cached page.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from . import versions

IGNORED_APPS = {
    "admin",
    "analytics",
    "auth",
    "basket",
    "communication",
    "contenttypes",
    "customer",
    "logistics",
    "order",
    "pagecache",
    "payment",
    "payments",
    "sessions",
    "users",
    "voucher",
    "wagtailadmin",
    "wagtailforms",
    "wagtailsearch",
    "wagtailusers",
    "wishlists",
    "address",
}
IGNORED_MODELS = {
    "catalog.AgeConfirmation",
    "cms.PolicyConsent",
    "partner.StockAlert",
    "wagtailcore.APIToken",
    "wagtailcore.Comment",
    "wagtailcore.CommentReply",
    "wagtailcore.ModelLogEntry",
    "wagtailcore.PageLogEntry",
    "wagtailcore.PageSubscription",
    "wagtailcore.ReferenceIndex",
    "wagtailcore.Revision",
    "wagtailcore.TaskState",
    "wagtailcore.UploadedFile",
    "wagtailcore.WorkflowState",
    # Made while a page renders; the image they show changed (and was saved) before.
    "wagtailimages.Rendition",
}


def shown_on_pages(model) -> bool:
    meta = model._meta
    return meta.app_label not in IGNORED_APPS and meta.label not in IGNORED_MODELS


def _changed(sender, raw=False, **kwargs):
    if not raw and shown_on_pages(sender):
        versions.bump()


def _relation_changed(sender, action, instance, model, **kwargs):
    if action.startswith("post_") and (shown_on_pages(type(instance)) or shown_on_pages(model)):
        versions.bump()


def connect():
    post_save.connect(_changed, dispatch_uid="page-cache-save")
    post_delete.connect(_changed, dispatch_uid="page-cache-delete")
    m2m_changed.connect(_relation_changed, dispatch_uid="page-cache-m2m")
