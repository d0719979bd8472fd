import logging

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from oscar.apps.checkout import mixins
from oscar.apps.payment.exceptions import UnableToTakePayment

from payments import methods
from shop.addresses.models import ShippingAddressUnits

from .stock import lock_stock_for
from .tasks import send_order_confirmation

logger = logging.getLogger("oscar.checkout")


class OrderPlacementMixin(mixins.OrderPlacementMixin):
    def chosen_payment_method(self):
        return methods.get(self.checkout_session.payment_method())

    def handle_payment(self, order_number, total, **kwargs):
        method = self.chosen_payment_method()
        if method is None:
            raise UnableToTakePayment(_("Please choose how you want to pay."))
        self.add_payment_source(method.source_for(total))

    def get_initial_order_status(self, basket):
        method = self.chosen_payment_method()
        return method.initial_order_status if method else None

    def place_order(self, **kwargs):
        """Write the whole order (address, lines, allocations, payment) or nothing."""
        with transaction.atomic():
            lock_stock_for(kwargs["basket"])
            return super().place_order(**kwargs)

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
        language = get_language()

        def queue():
            try:
                send_order_confirmation.delay(order.pk, path, language)
            except Exception:
                logger.exception("Order #%s: confirmation e-mail not sent", order.number)

        transaction.on_commit(queue)
