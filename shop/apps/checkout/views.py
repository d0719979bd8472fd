from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse_lazy
from oscar.apps.checkout import views
from oscar.apps.order.models import ShippingAddress

from shop.addresses.forms import ShippingAddressForm
from shop.addresses.phone import format_vietnamese_phone
from shop.cms import policies

from .consent import PrivacyConsentForm
from .session import CHOOSE_PAYMENT

#: The policies linked above the "Place order" button, besides the privacy notice's checkbox.
POLICIES_AT_CHECKOUT = (
    policies.Policy.TERMS,
    policies.Policy.RETURNS,
    policies.Policy.SHIPPING,
    policies.Policy.PAYMENT,
)


class ShippingAddressView(views.ShippingAddressView):
    """One Vietnamese address form; registered shoppers find their last address filled in."""

    form_class = ShippingAddressForm
    ADDRESS_FIELDS = ("first_name", "phone_number", "line1", "notes")

    def get_initial(self):
        fields = self.checkout_session.new_shipping_address_fields()
        codes = self.checkout_session.shipping_unit_codes()
        if not fields:
            last = self.last_shipping_address()
            if last is None:
                return {}
            fields = {name: getattr(last, name) for name in self.ADDRESS_FIELDS}
            codes = {
                "province_code": last.units.province_code,
                "commune_code": last.units.commune_code,
            }
        initial = {name: fields.get(name) or "" for name in self.ADDRESS_FIELDS}
        if initial["phone_number"]:
            initial["phone_number"] = format_vietnamese_phone(initial["phone_number"])
        initial["province"] = codes.get("province_code", "")
        initial["commune"] = codes.get("commune_code", "")
        return initial

    def last_shipping_address(self):
        if not self.request.user.is_authenticated:
            return None
        return (
            ShippingAddress.objects.filter(order__user=self.request.user, units__isnull=False)
            .select_related("units")
            .order_by("-pk")
            .first()
        )

    def get_context_data(self, **kwargs):
        return super(views.ShippingAddressView, self).get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        if "show_communes" in request.POST:
            # Without JavaScript: show the communes of the chosen province, keep what was typed.
            form = self.get_form_class()(initial=request.POST.dict())
            return self.render_to_response(self.get_context_data(form=form))
        return super(views.ShippingAddressView, self).post(request, *args, **kwargs)

    def form_valid(self, form):
        fields = {k: v for k, v in form.instance.__dict__.items() if not k.startswith("_")}
        self.checkout_session.ship_to_new_address(fields, form.unit_codes)
        return redirect(self.get_success_url())


class ShippingMethodView(views.ShippingMethodView):
    """Shown when several courier services are enabled: each with its total and breakdown."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["selected"] = self.checkout_session.shipping_method_code(self.request.basket)
        return ctx


class PaymentMethodView(views.PaymentMethodView):
    """Every enabled method; those this basket may not use are shown disabled, with why."""

    template_name = "oscar/checkout/payment_method.html"
    success_url = reverse_lazy("checkout:preview")

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        choices = self.payment_choices(self.request.basket)
        available = [choice.code for choice in choices if choice.available]
        chosen = self.checkout_session.payment_method()
        ctx["choices"] = choices
        ctx["selected"] = chosen if chosen in available else next(iter(available), None)
        return ctx

    def post(self, request, *args, **kwargs):
        code = request.POST.get("payment_method")
        choice = next((c for c in self.payment_choices(request.basket) if c.code == code), None)
        if choice is None or not choice.available:
            self.checkout_session.forget_payment_method()
            messages.error(request, choice.availability.reason if choice else CHOOSE_PAYMENT)
            return self.render_to_response(self.get_context_data(), status=400)
        self.checkout_session.pay_by(choice.code)
        return redirect(self.get_success_url())


class PaymentDetailsView(views.PaymentDetailsView):
    """The review step ("preview") and the placing of the order."""

    def get(self, request, *args, **kwargs):
        if not self.preview:
            return redirect("checkout:preview")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        choice = self.chosen_payment(ctx["basket"], ctx.get("order_total"))
        ctx["payment_method"] = choice.gateway if choice else None
        ctx["confirmation_email"] = self.checkout_session.get_guest_email() or getattr(
            self.request.user, "email", ""
        )
        ctx["checkout_policies"] = [
            link for link in map(policies.policy_page, POLICIES_AT_CHECKOUT) if link
        ]
        ctx["privacy_page"] = policies.policy_page(policies.Policy.PRIVACY)
        ctx["privacy_version"] = policies.privacy_version()
        return ctx

    def handle_place_order_submission(self, request):
        """No order without the privacy notice's box ticked; the review page says why."""
        form = PrivacyConsentForm(request.POST, version=policies.privacy_version())
        if not form.is_valid():
            response = self.render_preview(request, error=form.first_error(), consent_form=form)
            response.status_code = 400
            return response
        self.privacy_consent_version = form.cleaned_data["privacy_version"]
        return super().handle_place_order_submission(request)
