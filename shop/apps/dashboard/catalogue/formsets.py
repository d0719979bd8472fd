"""Oscar's product formsets, tightened for partner users (cooperative owners and staff).

Oscar's inline formsets already refuse a posted stock record, image or recommendation id that
is not the product's own ("Select a valid choice"), and Oscar limits a partner user's stock
records to their partners. On top of that:

- a partner user keeps at least one stock record of their own partner: deleting the last one
  would hide the product from its own cooperative;
- recommendations ("upselling") point only to the cooperative's own products;
- a post without the formsets' management data is an error message, not an error 500.
"""

from django import forms
from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue import formsets as oscar_formsets
from oscar.core.loading import get_class, get_model

Product = get_model("catalogue", "Product")
partner_product_visibility_q = get_class(
    "dashboard.catalogue.utils", "partner_product_visibility_q"
)

KEEP_ONE_STOCK_RECORD = _(
    "Keep a price and stock line for your cooperative: without one, the product would "
    "disappear from your products."
)


class StockRecordFormSet(oscar_formsets.StockRecordFormSet):
    def set_initial_data(self):
        # A post without the management form has no forms at all: Oscar's would fail (500).
        if self.forms:
            super().set_initial_data()

    def clean(self):
        super().clean()
        if any(self.errors) or not self.require_user_stockrecord:
            return
        user_partners = set(self.user.partners.all())
        kept = {
            form.cleaned_data.get("partner")
            for form in self.forms
            if form.has_changed() or form.instance.pk
            if not self._should_delete_form(form)
        }
        if not user_partners & kept:
            raise forms.ValidationError(KEEP_ONE_STOCK_RECORD, code="no_own_stockrecord")


class ProductRecommendationFormSet(oscar_formsets.ProductRecommendationFormSet):
    def __init__(self, product_class, user, *args, **kwargs):
        self.user = user
        super().__init__(product_class, user, *args, **kwargs)

    def _restrict(self, form):
        if not self.user.is_staff and "recommendation" in form.fields:
            form.fields["recommendation"].queryset = Product.objects.filter(
                partner_product_visibility_q(self.user)
            ).distinct()
        return form

    def _construct_form(self, i, **kwargs):
        return self._restrict(super()._construct_form(i, **kwargs))

    @property
    def empty_form(self):
        return self._restrict(super().empty_form)
