import logging

from django.conf import settings
from django.contrib import messages
from django.db import DatabaseError, transaction
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from oscar.apps.checkout import mixins
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.payment.exceptions import UnableToTakePayment
from oscar.apps.payment.models import Source, SourceType

from catalog import age_gate
from catalog.models import AgeConfirmation
from logistics import services as shipments
from payments import services
from payments.views import page_path
from shop.addresses.models import ShippingAddressUnits
from shop.apps.shipping.methods import record_charges

from . import consent
from .session import CHOOSE_PAYMENT
from .stock import LockedStockOrderCreator, lock_stock_for
from .tasks import send_order_confirmation

logger = logging.getLogger("oscar.checkout")


class OrderPlacementMixin(mixins.OrderPlacementMixin):
    _offered_codes: tuple[str, ...] = ()
    _recorded_charges = None
    _placed_order = None
    # The privacy notice's version the shopper ticked the box for (set by the review step).
    privacy_consent_version: str | None = None

    def handle_payment(self, order_number, total, **kwargs):
        """Check once more, on the frozen basket, that the chosen method may pay this total."""
        choices = self.payment_choices(self.request.basket, total)
        code = self.checkout_session.payment_method()
        choice = next((c for c in choices if c.code == code), None)
        if choice is None:
            raise UnableToTakePayment(CHOOSE_PAYMENT)
        if not choice.available:
            self.checkout_session.forget_payment_method()
            raise UnableToTakePayment(choice.availability.reason)
        self._offered_codes = tuple(c.code for c in choices if c.available)
        with translation.override(settings.LANGUAGE_CODE):
            name = str(choice.gateway.name)  # stored for staff screens; shoppers see the label
        source_type, _created = SourceType.objects.get_or_create(
            code=choice.code, defaults={"name": name}
        )
        self.add_payment_source(
            Source(
                source_type=source_type,
                currency=total.currency,
                amount_allocated=total.incl_tax,
            )
        )

    def render_payment_details(self, request, error=None, **kwargs):
        """A method refused at the last moment: back to the choice of method, saying why."""
        messages.error(request, error or CHOOSE_PAYMENT)
        return redirect("checkout:payment-method")

    def get_initial_order_status(self, basket):
        return services.initial_order_status(self.checkout_session.payment_method())

    def place_order(self, **kwargs):
        """Write the whole order (address, lines, allocations, payment) or nothing."""
        basket = kwargs["basket"]
        with transaction.atomic():
            locked = lock_stock_for(basket)
            order = self.write_order(locked, **kwargs)
            self._recorded_charges = record_charges(order, kwargs.get("shipping_method"), basket)
            services.create_for_order(
                order, self.checkout_session.payment_method(), list(self._offered_codes)
            )
            if age_gate.basket_has_drinks(basket):
                confirmed_at = age_gate.confirmed_at(self.request)
                if confirmed_at is None:
                    raise UnableToPlaceOrder(
                        _("Please confirm that you are 18 or older to buy alcoholic drinks.")
                    )
                AgeConfirmation.objects.create(order=order, confirmed_at=confirmed_at)
            if self.privacy_consent_version is None:
                raise UnableToPlaceOrder(str(consent.CONSENT_REQUIRED))
            consent.record(order, self.request, self.privacy_consent_version)
            return order

    def write_order(
        self,
        locked,
        order_number,
        user,
        basket,
        shipping_address,
        shipping_method,
        shipping_charge,
        order_total,
        billing_address=None,
        surcharges=None,
        **kwargs,
    ):
        """Oscar's `place_order`, with an order creator that allocates on the locked rows."""
        shipping_address = self.create_shipping_address(user, shipping_address)
        billing_address = self.create_billing_address(
            user, billing_address, shipping_address, **kwargs
        )
        if "status" in kwargs:
            status = kwargs.pop("status")
        else:
            status = self.get_initial_order_status(basket)
        request = kwargs.pop("request") if "request" in kwargs else getattr(self, "request", None)
        order = LockedStockOrderCreator(locked).place_order(
            user=user,
            order_number=order_number,
            basket=basket,
            shipping_address=shipping_address,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            total=order_total,
            billing_address=billing_address,
            status=status,
            request=request,
            surcharges=surcharges,
            **kwargs,
        )
        self.save_payment_details(order)
        return order

    def handle_successful_order(self, order):
        self._placed_order = order
        if order.status != services.PENDING_PAYMENT:
            # Cash on delivery: confirmed now, so its parcels are made and booked now. A prepaid
            # order gets them when its money arrives (logistics/receivers.py).
            try:
                shipments.create_shipments(
                    order,
                    # What was just written: the lines, the charges and the payment source.
                    lines=order.lines.all(),
                    charges=self._recorded_charges,
                    cod=any(s.source_type.code == "cod" for s in self._payment_sources or ()),
                )
            except DatabaseError:
                logger.exception("Order #%s: shipments not created", order.number)
        return super().handle_successful_order(order)

    def get_success_url(self):
        """An order waiting for its money goes straight to the page that takes it."""
        order = self._placed_order
        if order is not None and order.status == services.PENDING_PAYMENT:
            return page_path(order)
        return super().get_success_url()

    def create_shipping_address(self, user, shipping_address):
        address = super().create_shipping_address(user, shipping_address)
        unit_codes = getattr(shipping_address, "unit_codes", None)
        if address is not None and unit_codes:
            ShippingAddressUnits.objects.create(address=address, **unit_codes)
        return address

    def update_address_book(self, user, addr):
        """Kept out: checkout offers the address of the shopper's last order instead."""

    def send_order_placed_email(self, order):
        """Sent by a task after commit, so a mail failure never undoes or hides an order."""
        path = self.get_message_context(order).get("status_path", "")
        pay_path = page_path(order) if order.status == services.PENDING_PAYMENT else ""
        language = get_language()

        def queue():
            try:
                send_order_confirmation.delay(order.pk, path, language, pay_path)
            except Exception:
                logger.exception("Order #%s: confirmation e-mail not sent", order.number)

        transaction.on_commit(queue)
