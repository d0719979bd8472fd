from oscar.apps.checkout import utils


class CheckoutSessionData(utils.CheckoutSessionData):
    """Oscar's checkout session, plus the unit codes of the delivery address."""

    def ship_to_new_address(self, address_fields, unit_codes=None):
        super().ship_to_new_address(address_fields)
        self._set("shipping", "unit_codes", unit_codes or {})

    def shipping_unit_codes(self) -> dict:
        return self._get("shipping", "unit_codes") or {}

    def forget_payment_method(self):
        self._unset("payment", "method")
