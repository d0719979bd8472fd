"""Who is an officer of which region, and the querysets an officer may see.

An officer of a region is a member of the region's `officer_group` (and of the "Commerce officers"
group, which carries the model permissions). Platform staff (superusers) see every region. An
officer who belongs to no region sees nothing: least privilege, never "everything by default".

The answers are cached on the user object, so the views of one request ask the database once.
Models are imported inside the functions: block and chooser modules import this one while the
apps' models are still loading.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group
from wagtail.models import PagePermissionTester

if TYPE_CHECKING:
    from .models import Region

_CACHE = "_ocop_regions"


def sees_everything(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def regions_of(user) -> list[Region]:
    """The regions this user is an officer of (all of them for platform staff)."""
    if not getattr(user, "is_authenticated", False):
        return []
    from .models import Region

    if not hasattr(user, _CACHE):
        regions = Region.objects.all()
        if not sees_everything(user):
            regions = regions.filter(officer_group__user=user)
        setattr(user, _CACHE, list(regions.distinct()))
    return getattr(user, _CACHE)


def commune_codes_of(user) -> set[str] | None:
    """The communes of the user's regions; None means no limit (platform staff)."""
    if sees_everything(user):
        return None
    return {code for region in regions_of(user) for code in region.commune_codes}


def cooperatives_for(user, queryset=None):
    """The cooperatives an officer may see and change: those in its regions' communes."""
    from .models import Cooperative

    queryset = Cooperative.objects.all() if queryset is None else queryset
    codes = commune_codes_of(user)
    return queryset if codes is None else queryset.filter(commune_code__in=codes)


def certificates_for(user, queryset):
    codes = commune_codes_of(user)
    return queryset if codes is None else queryset.filter(cooperative__commune_code__in=codes)


def products_for(user, queryset):
    """The products an officer may feature: those sold by cooperatives of its regions."""
    codes = commune_codes_of(user)
    if codes is None:
        return queryset
    from catalog.queries import sold_by

    return queryset.filter(sold_by(commune_code__in=codes))


def officer_group_name(region: Region) -> str:
    return f"Commerce officers: {region.name}"[:150]


def ensure_officer_group(region: Region) -> Group:
    """The region's officers' group, created (and linked) when missing."""
    from .models import Region

    if region.officer_group_id is None:
        group, _created = Group.objects.get_or_create(name=officer_group_name(region))
        region.officer_group = group
        Region.objects.filter(pk=region.pk).update(officer_group=group)
    return region.officer_group


def is_officer(user) -> bool:
    """A member of the "Commerce officers" group (whatever its regions)."""
    from .roles import OFFICERS_GROUP

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not hasattr(user, "_ocop_is_officer"):
        user._ocop_is_officer = user.groups.filter(name=OFFICERS_GROUP).exists()
    return user._ocop_is_officer


def officers_of(region: Region):
    from django.contrib.auth import get_user_model

    if region.officer_group_id is None:
        return get_user_model().objects.none()
    return get_user_model().objects.filter(groups=region.officer_group_id).order_by("email")


def is_region_officer(user) -> bool:
    """An officer with at least one region: what it takes to curate the shared pages."""
    return is_officer(user) and bool(regions_of(user))


def set_officers(region: Region, users) -> None:
    """Make exactly these users the region's officers. They also join the base group, which
    carries the admin permissions; those left without any region leave it."""
    from .models import Region
    from .roles import install_officer_group

    group = ensure_officer_group(region)
    leaving = set(group.user_set.all()) - set(users)
    group.user_set.set(users)
    base = install_officer_group()
    base.user_set.add(*users)
    other_groups = Region.objects.exclude(pk=region.pk).values("officer_group")
    base.user_set.remove(
        *[user for user in leaving if not user.groups.filter(pk__in=other_groups).exists()]
    )


REGION_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")
REGION_INDEX_SLUG = "vung"


def region_index_page():
    """The list of regions (/vung/), created under the home page when missing; None without
    a home page (nothing to hang it on yet)."""
    from django.utils.translation import gettext as _

    from shop.cms.models import HomePage

    from .pages import RegionIndexPage

    index = RegionIndexPage.objects.first()
    if index is None:
        home = HomePage.objects.first()
        if home is None:
            return None
        index = home.add_child(instance=RegionIndexPage(title=_("Regions"), slug=REGION_INDEX_SLUG))
        index.save_revision().publish()
    return index


def _free_child_slug(parent, slug: str) -> str:
    taken = set(parent.get_children().values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def install_region_pages(region: Region):
    """The region's officers' group, its RegionPage under the list of regions, and the group's
    page permissions on that page's subtree. Safe to run again: only adds what is missing.

    Returns the region's page (None while the site has no home page)."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    from .pages import RegionPage

    group = ensure_officer_group(region)
    page = RegionPage.objects.filter(region=region).first()
    if page is None:
        index = region_index_page()
        if index is None:
            return None
        page = index.add_child(
            instance=RegionPage(
                title=region.name, slug=_free_child_slug(index, region.slug), region=region
            )
        )
        page.save_revision().publish()
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=REGION_PAGE_PERMISSIONS
    )
    for permission in permissions:
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)
    return page


class HomePagePermissionTester(PagePermissionTester):
    """Officers curate the market's shared front page: they may edit and publish the home page
    itself. Granted here rather than as a GroupPagePermission on the home page, which would
    cascade to every page below it (other regions, the policy pages). Unpublishing, deleting,
    moving, reordering and privacy settings stay with platform staff."""

    def __init__(self, user, page):
        super().__init__(user, page)
        self.curates_front_page = not user.is_superuser and is_region_officer(user)

    def can_edit(self):
        return super().can_edit() or self.curates_front_page

    def can_publish(self):
        return super().can_publish() or self.curates_front_page

    def can_set_view_restrictions(self):
        return super().can_publish()
