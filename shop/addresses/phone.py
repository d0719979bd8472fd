"""Vietnamese phone numbers: what shoppers type ("0912 345 678", "+84 912345678") to E.164."""

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID_PHONE = _("Enter a Vietnamese phone number, for example 0912 345 678 or +84 912 345 678.")


def parse_vietnamese_phone(raw: str) -> str:
    """Return the number in E.164 ("+84912345678"), or raise ValidationError."""
    text = (raw or "").strip()
    if not text or len(text) > 20:
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    try:
        number = phonenumbers.parse(text, "VN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(INVALID_PHONE, code="invalid_phone") from exc
    if number.country_code != 84 or not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID_PHONE, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_vietnamese_phone(e164: str) -> str:
    """National format for display: "+84912345678" -> "0912 345 678"."""
    try:
        number = phonenumbers.parse(str(e164), "VN")
    except phonenumbers.NumberParseException:
        return str(e164)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


class VietnamesePhoneField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"type": "tel", "autocomplete": "tel", "inputmode": "tel"})

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return parse_vietnamese_phone(value)
