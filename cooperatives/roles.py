"""The "Commerce officers" group and the model permissions its members work with.

Officers (and platform staff, who are superusers) use the Wagtail admin: they onboard
cooperatives, verify OCOP certificates and upload the pictures of their pages. The group is
(re)installed after every `migrate` (a `post_migrate` receiver, so production gets it with its
deploy), by `load_demo_data`, and by hand with `manage.py install_officer_group`. Installing
only adds what is missing.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.db import DEFAULT_DB_ALIAS
from wagtail.models import Collection, GroupCollectionPermission

OFFICERS_GROUP = "Commerce officers"

OFFICER_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("cooperatives", "add_cooperative"),
    ("cooperatives", "change_cooperative"),
    ("cooperatives", "view_cooperative"),
    ("catalog", "change_ocopcertificate"),
    ("catalog", "view_ocopcertificate"),
]

# Banners and story pictures: officers upload images and choose them in every collection.
OFFICER_IMAGE_PERMISSIONS = ["add_image", "choose_image"]


def install_officer_group(using: str = DEFAULT_DB_ALIAS) -> Group:
    """Create the officers' group if needed and grant it OFFICER_PERMISSIONS."""
    # Model permissions are normally created by a post_migrate receiver that may run after ours.
    for label in {app_label for app_label, _codename in OFFICER_PERMISSIONS}:
        create_permissions(global_apps.get_app_config(label), verbosity=0, using=using)
    group, _created = Group.objects.using(using).get_or_create(name=OFFICERS_GROUP)
    for app_label, codename in OFFICER_PERMISSIONS:
        permission = (
            Permission.objects.using(using)
            .filter(content_type__app_label=app_label, codename=codename)
            .first()
        )
        if permission is not None:
            group.permissions.add(permission)
    root = Collection.objects.using(using).filter(depth=1).first()
    if root is not None:
        create_permissions(global_apps.get_app_config("wagtailimages"), verbosity=0, using=using)
        for permission in Permission.objects.using(using).filter(
            content_type__app_label="wagtailimages", codename__in=OFFICER_IMAGE_PERMISSIONS
        ):
            GroupCollectionPermission.objects.using(using).get_or_create(
                group=group, collection=root, permission=permission
            )
    return group


def install_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs):
    from catalog.workflows import install_campaign_workflow

    install_officer_group(using=using)
    install_campaign_workflow(using=using)
