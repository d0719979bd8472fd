"""Inviting people into a cooperative's back office (the Oscar dashboard).

`invite()` is the one way in: commerce officers invite a new cooperative's owner from the Wagtail
admin, and owners invite their own staff from the dashboard. The invited person gets an e-mail
with a link to set a password (Django's password-reset token, so the link stops working once the
password is set or after `PASSWORD_RESET_TIMEOUT`); the accept page is
`cooperatives.invitation_views.AcceptInvitationView`.

Members of a cooperative are Oscar partner users with `partner.dashboard_access`, never staff:
accounts that can reach the Wagtail admin or Django admin are refused, and so is anyone who
already works for another cooperative.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.models import Partner


class InvitationRefused(ValidationError):
    """This e-mail address cannot be made a member of this cooperative (the message says why)."""


MESSAGES = {
    "invalid": _("Enter a valid e-mail address."),
    "staff": _(
        "This e-mail address belongs to a platform staff or commerce officer account, which "
        "cannot also work for a cooperative. Use another e-mail address."
    ),
    "inactive": _("The account with this e-mail address is deactivated."),
    "other_cooperative": _(
        "This e-mail address already belongs to a member of another cooperative. "
        "A person can work for one cooperative only."
    ),
}


def normalize_email(email: str) -> str:
    email = (email or "").strip()
    if "@" in email:
        local, _at, domain = email.rpartition("@")
        email = f"{local}@{domain.lower()}"
    return email


def find_user(email: str):
    """The account with this e-mail address, however its case was typed (logins ignore it)."""
    return get_user_model().objects.filter(email__iexact=normalize_email(email)).first()


def check_invitable(cooperative, email: str):
    """Raise InvitationRefused unless `email` may join `cooperative`; return its user, if any."""
    email = normalize_email(email)
    try:
        validate_email(email)
    except ValidationError as exc:
        raise InvitationRefused(MESSAGES["invalid"], code="invalid") from exc
    user = find_user(email)
    if user is None:
        return None
    if user.is_staff or user.is_superuser or _can_use_wagtail_admin(user):
        raise InvitationRefused(MESSAGES["staff"], code="staff")
    if not user.is_active:
        raise InvitationRefused(MESSAGES["inactive"], code="inactive")
    others = Partner.objects.filter(users=user)
    if cooperative is not None and cooperative.partner_id:
        others = others.exclude(pk=cooperative.partner_id)
    if others.exists():
        raise InvitationRefused(MESSAGES["other_cooperative"], code="other_cooperative")
    return user


def _can_use_wagtail_admin(user) -> bool:
    # Asked of the permission tables directly: ModelBackend.has_perm() is False for inactive users.
    return (
        Permission.objects.filter(content_type__app_label="wagtailadmin", codename="access_admin")
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )


def dashboard_permission() -> Permission:
    return Permission.objects.get(codename="dashboard_access", content_type__app_label="partner")


def invite(cooperative, email, *, invited_by, request=None):
    """Make `email` a member of `cooperative` and e-mail them a link to set their password.

    Finds the account by e-mail or creates one with an unusable password; adds it to the
    cooperative's partner with dashboard access; makes it the cooperative's owner when it has
    none. Inviting a member again just sends a fresh link (this is how an invitation is re-sent).
    The e-mail, in Vietnamese, goes out through a Celery task once the transaction commits; its
    link is built on `SITE_URL`, never on the request's Host header (`request` is accepted for
    callers' convenience and not needed).

    Raises InvitationRefused (a ValidationError) for staff and officers, deactivated accounts
    and members of another cooperative.
    """
    from .tasks import send_invitation

    email = normalize_email(email)
    with transaction.atomic():
        user = check_invitable(cooperative, email)
        if user is None:
            user = get_user_model().objects.create_user(email=email, password=None)
        cooperative.partner.users.add(user)
        user.user_permissions.add(dashboard_permission())
        if cooperative.owner_id is None:
            cooperative.owner = user
            cooperative.save(update_fields=["owner"])
        inviter_id = getattr(invited_by, "pk", None)
        transaction.on_commit(
            lambda: send_invitation.delay(
                user.pk, cooperative.pk, inviter_id, settings.LANGUAGE_CODE
            )
        )
    return user
