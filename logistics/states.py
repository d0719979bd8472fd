"""Shopper-facing parcel states (couriers.md section 5) and the rules for moving between them.

Each courier adapter maps its raw codes to one of these; the rules here are the same for all.
"""

from django.utils.translation import gettext_lazy as _

AWAITING_BOOKING = "awaiting_booking"  # ours: not yet booked with the courier
AWAITING_PICKUP = "awaiting_pickup"
PICKUP_PROBLEM = "pickup_problem"  # internal; shoppers see "awaiting pickup"
IN_TRANSIT = "in_transit"
OUT_FOR_DELIVERY = "out_for_delivery"
DELIVERY_FAILED = "delivery_failed"
DELIVERED = "delivered"
RETURNING = "returning"
RETURNED = "returned"
CANCELLED = "cancelled"
LOST_DAMAGED = "lost_damaged"
UNKNOWN = "unknown"  # internal: a raw code we do not know; keeps the previous state

LABELS = {
    AWAITING_BOOKING: _("Being prepared"),
    AWAITING_PICKUP: _("Awaiting pickup"),
    PICKUP_PROBLEM: _("Awaiting pickup"),
    IN_TRANSIT: _("In transit"),
    OUT_FOR_DELIVERY: _("Out for delivery"),
    DELIVERY_FAILED: _("Delivery attempt failed"),
    DELIVERED: _("Delivered"),
    RETURNING: _("Returning to seller"),
    RETURNED: _("Returned to seller"),
    CANCELLED: _("Cancelled"),
    LOST_DAMAGED: _("Problem with shipment"),
    UNKNOWN: _("Unknown"),
}

CHOICES = [(code, label) for code, label in LABELS.items()]

#: Final states: only staff move a parcel out of them.
TERMINAL = frozenset({DELIVERED, RETURNED, CANCELLED, LOST_DAMAGED})

#: States in which the parcel has left the cooperative.
SHIPPED = frozenset({IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERY_FAILED, DELIVERED, RETURNING, RETURNED})


def label(state: str) -> str:
    return str(LABELS.get(state, state))


def may_move(current: str, new: str) -> bool:
    """Whether a courier event may move a parcel from `current` to `new`.

    Unknown codes never move it; nothing leaves a final state on a courier's word. Backward moves
    couriers really make (failed delivery -> out for delivery again) are allowed; event-time
    ordering is checked by the caller.
    """
    if new == UNKNOWN or current in TERMINAL:
        return False
    return new != current
