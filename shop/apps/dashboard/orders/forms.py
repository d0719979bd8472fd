from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.forms.widgets import DatePickerInput

from shop.apps.checkout import statuses


class OwnerOrderSearchForm(forms.Form):
    """The order search a cooperative owner gets: every filter looks at their own lines only.

    No voucher or payment-method filters: those are the platform's business, not the owner's.
    """

    order_number = forms.CharField(required=False, max_length=128, label=_("Order number"))
    name = forms.CharField(required=False, max_length=128, label=_("Recipient's name"))
    product_title = forms.CharField(required=False, max_length=255, label=_("Product name"))
    partner_sku = forms.CharField(required=False, max_length=128, label=_("Your SKU"))
    status = forms.ChoiceField(required=False, label=_("Order status"))
    date_from = forms.DateField(required=False, label=_("Placed from"), widget=DatePickerInput)
    date_to = forms.DateField(required=False, label=_("Placed until"), widget=DatePickerInput)
    response_format = forms.ChoiceField(
        required=False,
        choices=(("html", _("Web page")), ("csv", _("CSV file"))),
        initial="html",
        widget=forms.RadioSelect,
        label=_("Get results as"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All"))] + list(statuses.LABELS.items())
