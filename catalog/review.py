"""Verifying and rejecting OCOP certificates: what a commerce officer decides after reading a scan.

A certificate shows a star badge only once verified (and only while in force, see
`OcopCertificate.objects.in_force()`). The stars are read from the scan by the officer, never
taken from what the cooperative typed; the level follows from them (5★ is national). The person
who reviews is always recorded, and it can never be a member of the cooperative itself: owners
and their staff submit, somebody else verifies (the four-eyes rule of 5★ claims, for every
claim).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import log

from .models import OcopCertificate

VERIFY_ACTION = "catalog.certificate.verify"
REJECT_ACTION = "catalog.certificate.reject"


class ReviewRefused(ValidationError):
    """The review cannot be recorded (the message says why)."""


MESSAGES = {
    "stars": _("Choose the stars printed on the decision: 3, 4 or 5."),
    "reviewer": _("A certificate is reviewed by a named person."),
    "own_cooperative": _(
        "You belong to this cooperative: somebody outside it must review its certificates."
    ),
    "not_in_force": _(
        "This certificate is no longer valid (its end of validity has passed): it cannot be "
        "verified. The cooperative should submit its new decision."
    ),
    "not_signed": _("The date signed is in the future: correct it before verifying."),
    "reason": _("Say why the certificate is rejected: the cooperative reads this."),
    "not_rejectable": _("An expired certificate cannot be rejected."),
}


def _locked(certificate) -> OcopCertificate:
    return (
        OcopCertificate.objects.select_for_update(of=("self",))
        .select_related("cooperative__partner")
        .get(pk=certificate.pk)
    )


def _check_reviewer(certificate, by):
    if by is None or not getattr(by, "pk", None):
        raise ReviewRefused(MESSAGES["reviewer"], code="reviewer")
    if certificate.cooperative.partner.users.filter(pk=by.pk).exists():
        raise ReviewRefused(MESSAGES["own_cooperative"], code="own_cooperative")


def verify(certificate, *, stars, by) -> OcopCertificate:
    """Record the stars read from the scan and verify the certificate (its badge shows)."""
    try:
        stars = int(stars)
    except (TypeError, ValueError):
        stars = None
    if stars not in OcopCertificate.Stars.values:
        raise ReviewRefused(MESSAGES["stars"], code="stars")
    with transaction.atomic():
        item = _locked(certificate)
        _check_reviewer(item, by)
        today = timezone.localdate()
        if item.valid_until < today:
            raise ReviewRefused(MESSAGES["not_in_force"], code="not_in_force")
        if item.signed_on > today:
            raise ReviewRefused(MESSAGES["not_signed"], code="not_signed")
        if item.status != OcopCertificate.Status.VERIFIED:
            item.last_expiry_notice = None
        item.stars = stars
        item.status = OcopCertificate.Status.VERIFIED
        item.rejection_reason = ""
        item.reviewed_by = by
        item.reviewed_at = timezone.now()
        item.save()  # derives the level from the stars
        log(item, VERIFY_ACTION, user=by, data={"stars": stars})
    return item


def reject(certificate, *, reason, by) -> OcopCertificate:
    """Reject the certificate with a reason the cooperative reads (a verified one loses its
    badge)."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewRefused(MESSAGES["reason"], code="reason")
    with transaction.atomic():
        item = _locked(certificate)
        _check_reviewer(item, by)
        if item.status == OcopCertificate.Status.EXPIRED:
            raise ReviewRefused(MESSAGES["not_rejectable"], code="not_rejectable")
        item.status = OcopCertificate.Status.REJECTED
        item.rejection_reason = reason
        item.reviewed_by = by
        item.reviewed_at = timezone.now()
        item.save()
        log(item, REJECT_ACTION, user=by, data={"reason": reason})
    return item
