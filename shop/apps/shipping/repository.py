from oscar.apps.shipping import repository

from logistics import quotes

from .methods import CourierService, QuotedAtCheckout
from .parcels import destination


class Repository(repository.Repository):
    """Every enabled courier service, in the order of `settings.COURIERS`.

    Before the shopper has given an address (the basket page) nothing can be quoted: a stand-in
    says the fee comes at checkout. One service is chosen for the whole order.
    """

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        if shipping_addr is None:
            return [QuotedAtCheckout()]
        to = destination(shipping_addr)
        return [CourierService(courier, service, to) for courier, service in quotes.services()]
