from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import exceptions, session

from payments import methods


class CheckoutSessionMixin(session.CheckoutSessionMixin):
    def get_shipping_address(self, basket):
        address = super().get_shipping_address(basket)
        if address is not None:
            address.unit_codes = self.checkout_session.shipping_unit_codes()
        return address

    def check_payment_data_is_captured(self, request):
        if not methods.get(self.checkout_session.payment_method()):
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:payment-method"),
                message=_("Please choose how you want to pay."),
            )
