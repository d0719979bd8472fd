"""The cooperative form of the Wagtail admin, where commerce officers onboard cooperatives."""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.models import Partner
from wagtail.admin.forms import WagtailAdminModelForm

from shop.addresses import units
from shop.addresses.phone import VietnamesePhoneField, format_vietnamese_phone
from shop.text import slugify

from . import regions
from .invitations import InvitationRefused, check_invitable
from .models import Cooperative

SLUG_MAX_LENGTH = Cooperative._meta.get_field("slug").max_length


def unique_slug(name: str, exclude_pk=None) -> str:
    """A slug for a cooperative from its name, numbered when taken ("htx-a", "htx-a-2", …)."""
    base = slugify(name)[: SLUG_MAX_LENGTH - 4].strip("-") or "htx"
    taken = Cooperative.objects.exclude(pk=exclude_pk)
    slug, number = base, 1
    while taken.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def unique_partner_code(slug: str) -> str:
    code, number = slug, 1
    while Partner.objects.filter(code=code).exists():
        number += 1
        code = f"{slug}-{number}"
    return code


class CooperativeAdminForm(WagtailAdminModelForm):
    """Province → commune pickers, a Vietnamese phone number, the bank list; on creation the
    owner's e-mail (the owner is invited), on edit the owner among the cooperative's members.
    """

    province = forms.ChoiceField(label=_("Province / city"))
    phone_number = VietnamesePhoneField(label=_("Phone number"), required=False)
    owner_email = forms.EmailField(
        label=_("Owner's e-mail address"),
        max_length=254,
        help_text=_(
            "The owner gets an e-mail with a link to choose a password and open the "
            "cooperative's dashboard."
        ),
    )

    class Meta:
        model = Cooperative
        fields = [
            "legal_name",
            "short_name",
            "slug",
            "legal_form",
            "registration_number",
            "commune_code",
            "former_locality",
            "street_address",
            "phone_number",
            "email",
            "bank_bin",
            "bank_account_number",
            "bank_account_holder",
            "logo",
            "story",
            "owner",
            "is_active",
            "is_verified",
        ]
        widgets = {"commune_code": forms.Select, "story": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        self.fields["slug"].required = False
        self.fields["slug"].help_text = _(
            "Used in the cooperative's web address. Left empty, it is made from the name."
        )
        if creating:
            del self.fields["owner"]
        else:
            del self.fields["owner_email"]
            self.fields["owner"] = forms.ModelChoiceField(
                label=_("Owner"),
                queryset=self.instance.partner.users.order_by("email"),
                required=False,
                help_text=_(
                    "One of the cooperative's members. Invite someone new with "
                    "“Send an invitation”."
                ),
            )
            if self.instance.phone_number:
                self.initial["phone_number"] = format_vietnamese_phone(self.instance.phone_number)

        province = self.fields["province"]
        province.choices = [("", _("— Choose a province —"))] + [
            (unit.code, unit.name) for unit in self.allowed_provinces()
        ]
        province.widget.attrs.update(
            {
                "data-commune-source": "commune_code",
                "data-communes-url": reverse("address-communes"),
            }
        )
        if not creating and (current := units.province_of(self.instance.commune_code)):
            self.initial.setdefault("province", current.code)

        commune = forms.ChoiceField(
            label=_("Commune / ward"),
            help_text=Cooperative._meta.get_field("commune_code").help_text,
            choices=self.commune_choices(self.selected_province()),
            error_messages={
                "required": _("Choose the commune or ward."),
                "invalid_choice": _(
                    "This commune does not belong to the chosen province; choose again."
                ),
            },
        )
        self.fields["commune_code"] = commune

    def allowed_provinces(self):
        """All provinces for platform staff; for an officer, those of its regions' communes."""
        codes = regions.commune_codes_of(self.for_user)
        if codes is None:
            return units.provinces()
        used = {unit for code in codes if (unit := units.province_of(code))}
        return [unit for unit in units.provinces() if unit in used]

    def clean_commune_code(self):
        code = self.cleaned_data["commune_code"]
        allowed = regions.commune_codes_of(self.for_user)
        if allowed is not None and code not in allowed:
            raise forms.ValidationError(
                _(
                    "This commune is outside your region: you can only add cooperatives of "
                    "your region's communes. Ask the platform staff if it should be added."
                ),
                code="outside_region",
            )
        return code

    def selected_province(self) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix("province"), ""))[:2]
        return str(self.initial.get("province") or "")

    @staticmethod
    def commune_choices(province_code):
        return [("", _("— Choose a commune —"))] + [
            (unit.code, unit.name) for unit in units.communes(province_code)
        ]

    def clean_owner_email(self):
        email = self.cleaned_data["owner_email"]
        try:
            check_invitable(None, email)
        except InvitationRefused as exc:
            raise forms.ValidationError(exc.messages, code=exc.code) from exc
        return email

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("short_name") or cleaned.get("legal_name")
        if not cleaned.get("slug") and name:
            cleaned["slug"] = unique_slug(name, exclude_pk=self.instance.pk)
        return cleaned

    class Media:
        js = ["js/communes.js"]
