"""Forms of a cooperative's own pages in the dashboard: its profile, photos and team."""

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from shop.addresses import units
from shop.addresses.forms import COMMUNE_NOT_IN_PROVINCE, MISSING_COMMUNE, MISSING_PROVINCE
from shop.addresses.phone import VietnamesePhoneField, format_vietnamese_phone
from shop.richtext import SanitizedHTMLField

from ..models import Cooperative, CooperativePhoto

IMAGE_INPUT = forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
BANK_FIELDS = ("bank_bin", "bank_account_number", "bank_account_holder")
MAX_PHOTOS = 12


def _province_choices():
    return [("", _("— Choose a province —"))] + [(u.code, u.name) for u in units.provinces()]


def _commune_choices(province_code):
    return [("", _("— Choose a commune —"))] + [
        (u.code, u.name) for u in units.communes(province_code)
    ]


class CooperativeProfileForm(forms.ModelForm):
    """What an owner may change about their cooperative; never its status, slug, partner or
    owner (officers decide those). Staff of the cooperative edit it too, but not the bank
    account the shop pays into (`with_bank=False`).

    Each commune is picked after its province: only the chosen province's communes are valid.
    Without JavaScript the page is sent back with the communes of the chosen province
    ("show_communes"); with it, `static/js/communes.js` loads them from `/dia-chi/xa/`.
    """

    # (province field, commune field, required)
    COMMUNE_PAIRS = (
        ("province", "commune_code", True),
        ("pickup_province", "pickup_commune_code", False),
    )

    province = forms.ChoiceField(label=_("Province / city"))
    commune_code = forms.ChoiceField(label=_("Commune / ward"))
    pickup_province = forms.ChoiceField(label=_("Pickup province / city"), required=False)
    pickup_commune_code = forms.ChoiceField(
        label=_("Pickup commune / ward"),
        required=False,
        help_text=_("Where couriers collect parcels; the cooperative's commune when empty."),
    )
    phone_number = VietnamesePhoneField(label=_("Phone number"), required=False)
    story = SanitizedHTMLField(
        label=_("Story"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"class": "wysiwyg", "rows": 10}),
        help_text=_("Who you are, where and how you make your products. Simple formatting only."),
    )

    class Meta:
        model = Cooperative
        fields = [
            "legal_name",
            "short_name",
            "legal_form",
            "registration_number",
            "province",
            "commune_code",
            "former_locality",
            "street_address",
            "pickup_province",
            "pickup_commune_code",
            "pickup_street_address",
            "phone_number",
            "email",
            "logo",
            "story",
            *BANK_FIELDS,
        ]
        widgets = {
            "logo": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
        }

    def __init__(self, *args, with_bank=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_bank = with_bank
        if not with_bank:
            for name in BANK_FIELDS:
                del self.fields[name]
        self.fields["legal_name"].required = True
        for province_name, commune_name, required in self.COMMUNE_PAIRS:
            province, commune = self.fields[province_name], self.fields[commune_name]
            province.choices = _province_choices()
            province.widget.attrs.update(
                {"data-commune-source": commune_name, "class": "no-widget-init"}
            )
            commune.widget.attrs["class"] = "no-widget-init"
            if required:
                province.error_messages.update(
                    required=MISSING_PROVINCE, invalid_choice=MISSING_PROVINCE
                )
                commune.error_messages["required"] = MISSING_COMMUNE
            commune.error_messages["invalid_choice"] = COMMUNE_NOT_IN_PROVINCE
            if not self.is_bound:
                code = getattr(self.instance, commune_name, "") or ""
                found = units.province_of(code) if code else None
                self.initial.setdefault(province_name, found.code if found else "")
                self.initial.setdefault(commune_name, code)
            commune.choices = _commune_choices(self._chosen(province_name))
        if self.instance.phone_number and not self.is_bound:
            self.initial["phone_number"] = format_vietnamese_phone(self.instance.phone_number)

    def _chosen(self, name):
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), ""))[:2]
        return str(self.initial.get(name) or "")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("pickup_commune_code") and not cleaned.get("pickup_province"):
            self.add_error("pickup_province", MISSING_PROVINCE)
        return cleaned

    def clean_phone_number(self):
        return self.cleaned_data.get("phone_number") or ""


class BasePhotoFormSet(forms.BaseInlineFormSet):
    """The cooperative's photos: add, caption, order, remove. Files are checked by the model's
    validator (`shop.uploads.validate_image`) and stored under safe names."""


PhotoFormSet = inlineformset_factory(
    Cooperative,
    CooperativePhoto,
    formset=BasePhotoFormSet,
    fields=("image", "caption", "display_order"),
    widgets={
        "image": forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"})
    },
    extra=2,
    can_delete=True,
    max_num=MAX_PHOTOS,
    validate_max=True,
)


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send an invitation to set a password and open your cooperative's pages."),
    )
