from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import exceptions, session

from catalog import age_gate
from payments import methods


class CheckoutSessionMixin(session.CheckoutSessionMixin):
    def get_shipping_address(self, basket):
        address = super().get_shipping_address(basket)
        if address is not None:
            address.unit_codes = self.checkout_session.shipping_unit_codes()
        return address

    def check_basket_is_valid(self, request):
        """Also: alcoholic drinks are sold only to a visitor who confirmed being 18 or older.

        A drink put in the basket during an earlier visit (the confirmation lasts one visit)
        sends the shopper back to the age gate before any checkout step.
        """
        super().check_basket_is_valid(request)
        if not age_gate.is_confirmed(request) and age_gate.basket_has_drinks(request.basket):
            raise exceptions.FailedPreCondition(
                url=age_gate.gate_url(reverse("checkout:index")),
                message=_("Please confirm that you are 18 or older to buy alcoholic drinks."),
            )

    def check_payment_data_is_captured(self, request):
        if not methods.get(self.checkout_session.payment_method()):
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:payment-method"),
                message=_("Please choose how you want to pay."),
            )
