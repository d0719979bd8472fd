"""The Vietnamese delivery address: full name, phone, province → commune, street and house."""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.models import ShippingAddress

from . import units
from .phone import VietnamesePhoneField

MISSING_PROVINCE = _("Choose your province or city.")
MISSING_COMMUNE = _("Choose your commune or ward.")
COMMUNE_NOT_IN_PROVINCE = _("This commune does not belong to the chosen province; choose again.")


class SingleLineField(forms.CharField):
    """Text on one line with single spaces, however it was typed or pasted."""

    def to_python(self, value):
        return " ".join(super().to_python(value).split())


class VietnameseAddressFields(forms.Form):
    """Province and commune pickers over the post-July-2025 units.

    The commune list depends on the province; without JavaScript the shopper picks the province
    and presses "Show communes" (the form re-renders with that province's communes).
    """

    province = forms.ChoiceField(label=_("Province / city"))
    commune = forms.ChoiceField(label=_("Commune / ward"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", _("— Choose a province —"))] + [
            (unit.code, unit.name) for unit in units.provinces()
        ]
        self.fields["province"].error_messages.update(
            required=MISSING_PROVINCE, invalid_choice=MISSING_PROVINCE
        )
        # Only the chosen province's communes are valid choices, so any other commune (or a
        # commune picked before the province changed) is refused with this message.
        self.fields["commune"].error_messages.update(
            required=MISSING_COMMUNE, invalid_choice=COMMUNE_NOT_IN_PROVINCE
        )
        self.fields["province"].widget.attrs["data-commune-source"] = self.add_prefix("commune")
        self.fields["commune"].choices = self.commune_choices(self.selected_province())

    def selected_province(self) -> str:
        field = self.add_prefix("province")
        if self.is_bound:
            return str(self.data.get(field, ""))[:2]
        return str(self.initial.get("province") or "")

    @staticmethod
    def commune_choices(province_code):
        placeholder = [("", _("— Choose a commune —"))]
        return placeholder + [(unit.code, unit.name) for unit in units.communes(province_code)]


class ShippingAddressForm(VietnameseAddressFields, forms.ModelForm):
    """Oscar's ShippingAddress filled the Vietnamese way (no postcode, one country).

    The names go to Oscar's text fields (commune → `line4`, province → `state`) so every Oscar
    screen shows the address; the codes travel beside it (`unit_codes`).
    """

    first_name = SingleLineField(
        label=_("Full name"),
        max_length=120,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Enter the recipient's full name.")},
    )
    phone_number = VietnamesePhoneField(
        label=_("Phone number"),
        help_text=_("The courier calls this number before delivering."),
        error_messages={"required": _("Enter a phone number for the courier.")},
    )
    line1 = SingleLineField(
        label=_("House number, street, hamlet or village"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "address-line1"}),
        error_messages={"required": _("Enter the house number and street, or the hamlet.")},
    )
    notes = forms.CharField(
        label=_("Notes for the courier (optional)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    field_order = ["first_name", "phone_number", "province", "commune", "line1", "notes"]

    class Meta:
        model = ShippingAddress
        fields = ["first_name", "phone_number", "line1", "notes"]

    def _post_clean(self):
        super()._post_clean()
        province = units.province(self.cleaned_data.get("province", ""))
        commune = units.commune(self.cleaned_data.get("commune", ""))
        if province and commune:
            self.instance.line4 = commune.name
            self.instance.state = province.name
            self.instance.country_id = "VN"

    @property
    def unit_codes(self) -> dict[str, str]:
        return {
            "province_code": self.cleaned_data["province"],
            "commune_code": self.cleaned_data["commune"],
        }
