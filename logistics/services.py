"""Shipments: created per cooperative, booked with the courier, moved by courier events, and
Oscar's line and order statuses kept in step with them.

Every change of money or state runs in a transaction under row locks (order, then shipment),
so two webhooks of the same order, or a webhook and the sandbox beat, never race.
"""

import logging
from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.exceptions import InvalidShippingEvent
from oscar.core.loading import get_model

from logistics import couriers, states
from logistics.couriers import Address, BookingRequest, CourierError, Item, Parcel, TrackingUpdate
from logistics.models import Shipment, ShippingCharge, TrackingEvent, UnmatchedTrackingEvent
from logistics.signals import shipment_state_changed
from shop.pagecache import versions as page_versions
from shop.signals import cod_collected

logger = logging.getLogger("logistics")

Order = get_model("order", "Order")
Line = get_model("order", "Line")
OrderNote = get_model("order", "OrderNote")
ShippingEventType = get_model("order", "ShippingEventType")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
StockRecord = get_model("partner", "StockRecord")

#: The product attribute (catalog/product_classes.py) holding the packed weight in grams.
WEIGHT_ATTRIBUTE = "weight_grams"
#: Used for a product without a weight, so a parcel is never booked at 0 g.
DEFAULT_ITEM_GRAMS = 500

# Order and line statuses (shop/apps/checkout/statuses.py) that follow the parcels.
PARTLY_SHIPPED = "partly_shipped"
SHIPPED = "shipped"
DELIVERED = "delivered"
RETURNED = "returned"
_SHIPPING_STATUSES = frozenset({PARTLY_SHIPPED, SHIPPED, DELIVERED, RETURNED})


def whole(amount) -> Decimal:
    return Decimal(amount or 0).quantize(Decimal(1))


# --- Creating -------------------------------------------------------------------------------


def _is_cod(order) -> bool:
    """Cash on delivery: read from Oscar's payment source, so logistics never imports payments."""
    return order.sources.filter(source_type__code="cod").exists()


def _weights(lines) -> dict[int, int]:
    """Packed grams per product id, a child taking its parent's weight when it has none."""
    ids = {line.product_id for line in lines if line.product_id}
    ids |= {line.product.parent_id for line in lines if line.product_id and line.product.parent_id}
    values = ProductAttributeValue.objects.filter(
        product_id__in=ids, attribute__code=WEIGHT_ATTRIBUTE
    ).values_list("product_id", "value_integer", "value_float")
    found = {pk: integer if integer is not None else floating for pk, integer, floating in values}
    weights = {}
    for line in lines:
        if not line.product_id:
            continue
        grams = found.get(line.product_id) or found.get(line.product.parent_id)
        weights[line.product_id] = int(grams) if grams else DEFAULT_ITEM_GRAMS
    return weights


def _charges(order) -> dict[int, object]:
    """What checkout recorded per cooperative (logistics.ShippingCharge), when it did."""
    return {charge.partner_id: charge for charge in ShippingCharge.objects.filter(order=order)}


def _fee_shares(order, partner_ids: list[int], charges) -> dict[int, Decimal]:
    """Each cooperative's part of the order's shipping charge, summing to the charge exactly."""
    total = whole(order.shipping_incl_tax)
    if charges and all(pk in charges for pk in partner_ids):
        shares = {pk: whole(charges[pk].fee) for pk in partner_ids}
    else:
        base = total // len(partner_ids)
        shares = {pk: base for pk in partner_ids}
    shares[partner_ids[0]] += total - sum(shares.values())
    return shares


def _default_courier() -> str:
    """The first configured courier, for orders placed without a recorded choice; its default
    service is used (an empty service lets the adapter choose, without asking the courier now)."""
    available = couriers.all_couriers()
    return available[0].code if available else ""


def create_shipments(order, *, lines=None, charges=None, cod=None) -> list[Shipment]:
    """One shipment per cooperative of the order (safe to call again), booked after commit.

    A caller that has just written the order (checkout) passes what it already holds: its
    lines (with their products), the recorded shipping charges and whether it is paid on
    delivery; anything not passed is read from the database.
    """
    created = []
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=order.pk)
        existing = list(order.shipments.values_list("partner_id", flat=True))
        have = set(existing)
        if lines is None:
            lines = order.lines.select_related("product").order_by("pk")
        lines = sorted(lines, key=lambda line: line.pk)
        by_partner = defaultdict(list)
        for line in lines:
            if line.partner_id is not None:
                by_partner[line.partner_id].append(line)
        partner_ids = sorted(by_partner)
        if not partner_ids or set(partner_ids) <= have:
            return []
        charges = _charges(order) if charges is None else {c.partner_id: c for c in charges}
        shares = _fee_shares(order, partner_ids, charges)
        weights = _weights(lines)
        if cod is None:
            cod = _is_cod(order)
        goods = {
            pk: sum(
                (whole(line.line_price_incl_tax) for line in by_partner[pk]),
                Decimal(0),
            )
            for pk in partner_ids
        }
        cash = {pk: goods[pk] + shares[pk] if cod else Decimal(0) for pk in partner_ids}
        if cod:
            # The parcels together collect exactly the order's total, discounts included.
            cash[partner_ids[-1]] += whole(order.total_incl_tax) - sum(cash.values())
        number = len(existing)
        fallback = _default_courier() if set(partner_ids) - set(charges) else ""
        for pk in partner_ids:
            if pk in have:
                continue
            number += 1
            charge = charges.get(pk)
            courier_code = charge.courier if charge else fallback
            service = charge.service if charge else ""
            shipment = Shipment(
                order=order,
                partner_id=pk,
                sequence=1,
                code=f"{order.number}-{number}",
                courier=courier_code,
                service=service or "",
                weight_grams=sum(
                    weights.get(line.product_id, DEFAULT_ITEM_GRAMS) * line.quantity
                    for line in by_partner[pk]
                ),
                goods_value=goods[pk],
                shipping_fee=shares[pk],
                cod_amount=cash[pk],
            )
            created.append(shipment)
        # One INSERT for all the cooperatives' parcels (the keys come back for the bookings).
        created = Shipment.objects.bulk_create(created)
        for shipment in created:
            transaction.on_commit(lambda pk=shipment.pk: _queue_booking(pk))
    logger.info("Order #%s: %d shipment(s) created", order.number, len(created))
    return created


def _queue_booking(shipment_id: int) -> None:
    from logistics.tasks import book_shipment

    try:
        book_shipment.delay(shipment_id)
    except Exception as exc:
        # The broker is down: shown as a failed booking, which staff and the owner can retry.
        logger.exception("Shipment %s: booking not queued", shipment_id)
        try:
            record_booking_failure(shipment_id, f"Booking not queued: {exc}")
        except DatabaseError:
            logger.exception("Shipment %s: failure not recorded", shipment_id)


# --- Booking --------------------------------------------------------------------------------


def pickup_address(partner) -> Address | None:
    lookup = getattr(settings, "LOGISTICS_PICKUP_LOOKUP", "")
    return import_string(lookup)(partner) if lookup else None


def delivery_address(order) -> Address | None:
    address = order.shipping_address
    units = getattr(address, "units", None) if address is not None else None
    if units is None:
        return None
    return Address(
        name=address.name,
        phone=address.phone_number.as_e164 if address.phone_number else "",
        province_code=units.province_code,
        commune_code=units.commune_code,
        street=", ".join(part for part in (address.line1, address.line2) if part),
        province_name=address.state,
        commune_name=address.line4,
    )


def _site_text(message, **values) -> str:
    """Text stored for staff and owners, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(message) % values if values else str(message)


def booking_request(shipment: Shipment) -> BookingRequest:
    origin = pickup_address(shipment.partner)
    if origin is None:
        raise CourierError(_site_text(_("The cooperative has no pickup address.")))
    destination = delivery_address(shipment.order)
    if destination is None:
        raise CourierError(_site_text(_("The order has no delivery address with a commune.")))
    lines = list(
        shipment.order.lines.filter(partner_id=shipment.partner_id).select_related("product")
    )
    weights = _weights(lines)
    items = tuple(
        Item(
            name=line.title[:100],
            quantity=line.quantity,
            weight_grams=weights.get(line.product_id, DEFAULT_ITEM_GRAMS),
            price=whole(line.unit_price_incl_tax),
        )
        for line in lines
    )
    return BookingRequest(
        code=shipment.code,
        origin=origin,
        destination=destination,
        parcel=Parcel(
            weight_grams=shipment.weight_grams or DEFAULT_ITEM_GRAMS,
            value=shipment.goods_value,
            cod_amount=shipment.cod_amount,
            items=items,
        ),
        service=shipment.service,
        note=shipment.order.shipping_address.notes if shipment.order.shipping_address else "",
    )


def book(shipment_id: int) -> str:
    """Book one shipment with its courier; "booked" or "already". Raises CourierError.

    The courier call runs outside any transaction; the client order code (`shipment.code`)
    makes a repeated call find the first booking instead of making a second one.
    """
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        if shipment.booking_status == Shipment.BOOKED or shipment.is_final:
            return "already"
        shipment.booking_attempts += 1
        shipment.save(update_fields=["booking_attempts", "updated_at"])
    shipment = Shipment.objects.select_related("order__shipping_address", "partner").get(
        pk=shipment_id
    )
    courier = couriers.get(shipment.courier)
    if courier is None:
        raise CourierError(
            _site_text(_("Courier %(courier)s is not configured."), courier=shipment.courier)
        )
    booking = courier.create(booking_request(shipment))
    with transaction.atomic():
        shipment = Shipment.objects.select_for_update().get(pk=shipment_id)
        if shipment.booking_status == Shipment.BOOKED:
            return "already"
        shipment.tracking_code = booking.tracking_code
        shipment.booking_status = Shipment.BOOKED
        shipment.booking_error = ""
        if shipment.state == states.AWAITING_BOOKING:
            shipment.state = states.AWAITING_PICKUP
        fields = ["tracking_code", "booking_status", "booking_error", "state", "updated_at"]
        shipment.save(update_fields=fields)
    logger.info("Shipment %s booked with %s: %s", shipment, courier.code, booking.tracking_code)
    return "booked"


def record_booking_failure(shipment_id: int, error: str) -> None:
    """The last attempt failed: staff and the owner see it, with a retry button."""
    Shipment.objects.filter(pk=shipment_id).exclude(booking_status=Shipment.BOOKED).update(
        booking_status=Shipment.FAILED, booking_error=error[:500], updated_at=timezone.now()
    )
    logger.error("Shipment %s not booked: %s", shipment_id, error)


def retry_booking(shipment: Shipment) -> bool:
    """The owner's or staff's retry button: a failed booking is queued again after commit."""
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().get(pk=shipment.pk)
        if locked.booking_status != Shipment.FAILED:
            return False
        locked.booking_status = Shipment.PENDING
        locked.booking_error = ""
        locked.save(update_fields=["booking_status", "booking_error", "updated_at"])
        transaction.on_commit(lambda: _queue_booking(locked.pk))
    return True


def mark_handed_over(shipment: Shipment, by=None) -> bool:
    """The owner says the parcel is with the courier; the sandbox courier takes it from there."""
    with transaction.atomic():
        locked = Shipment.objects.select_for_update().get(pk=shipment.pk)
        if locked.handed_over_at is not None or locked.booking_status != Shipment.BOOKED:
            return False
        locked.handed_over_at = timezone.now()
        locked.save(update_fields=["handed_over_at", "updated_at"])
        OrderNote.objects.create(
            order_id=locked.order_id,
            user=by if getattr(by, "is_authenticated", False) else None,
            note_type="System",
            message=_site_text(_("Parcel %(code)s handed to the courier."), code=locked.code),
        )
    if locked.courier == "sandbox" and locked.state == states.AWAITING_PICKUP:
        from logistics.couriers.sandbox import PICKED, update_for

        apply_update(update_for(locked, PICKED, locked.handed_over_at))
    return True


# --- Courier events -------------------------------------------------------------------------


def _find(update: TrackingUpdate) -> Shipment | None:
    found = Shipment.objects.filter(courier=update.courier)
    if update.tracking_code:
        shipment = found.filter(tracking_code=update.tracking_code).first()
        if shipment is not None:
            return shipment
    if update.client_code:
        return found.filter(code=update.client_code).first()
    return None


def _text(value, limit: int) -> str:
    return str(value or "")[:limit]


def _payload(update: TrackingUpdate) -> dict:
    try:
        import json

        return json.loads(json.dumps(dict(update.raw), default=str))
    except (TypeError, ValueError):
        return {"unreadable": repr(update.raw)[:2000]}


def apply_update(update: TrackingUpdate) -> str:
    """Store a courier event once and apply it by couriers.md section 5.

    Returns "applied", "stored" (kept but the parcel did not move), "duplicate" or "unmatched".
    """
    found = _find(update)
    if found is None:
        UnmatchedTrackingEvent.objects.get_or_create(
            courier=update.courier,
            tracking_code=_text(update.tracking_code, 64),
            raw_status=_text(update.raw_status, 64),
            event_time=update.event_time,
            defaults={
                "client_code": _text(update.client_code, 40),
                "state": update.state,
                "description": _text(update.description, 500),
                "payload": _payload(update),
            },
        )
        logger.warning(
            "%s event for unknown parcel %s / %s kept for staff",
            update.courier,
            update.tracking_code,
            update.client_code,
        )
        return "unmatched"
    with transaction.atomic():
        order = Order.objects.select_for_update().get(pk=found.order_id)
        shipment = Shipment.objects.select_for_update().get(pk=found.pk)
        try:
            with transaction.atomic():
                event = TrackingEvent.objects.create(
                    shipment=shipment,
                    courier=update.courier,
                    raw_status=_text(update.raw_status, 64),
                    state=update.state,
                    event_time=update.event_time,
                    description=_text(update.description, 500),
                    payload=_payload(update),
                )
        except IntegrityError:
            return "duplicate"
        if not shipment.tracking_code and update.tracking_code:
            # The booking call timed out but the courier did book (Viettel Post has no lookup):
            # its first event names our code and brings the waybill.
            shipment.tracking_code = update.tracking_code[:64]
            shipment.booking_status = Shipment.BOOKED
            shipment.booking_error = ""
            fields = ["tracking_code", "booking_status", "booking_error", "updated_at"]
            shipment.save(update_fields=fields)
        # A provisional report (GHTK shipper reports, GHN `exception`) joins the timeline only.
        outcome = "stored" if update.provisional else _apply(order, shipment, event)
        if update.cod_settled and shipment.state == states.DELIVERED:
            _settle_cod(order, shipment)
    return outcome


def _apply(order, shipment: Shipment, event: TrackingEvent) -> str:
    if event.state == states.UNKNOWN or event.state not in states.LABELS:
        logger.warning(
            "Shipment %s: unknown %s status %r kept for staff",
            shipment.code,
            event.courier,
            event.raw_status,
        )
        return "stored"
    if shipment.is_final:
        return "stored"
    if shipment.last_event_at and event.event_time < shipment.last_event_at:
        return "stored"
    old = shipment.state
    shipment.raw_status = event.raw_status
    shipment.last_event_at = event.event_time
    if event.state != old and states.may_move(old, event.state):
        shipment.state = event.state
    shipment.save(update_fields=["raw_status", "last_event_at", "state", "updated_at"])
    event.applied = True
    event.save(update_fields=["applied"])
    if shipment.state != old:
        _sync_oscar(order, shipment, event)
        new = shipment.state
        transaction.on_commit(
            lambda: shipment_state_changed.send(
                sender=Shipment, shipment=shipment, old_state=old, new_state=new
            )
        )
    return "applied"


def _settle_cod(order, shipment: Shipment) -> None:
    """Tell payments the cash of this parcel is collected: once per shipment."""
    if shipment.cod_amount <= 0 or shipment.cod_settled_at is not None:
        return
    shipment.cod_settled_at = timezone.now()
    shipment.save(update_fields=["cod_settled_at", "updated_at"])
    cod_collected.send(
        sender=Shipment, order=order, amount=shipment.cod_amount, reference=shipment.code
    )


# --- Oscar in step --------------------------------------------------------------------------


def _path(current: str, target: str, pipeline: dict) -> list[str]:
    """The shortest walk from `current` to `target` through shipping statuses only."""
    if current == target:
        return []
    queue, seen = [(current, [])], {current}
    while queue:
        status, walked = queue.pop(0)
        for step in pipeline.get(status, ()):
            if step in seen or step not in _SHIPPING_STATUSES:
                continue
            if step == target:
                return [*walked, step]
            seen.add(step)
            queue.append((step, [*walked, step]))
    return []


def _line_target(state: str) -> str | None:
    if state == states.DELIVERED:
        return DELIVERED
    if state == states.RETURNED:
        return RETURNED
    if state in states.SHIPPED:
        return SHIPPED
    return None


def _event_type(state: str):
    found = ShippingEventType.objects.filter(code=state).first()
    if found is None:
        # By name too: staff may have made "Delivered" by hand (Oscar keeps names unique).
        found, _created = ShippingEventType.objects.get_or_create(
            name=state.replace("_", " ").capitalize(), defaults={"code": state}
        )
    return found


def _sync_oscar(order, shipment: Shipment, event: TrackingEvent) -> None:
    lines = list(
        order.lines.filter(partner_id=shipment.partner_id).select_related(
            "stockrecord__product__product_class"
        )
    )
    try:
        with transaction.atomic():
            shipping_event = order.shipping_events.create(
                event_type=_event_type(shipment.state),
                notes=f"{shipment.code} {event.raw_status}"[:500],
            )
            for line in lines:
                shipping_event.line_quantities.create(line=line, quantity=line.quantity)
    except InvalidShippingEvent:
        # The same kind of event again (a second delivery attempt): recorded for the order.
        order.shipping_events.create(
            event_type=_event_type(shipment.state),
            notes=f"{shipment.code} {event.raw_status}"[:500],
        )
    target = _line_target(shipment.state)
    if target is not None:
        for line in lines:
            if target in (SHIPPED, DELIVERED):
                _consume_stock(line)
            for status in _path(line.status, target, settings.OSCAR_LINE_STATUS_PIPELINE):
                line.set_status(status)
    if shipment.state == states.RETURNED:
        _restock(lines)
    _derive_order_status(order)


def _consume_stock(line) -> None:
    """Shipping consumes the allocation, once (the owner may have done it by hand)."""
    if (
        line.stockrecord_id
        and line.num_allocated
        and line.is_allocation_consumption_possible(line.num_allocated)
    ):
        line.consume_allocation(line.num_allocated)


def _restock(lines) -> None:
    """The goods are back at the cooperative: their stock returns to sale."""
    for line in lines:
        record = line.stockrecord
        if record is None or not record.can_track_allocations:
            continue
        if line.num_allocated and not line.allocation_cancelled:
            line.cancel_allocation(line.num_allocated)
        elif not line.allocation_cancelled:
            StockRecord.objects.filter(pk=record.pk).update(
                num_in_stock=F("num_in_stock") + line.quantity
            )
            page_versions.bump()


def order_target(shipment_states: list[str]) -> str | None:
    """The order status its parcels add up to, or None to leave it as it is."""
    if not shipment_states:
        return None
    if all(state in states.TERMINAL for state in shipment_states):
        if states.DELIVERED in shipment_states:
            return DELIVERED
        if states.RETURNED in shipment_states:
            return RETURNED
        return None  # cancelled or lost: staff decide
    left = [state in states.SHIPPED or state in states.TERMINAL for state in shipment_states]
    if all(left):
        return SHIPPED
    if any(state in states.SHIPPED for state in shipment_states):
        return PARTLY_SHIPPED
    return None


def _derive_order_status(order) -> None:
    target = order_target(list(order.shipments.values_list("state", flat=True)))
    if target is None:
        return
    if order.status_changes.filter(new_status=DELIVERED).exists():
        return  # cash on delivery may have moved it on to "paid": never back
    for status in _path(order.status, target, settings.OSCAR_ORDER_STATUS_PIPELINE):
        order.set_status(status)
