"""Forms behind the staff actions on payments; each checks what it can before a service runs.

Amounts are whole dong. The services check again under a row lock, so a form that was valid
a moment ago can still be refused (another staff member was quicker).
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.templatetags.currency_filters import currency

from payments import vietqr
from payments.models import Payment

MAX_AMOUNT = 10**13  # fits the 14-digit money fields


def _amount_field(label, help_text=""):
    return forms.IntegerField(
        label=label,
        min_value=1,
        max_value=MAX_AMOUNT,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"step": 1, "min": 1}),
    )


def _note_field(label, *, required):
    return forms.CharField(
        label=label,
        required=required,
        max_length=1000,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RefundForm(forms.Form):
    amount = _amount_field(_("Amount to refund (₫)"))
    note = _note_field(_("Why"), required=True)
    bank_reference = forms.CharField(
        label=_("Bank reference of the transfer you sent"),
        required=False,
        max_length=255,
        strip=True,
        help_text=_(
            "Bank transfers and cash are refunded by hand: send the money first, then record it "
            "here with the reference from the bank."
        ),
    )

    def __init__(self, *args, payment: Payment, online: bool, **kwargs):
        kwargs.setdefault("initial", {"amount": int(payment.refundable)})
        super().__init__(*args, **kwargs)
        self.payment = payment
        self.online = online
        if online:
            # Stripe sends the money back itself and gives its own reference.
            del self.fields["bank_reference"]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount > self.payment.refundable:
            raise forms.ValidationError(
                _("At most %(amount)s can be refunded.")
                % {"amount": currency(self.payment.refundable, "VND")}
            )
        return amount


class CashCollectedForm(forms.Form):
    amount = _amount_field(_("Cash collected (₫)"))
    reference = forms.CharField(
        label=_("Receipt or courier reference"),
        required=False,
        max_length=120,
        strip=True,
        help_text=_("Needed to record a second amount for the same order."),
    )

    def __init__(self, *args, payment: Payment, **kwargs):
        kwargs.setdefault("initial", {"amount": int(payment.amount_outstanding)})
        super().__init__(*args, **kwargs)


class SimulateTransferForm(forms.Form):
    amount = _amount_field(
        _("Amount transferred (₫)"),
        help_text=_("Less than due plays a partial payment, more plays an overpayment."),
    )

    def __init__(self, *args, payment: Payment, **kwargs):
        kwargs.setdefault(
            "initial", {"amount": int(payment.amount_outstanding or payment.amount_due)}
        )
        super().__init__(*args, **kwargs)


class ConfirmForm(forms.Form):
    """Actions without fields (reinstate, clear the flag): the CSRF token is the whole form."""

    def __init__(self, *args, payment: Payment, **kwargs):
        super().__init__(*args, **kwargs)


class AssignTransferForm(forms.Form):
    order = forms.CharField(
        label=_("Order number or transfer reference"),
        max_length=40,
        strip=True,
        help_text=_("For example 100042 or OCOP123456789."),
    )
    note = _note_field(_("Why this order"), required=True)

    def clean_order(self):
        """Find the payment by order number or by OCOP reference, however it was typed."""
        value = self.cleaned_data["order"]
        payments = Payment.objects.select_related("order")
        payment = payments.filter(order__number=value.lstrip("#")).first()
        if payment is None:
            references = vietqr.find_references(value)
            if len(references) == 1:
                payment = payments.filter(reference=references[0]).first()
        if payment is None:
            raise forms.ValidationError(_("No order with a payment has this number or reference."))
        self.cleaned_data["payment"] = payment
        return value
