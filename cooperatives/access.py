"""Who may do what in a cooperative's back office (the Oscar dashboard at /shop/dashboard/).

Owners and their staff are users of the cooperative's Oscar `Partner` with the
`partner.dashboard_access` permission; they are never `is_staff`. `Cooperative.owner` is the
owner; the partner's other users are the owner's team ("cooperative staff"). A user belongs to one
cooperative (invitations refuse users of another cooperative).

The answers are cached on the user object, so the navigation, the views and the templates of one
request ask the database once.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Cooperative

_CACHE = "_ocop_cooperative"


def cooperative_of(user) -> Cooperative | None:
    """The cooperative whose partner this user belongs to (the one they own first), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, _CACHE):
        candidates = sorted(
            Cooperative.objects.filter(partner__users=user).select_related("partner"),
            key=lambda cooperative: (cooperative.owner_id != user.pk, cooperative.pk),
        )
        setattr(user, _CACHE, candidates[0] if candidates else None)
    return getattr(user, _CACHE)


def is_owner(user, cooperative: Cooperative | None = None) -> bool:
    cooperative = cooperative or cooperative_of(user)
    return bool(cooperative and user.is_authenticated and cooperative.owner_id == user.pk)


def is_partner_user(user) -> bool:
    """A cooperative's owner or staff working in the dashboard (platform staff are not)."""
    return (
        getattr(user, "is_authenticated", False)
        and not user.is_staff
        and user.has_perm("partner.dashboard_access")
        and cooperative_of(user) is not None
    )


def require_cooperative(user) -> Cooperative:
    """The user's cooperative, or 404 (platform staff without one have nothing to see here)."""
    cooperative = cooperative_of(user)
    if cooperative is None:
        raise Http404
    return cooperative


def require_owner(user) -> Cooperative:
    cooperative = require_cooperative(user)
    if not is_owner(user, cooperative):
        raise PermissionDenied
    return cooperative


def partner_ids(user) -> list[int]:
    """Ids of the partners whose stock, products and order lines the user may handle."""
    if not hasattr(user, "_ocop_partner_ids"):
        user._ocop_partner_ids = list(user.partners.values_list("pk", flat=True))
    return user._ocop_partner_ids
