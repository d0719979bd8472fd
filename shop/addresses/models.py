from django.db import models
from django.utils.translation import gettext_lazy as _

from . import units


class ShippingAddressUnits(models.Model):
    """The canonical unit codes of an order's delivery address.

    Oscar's address keeps the names as text (commune in `line4`, province in `state`); couriers
    need the codes, and names can change while codes do not.
    """

    address = models.OneToOneField(
        "order.ShippingAddress", on_delete=models.CASCADE, related_name="units"
    )
    province_code = models.CharField(_("province code"), max_length=2)
    commune_code = models.CharField(_("commune code"), max_length=5)

    class Meta:
        verbose_name = _("address units")
        verbose_name_plural = _("address units")

    def __str__(self):
        commune = units.commune(self.commune_code)
        return commune.name if commune else self.commune_code
