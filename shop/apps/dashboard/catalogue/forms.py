"""Oscar's product forms, made safe for cooperative owners to fill in.

- descriptions keep only the HTML `shop.richtext.sanitize_html` allows;
- photos are checked and renamed by `shop.uploads.clean_image_upload` (a real JPEG, PNG or WebP);
- a stock record belongs to one of the user's own partners, and its price and stock are never
  negative; prices are whole dong; a partner user must always give a price;
- a product's structure (standalone, parent, variant) is never taken from the posted form.
"""

import secrets

from django import forms
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import forms as oscar_forms

from shop.richtext import sanitize_html
from shop.uploads import clean_image_upload

NEGATIVE_PRICE = _("The price cannot be negative.")
FRACTIONAL_PRICE = _("Prices are in whole dong, without decimals.")
NEGATIVE_STOCK = _("The number in stock cannot be negative.")
NEGATIVE_THRESHOLD = _("The low-stock threshold cannot be negative.")
PRICE_REQUIRED = _("Enter the price shoppers pay, in dong.")
SKU_HELP = _("Your own code for this product; leave empty to get one.")


class ProductForm(oscar_forms.ProductForm):
    def clean_description(self):
        return sanitize_html(self.cleaned_data.get("description"))

    def clean_structure(self):
        # A hidden field: a forged value could turn a product into a parent or a variant.
        return self.instance.structure


class StockRecordForm(oscar_forms.StockRecordForm):
    def __init__(self, product_class, user, *args, **kwargs):
        super().__init__(product_class, user, *args, **kwargs)
        for name, message in (
            ("price", NEGATIVE_PRICE),
            ("num_in_stock", NEGATIVE_STOCK),
            ("low_stock_threshold", NEGATIVE_THRESHOLD),
        ):
            if name in self.fields:
                _never_negative(self.fields[name], message)
        if not user.is_staff:
            if "price" in self.fields:
                self.fields["price"].required = True
                self.fields["price"].error_messages["required"] = PRICE_REQUIRED
            if "price_currency" in self.fields:
                # Everything is sold in dong: a posted currency is ignored.
                self.fields["price_currency"].disabled = True
            if "partner_sku" in self.fields:
                self.fields["partner_sku"].required = False
                self.fields["partner_sku"].help_text = SKU_HELP

    def clean_partner_sku(self):
        """Owners need not invent stock codes: an empty one gets a made-up, unique-enough code."""
        sku = (self.cleaned_data.get("partner_sku") or "").strip()
        return sku or f"SP-{secrets.token_hex(4).upper()}"

    def clean_price(self):
        price = self.cleaned_data.get("price")
        if price is not None and price != price.to_integral_value():
            raise forms.ValidationError(FRACTIONAL_PRICE, code="fractional_price")
        return price


def _never_negative(field, message):
    if not any(isinstance(v, MinValueValidator) for v in field.validators):
        field.validators.append(MinValueValidator(0))
    field.error_messages["min_value"] = message
    field.widget.attrs.setdefault("min", 0)


class ProductImageForm(oscar_forms.ProductImageForm):
    def clean_original(self):
        return clean_image_upload(self.cleaned_data.get("original"))
