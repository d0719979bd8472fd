"""Signals logistics sends; receivers elsewhere react without logistics knowing them."""

from django.dispatch import Signal

#: A parcel's shopper-facing state moved (logistics.states). kwargs: shipment (logistics.Shipment),
#: old_state, new_state. Sent by logistics.services once the change is committed, once per change.
shipment_state_changed = Signal()
