"""Where couriers collect a cooperative's parcels (`settings.LOGISTICS_PICKUP_LOOKUP`): logistics
asks through that setting, never importing us."""

from logistics.couriers import Address
from shop.addresses import units

from .models import Cooperative


def pickup_address(partner) -> Address | None:
    """The pickup commune and street, else the registered ones; None without a cooperative."""
    cooperative = Cooperative.objects.filter(partner_id=partner.pk).first()
    if cooperative is None:
        return None
    if cooperative.pickup_commune_code:
        commune_code, street = cooperative.pickup_commune_code, cooperative.pickup_street_address
        street = street or (
            cooperative.street_address
            if cooperative.pickup_commune_code == cooperative.commune_code
            else ""
        )
    else:
        commune_code, street = cooperative.commune_code, cooperative.street_address
    commune = units.commune(commune_code)
    province = units.province_of(commune_code)
    if commune is None or province is None:
        return None
    phone = cooperative.phone_number
    return Address(
        name=cooperative.name,
        phone=phone.as_e164 if phone else "",
        province_code=province.code,
        commune_code=commune.code,
        street=street,
        province_name=province.name,
        commune_name=commune.name,
    )
