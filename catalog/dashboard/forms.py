"""The certificate a cooperative owner submits: what the decision says, and its scan.

Stars, level, status and the review fields are not in the form: a commerce officer sets them
after reading the scan (Wagtail admin). The products covered can only be the cooperative's own.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.models import Category, Product

from ..models import CERTIFICATE_DETAILS, OcopCertificate

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CertificateForm(forms.ModelForm):
    class Meta:
        model = OcopCertificate
        fields = [*CERTIFICATE_DETAILS, "document"]
        widgets = {
            "signed_on": DATE_INPUT,
            "valid_until": DATE_INPUT,
            "products": forms.CheckboxSelectMultiple,
            "document": forms.ClearableFileInput(
                attrs={"accept": "application/pdf,image/jpeg,image/png,image/webp"}
            ),
        }
        help_texts = {
            "valid_until": _(
                "Leave empty: 36 months after signing, unless the decision says otherwise."
            ),
        }

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.cooperative = cooperative
            self.instance.status = OcopCertificate.Status.SUBMITTED
        self.fields["valid_until"].required = False
        self.fields["product_group"].queryset = Category.objects.filter(depth=1).order_by("path")
        self.fields["product_group"].empty_label = _("— Choose a product group —")
        self.fields["products"].queryset = (
            Product.objects.filter(stockrecords__partner_id=cooperative.partner_id)
            .distinct()
            .order_by("title")
        )
        self.fields["products"].help_text = _("Your products that this decision certifies.")
        for name in ("decision_number", "issuing_authority", "product_name_certified"):
            self.fields[name].strip = True
