"""Who is an officer of which region, and the querysets an officer may see.

An officer of a region is a member of the region's `officer_group` (and of the "Commerce officers"
group, which carries the model permissions). Platform staff (superusers) see every region. An
officer who belongs to no region sees nothing: least privilege, never "everything by default".

The answers are cached on the user object, so the views of one request ask the database once.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q

from .models import Cooperative, Region

_CACHE = "_ocop_regions"


def sees_everything(user) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def regions_of(user) -> list[Region]:
    """The regions this user is an officer of (all of them for platform staff)."""
    if not getattr(user, "is_authenticated", False):
        return []
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
    queryset = Cooperative.objects.all() if queryset is None else queryset
    codes = commune_codes_of(user)
    return queryset if codes is None else queryset.filter(commune_code__in=codes)


def certificates_for(user, queryset):
    codes = commune_codes_of(user)
    return queryset if codes is None else queryset.filter(cooperative__commune_code__in=codes)


def in_region_condition(codes) -> Exists:
    """Condition on Oscar products: stocked by a cooperative of these communes."""
    from oscar.apps.partner.models import StockRecord

    return Exists(
        StockRecord.objects.filter(
            Q(product=OuterRef("pk")) | Q(product__parent=OuterRef("pk")),
            partner__cooperative__commune_code__in=codes,
        )
    )


def products_for(user, queryset):
    """The products an officer may feature: those sold by cooperatives of its regions."""
    codes = commune_codes_of(user)
    return queryset if codes is None else queryset.filter(in_region_condition(codes))


def officer_group_name(region: Region) -> str:
    return f"Commerce officers: {region.name}"[:150]


def ensure_officer_group(region: Region) -> Group:
    """The region's officers' group, created (and linked) when missing."""
    if region.officer_group_id is None:
        group, _created = Group.objects.get_or_create(name=officer_group_name(region))
        region.officer_group = group
        Region.objects.filter(pk=region.pk).update(officer_group=group)
    return region.officer_group
