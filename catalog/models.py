"""OCOP certificates: what a cooperative's star badge rests on."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.uploads import safe_upload_to, validate_document

VALIDITY_MONTHS = 36
EXPIRY_NOTICE_DAYS = (90, 30)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (the last day of the month when that day does not exist)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable: every month has 28 days")


# What a certificate says, as read off the decision: owners type it in, officers may correct it.
# Stars, level and status are never among them: they change only through verify and reject.
CERTIFICATE_DETAILS = [
    "decision_number",
    "issuing_authority",
    "authority_type",
    "signed_on",
    "valid_until",
    "product_group",
    "product_name_certified",
    "products",
]


class CertificateQuerySet(models.QuerySet):
    def in_force(self, on: datetime.date | None = None):
        """Verified certificates valid on a day (today by default): the ones that show a badge."""
        on = on or timezone.localdate()
        return self.filter(
            status=OcopCertificate.Status.VERIFIED, signed_on__lte=on, valid_until__gte=on
        )


class OcopCertificate(models.Model):
    """An OCOP recognition decision for one or more products of a cooperative.

    Owners submit it with a scan; a commerce officer reads the scan, sets the stars and verifies it.
    Only then, and only until `valid_until`, do its products show the star badge.
    """

    class Stars(models.IntegerChoices):
        THREE = 3, _("3 stars")
        FOUR = 4, _("4 stars")
        FIVE = 5, _("5 stars")

    class Level(models.TextChoices):
        PROVINCIAL = "provincial", _("Provincial")
        NATIONAL = "national", _("National")

    class AuthorityType(models.TextChoices):
        PROVINCIAL = "provincial_pc", _("Provincial People's Committee")
        MINISTRY = "ministry", _("Ministry")
        DISTRICT = "district_pc", _("District People's Committee (before July 2025)")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting for verification")
        VERIFIED = "verified", _("Verified")
        REJECTED = "rejected", _("Rejected")
        EXPIRED = "expired", _("Expired")

    cooperative = models.ForeignKey(
        "cooperatives.Cooperative",
        verbose_name=_("cooperative"),
        on_delete=models.CASCADE,
        related_name="certificates",
    )
    decision_number = models.CharField(
        _("decision or certificate number"),
        max_length=60,
        help_text=_("As printed, e.g. “1234/QĐ-UBND”."),
    )
    issuing_authority = models.CharField(
        _("issuing authority"),
        max_length=200,
        help_text=_("As printed, e.g. “UBND tỉnh Thái Nguyên”."),
    )
    authority_type = models.CharField(
        _("authority type"),
        max_length=20,
        choices=AuthorityType.choices,
        default=AuthorityType.PROVINCIAL,
    )
    signed_on = models.DateField(_("date signed"))
    valid_until = models.DateField(
        _("valid until"),
        blank=True,
        help_text=_("36 months after signing unless the decision says otherwise."),
    )
    stars = models.PositiveSmallIntegerField(
        _("stars"), choices=Stars.choices, null=True, blank=True
    )
    level = models.CharField(_("level"), max_length=12, choices=Level.choices, blank=True)
    product_group = models.ForeignKey(
        "catalogue.Category",
        verbose_name=_("product group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    product_name_certified = models.CharField(
        _("product name on the certificate"), max_length=200, blank=True
    )
    products = models.ManyToManyField(
        "catalogue.Product",
        verbose_name=_("products covered"),
        related_name="ocop_certificates",
        blank=True,
    )
    document = models.FileField(
        _("scan of the decision"),
        upload_to=safe_upload_to("certificates"),
        validators=[validate_document],
        help_text=_("PDF, JPEG, PNG or WebP."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.SUBMITTED
    )
    rejection_reason = models.TextField(_("reason for rejection"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    last_expiry_notice = models.PositiveSmallIntegerField(
        _("last expiry notice (days before)"), null=True, blank=True, editable=False
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_on", "-pk"]
        verbose_name = _("OCOP certificate")
        verbose_name_plural = _("OCOP certificates")
        constraints = [
            models.CheckConstraint(
                condition=Q(stars__isnull=True) | Q(stars__in=[3, 4, 5]),
                name="ocop_certificate_stars_3_to_5",
            ),
            models.CheckConstraint(
                condition=~Q(status="verified") | Q(stars__isnull=False),
                name="ocop_certificate_verified_has_stars",
            ),
        ]

    def __str__(self):
        return self.decision_number

    def save(self, *args, **kwargs):
        if self.signed_on and not self.valid_until:
            self.valid_until = add_months(self.signed_on, VALIDITY_MONTHS)
        if self.stars:
            self.level = self.Level.NATIONAL if self.stars == 5 else self.Level.PROVINCIAL
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.signed_on and self.signed_on > timezone.localdate():
            errors["signed_on"] = _("The date signed cannot be in the future.")
        if self.signed_on and self.valid_until and self.valid_until <= self.signed_on:
            errors["valid_until"] = _("The end of validity must come after the date signed.")
        if self.status == self.Status.VERIFIED and not self.stars:
            errors["stars"] = _("Set the stars shown on the decision before verifying it.")
        if self.status == self.Status.REJECTED and not self.rejection_reason.strip():
            errors["rejection_reason"] = _("Say why the certificate is rejected.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_in_force(self) -> bool:
        today = timezone.localdate()
        return self.status == self.Status.VERIFIED and self.signed_on <= today <= self.valid_until

    @property
    def days_left(self) -> int:
        return (self.valid_until - timezone.localdate()).days


class AgeConfirmation(models.Model):
    """When the buyer of an order with alcoholic drinks confirmed being 18 or older.

    Kept with the order as evidence for Law 44/2019; only the time, never the date of birth.
    """

    order = models.OneToOneField(
        "order.Order",
        on_delete=models.CASCADE,
        related_name="age_confirmation",
        verbose_name=_("order"),
    )
    confirmed_at = models.DateTimeField(_("age confirmed at"))

    class Meta:
        verbose_name = _("age confirmation")
        verbose_name_plural = _("age confirmations")

    def __str__(self):
        return f"{self.order_id}: {self.confirmed_at:%Y-%m-%d %H:%M}"


from .pages import CampaignPage  # noqa: E402, F401
