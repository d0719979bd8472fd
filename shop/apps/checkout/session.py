from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.checkout import exceptions, session

from catalog import age_gate
from payments import gateways
from payments.gateways import Availability, CheckoutFacts, PaymentGateway

CHOOSE_PAYMENT = _("Please choose how you want to pay.")


@dataclass(frozen=True)
class PaymentChoice:
    gateway: PaymentGateway
    availability: Availability

    @property
    def code(self) -> str:
        return self.gateway.code

    @property
    def available(self) -> bool:
        return self.availability.available


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

    # --- Payment methods ------------------------------------------------------------------------

    def checkout_facts(self, basket, order_total=None) -> CheckoutFacts:
        """What the gateways may ask: the total with delivery, and whether drinks are in it."""
        if order_total is None:
            order_total = self.build_submission(basket=basket)["order_total"]
        total = order_total.incl_tax if order_total is not None else basket.total_incl_tax
        return CheckoutFacts(total=total, has_alcoholic_drinks=age_gate.basket_has_drinks(basket))

    def payment_choices(self, basket, order_total=None) -> list[PaymentChoice]:
        """Every enabled gateway, in the settings' order, with whether this basket may use it."""
        facts = self.checkout_facts(basket, order_total)
        return [PaymentChoice(g, g.availability(facts)) for g in gateways.all_gateways()]

    def chosen_payment(self, basket, order_total=None) -> PaymentChoice | None:
        """The method in the session, re-checked against the basket as it is now."""
        code = self.checkout_session.payment_method()
        if gateways.get(code) is None:
            return None
        return next(c for c in self.payment_choices(basket, order_total) if c.code == code)

    def check_payment_data_is_captured(self, request):
        """The chosen method must still suit the basket (it may have changed since)."""
        choice = self.chosen_payment(request.basket)
        if choice is None:
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:payment-method"), message=CHOOSE_PAYMENT
            )
        if not choice.available:
            self.checkout_session.forget_payment_method()
            raise exceptions.FailedPreCondition(
                url=reverse("checkout:payment-method"), message=choice.availability.reason
            )
