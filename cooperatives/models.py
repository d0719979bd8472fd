from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from phonenumber_field.modelfields import PhoneNumberField

from payments import banks
from shop.addresses import units
from shop.uploads import safe_upload_to, validate_image

registration_number_validator = RegexValidator(
    r"^[0-9A-Za-z][0-9A-Za-z./-]{3,29}$",
    _("Enter the number as printed on the registration certificate (digits, letters, “-”, “/”)."),
)
account_number_validator = RegexValidator(
    r"^[0-9A-Z]{1,19}$", _("An account number has 1 to 19 digits or capital letters, no spaces.")
)


def validate_commune_code(value):
    if units.commune(value) is None:
        raise ValidationError(_("Choose a commune from the list."))


class Cooperative(models.Model):
    """An OCOP producer selling in the shop: one per Oscar Partner, which holds its stock.

    The partner's name is kept equal to `name`, so Oscar's own screens show the same name.
    """

    class LegalForm(models.TextChoices):
        COOPERATIVE = "htx", _("Cooperative (HTX)")
        COMPANY = "company", _("Company")
        HOUSEHOLD = "household", _("Business household")
        GROUP = "group", _("Cooperative group")

    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.CASCADE, related_name="cooperative"
    )
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    legal_name = models.CharField(
        _("legal name"),
        max_length=200,
        default="",
        help_text=_("As on the registration certificate."),
    )
    short_name = models.CharField(
        _("short name"),
        max_length=80,
        blank=True,
        help_text=_("The name shoppers see; the legal name is used when empty."),
    )
    legal_form = models.CharField(
        _("legal form"), max_length=20, choices=LegalForm.choices, default=LegalForm.COOPERATIVE
    )
    registration_number = models.CharField(
        _("registration or tax number"),
        max_length=30,
        blank=True,
        validators=[registration_number_validator],
    )
    commune_code = models.CharField(
        _("commune"),
        max_length=5,
        validators=[validate_commune_code],
        help_text=_("Official code of the commune since 2025."),
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
    pickup_commune_code = models.CharField(
        _("pickup commune"),
        max_length=5,
        blank=True,
        validators=[validate_commune_code],
        help_text=_("Where couriers collect parcels; the cooperative's commune when empty."),
    )
    pickup_street_address = models.CharField(_("pickup street address"), max_length=200, blank=True)
    phone_number = PhoneNumberField(_("phone number"), blank=True)
    email = models.EmailField(_("email"), blank=True)
    logo = models.ImageField(
        _("logo"),
        upload_to=safe_upload_to("cooperatives/logos"),
        validators=[validate_image],
        blank=True,
    )
    story = models.TextField(
        _("story"),
        blank=True,
        help_text=_("Who you are, where and how you make your products. Simple formatting only."),
    )
    bank_bin = models.CharField(_("bank"), max_length=6, blank=True, choices=banks.choices())
    bank_account_number = models.CharField(
        _("account number"), max_length=19, blank=True, validators=[account_number_validator]
    )
    bank_account_holder = models.CharField(_("account holder"), max_length=100, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_cooperatives",
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive cooperatives are hidden from shoppers.")
    )
    is_verified = models.BooleanField(
        _("verified"),
        default=False,
        help_text=_("A commerce officer has checked the registration papers."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("cooperative")
        verbose_name_plural = _("cooperatives")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if self.partner_id and self.partner.name != self.name:
            self.partner.name = self.name
            self.partner.save(update_fields=["name"])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("cooperatives:detail", kwargs={"slug": self.slug})

    @property
    def name(self) -> str:
        return self.short_name or self.legal_name

    @property
    def commune(self):
        return units.commune(self.commune_code)

    @property
    def province(self):
        return units.province_of(self.commune_code)

    @property
    def place(self) -> str:
        """Its commune and province, e.g. "Xã Đồng Phúc, Thái Nguyên"."""
        return units.place_name(self.commune_code)

    @property
    def pickup_commune(self):
        return units.commune(self.pickup_commune_code or self.commune_code)

    @property
    def bank(self):
        return banks.by_bin(self.bank_bin)

    @property
    def has_payout_account(self) -> bool:
        return bool(self.bank_bin and self.bank_account_number and self.bank_account_holder)

    def live_story_page(self):
        """Its story told on a region's page (the first one live), for a link from its page."""
        return self.story_pages.live().order_by("first_published_at").first()


class CooperativePhoto(models.Model):
    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to=safe_upload_to("cooperatives/photos"), validators=[validate_image]
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    display_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["display_order", "pk"]
        verbose_name = _("cooperative photo")
        verbose_name_plural = _("cooperative photos")

    def __str__(self):
        return self.caption or self.image.name


def validate_commune_codes(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Choose at least one commune."))
    unknown = [code for code in value if units.commune(str(code)) is None]
    if unknown:
        raise ValidationError(
            _("These are not communes: %(codes)s."), params={"codes": ", ".join(map(str, unknown))}
        )


class Region(models.Model):
    """A set of communes that one team of commerce officers promotes (e.g. those of the former
    Chợ Đồn district: districts were abolished in July 2025, so a region is any set of communes).

    Its officers are the members of `officer_group`, a Django group created with the region:
    Wagtail page permissions on the region's page subtree go to that group (`cooperatives.regions`).
    """

    name = models.CharField(_("name"), max_length=120, unique=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    commune_codes = models.JSONField(
        _("communes"), default=list, validators=[validate_commune_codes]
    )
    officer_group = models.OneToOneField(
        "auth.Group",
        verbose_name=_("officers' group"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="ocop_region",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name

    def cooperatives(self):
        return Cooperative.objects.filter(commune_code__in=self.commune_codes)

    def contains(self, commune_code: str) -> bool:
        return commune_code in self.commune_codes


from .pages import CooperativeStoryPage, RegionIndexPage, RegionPage  # noqa: E402, F401
