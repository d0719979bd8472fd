"""The shopper's consent to the privacy notice: asked on the review step, kept with the order.

Law 91/2025 wants consent explicit (a box the shopper ticks, never pre-ticked) and recorded in a
reproducible form: which version of the notice, when, from which address and browser. The review
page sends the version it showed; if the notice changed in between, the shopper is asked again.
A POST without a version (a script, an old page) consents to the current one.
"""

import ipaddress

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.cms.models import PolicyConsent, StandardPage

CONSENT_REQUIRED = _(
    "Please tick the box to accept the privacy and personal-data notice: we cannot process your "
    "order without your consent."
)
VERSION_CHANGED = _(
    "The privacy notice has just been updated to version %(version)s. Please read it and tick "
    "the box again."
)


class PrivacyConsentForm(forms.Form):
    privacy_consent = forms.BooleanField(error_messages={"required": CONSENT_REQUIRED})
    privacy_version = forms.CharField(required=False, max_length=20)

    def __init__(self, *args, version: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version

    def clean_privacy_version(self):
        shown = self.cleaned_data["privacy_version"]
        if shown and shown != self.version:
            raise forms.ValidationError(VERSION_CHANGED, params={"version": self.version})
        return self.version

    def first_error(self) -> str:
        return next(iter(self.errors.values()))[0]


def record(order, request, version: str) -> PolicyConsent:
    """Called inside the transaction that writes the order: no order without its consent."""
    return PolicyConsent.objects.create(
        order=order,
        policy=StandardPage.Policy.PRIVACY,
        version=version,
        consented_at=timezone.now(),
        ip_address=client_ip(request),
        # PostgreSQL refuses NUL characters in text, and anyone can send any header.
        user_agent=request.META.get("HTTP_USER_AGENT", "").replace("\x00", "")[:300],
    )


def client_ip(request) -> str | None:
    address = request.META.get("REMOTE_ADDR", "")
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None
