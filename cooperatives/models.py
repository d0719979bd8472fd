from django.db import models
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from shop.addresses import units


class Cooperative(models.Model):
    """An OCOP producer selling in the shop: one per Oscar Partner, which holds its stock."""

    class LegalForm(models.TextChoices):
        COOPERATIVE = "htx", _("Cooperative (HTX)")
        COMPANY = "company", _("Company")
        HOUSEHOLD = "household", _("Business household")
        GROUP = "group", _("Cooperative group")

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.CASCADE, related_name="cooperative"
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.COOPERATIVE
    )
    commune_code = models.CharField(
        _("commune code"), max_length=5, help_text=_("Official code of the commune since 2025.")
    )
    former_locality = models.CharField(
        _("former locality"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where it was before the 2025 reorganisation, e.g. “xã Bằng Phúc, huyện Chợ Đồn”."
        ),
    )
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    phone_number = PhoneNumberField(_("phone number"), blank=True)
    story = models.TextField(_("story"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["partner__name"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")

    def __str__(self):
        return self.partner.name

    @property
    def name(self) -> str:
        return self.partner.name

    @property
    def commune(self):
        return units.commune(self.commune_code)

    @property
    def province(self):
        return units.province_of(self.commune_code)
