"""Parcels: one per (order, cooperative), booked with a courier and followed event by event."""

from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from logistics import quotes, states

MONEY = {"max_digits": 14, "decimal_places": 0}


class Shipment(models.Model):
    """What one cooperative sends for one order; its lines are the order's lines of its partner."""

    #: Listed in Wagtail's admin, but nothing in the CMS refers to a parcel: not worth the
    #: reference-index queries on every save (checkout, each courier event).
    wagtail_reference_index_ignore = True

    PENDING = "pending"
    BOOKED = "booked"
    FAILED = "failed"
    BOOKING_STATUSES = [
        (PENDING, _("Booking")),
        (BOOKED, _("Booked")),
        (FAILED, _("Booking failed")),
    ]

    order = models.ForeignKey(
        "order.Order",
        on_delete=models.PROTECT,
        related_name="shipments",
        verbose_name=pgettext_lazy("shop order", "order"),
    )
    partner = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        related_name="shipments",
        verbose_name=_("cooperative"),
    )
    sequence = models.PositiveSmallIntegerField(default=1)
    #: "<order number>-<sequence>", sent as the courier's client order code (idempotency key).
    code = models.CharField(_("shipment code"), max_length=40, unique=True)
    courier = models.CharField(_("courier"), max_length=16)
    service = models.CharField(_("service"), max_length=32, blank=True)
    tracking_code = models.CharField(_("tracking code"), max_length=64, blank=True, db_index=True)
    state = models.CharField(
        _("state"), max_length=20, choices=states.CHOICES, default=states.AWAITING_BOOKING
    )
    raw_status = models.CharField(_("courier status"), max_length=64, blank=True)
    last_event_at = models.DateTimeField(_("last event"), null=True, blank=True)
    booking_status = models.CharField(
        _("booking"), max_length=8, choices=BOOKING_STATUSES, default=PENDING
    )
    booking_error = models.CharField(_("booking error"), max_length=500, blank=True)
    booking_attempts = models.PositiveSmallIntegerField(default=0)
    weight_grams = models.PositiveIntegerField(_("weight (g)"), default=0)
    goods_value = models.DecimalField(_("goods value"), default=Decimal(0), **MONEY)
    shipping_fee = models.DecimalField(_("shipping fee"), default=Decimal(0), **MONEY)
    cod_amount = models.DecimalField(_("cash to collect"), default=Decimal(0), **MONEY)
    cod_settled_at = models.DateTimeField(_("cash settled"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("handed to courier"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        ordering = ["order_id", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["order", "partner", "sequence"], name="logistics_shipment_once"
            )
        ]

    def __str__(self):
        return self.code

    @property
    def state_label(self) -> str:
        return states.label(self.state)

    @property
    def is_final(self) -> bool:
        return self.state in states.TERMINAL


class TrackingEvent(models.Model):
    """Every status event a courier reports, kept as the parcel's timeline, applied or not."""

    shipment = models.ForeignKey(
        Shipment, on_delete=models.CASCADE, related_name="events", verbose_name=_("shipment")
    )
    courier = models.CharField(_("courier"), max_length=16)
    raw_status = models.CharField(_("courier status"), max_length=64)
    state = models.CharField(_("state"), max_length=20, choices=states.CHOICES)
    event_time = models.DateTimeField(_("when"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    #: False: stored for the timeline but did not move the parcel (older, unknown, after final).
    applied = models.BooleanField(_("applied"), default=False)
    payload = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("tracking event")
        verbose_name_plural = _("tracking events")
        ordering = ["event_time", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["shipment", "raw_status", "event_time"], name="logistics_event_once"
            )
        ]

    def __str__(self):
        return f"{self.shipment.code} {self.raw_status} {self.event_time:%Y-%m-%d %H:%M}"

    @property
    def state_label(self) -> str:
        return states.label(self.state)


class ShippingCharge(models.Model):
    """One cooperative's share of an order's delivery fee, as quoted when the order was placed.

    Oscar's `order.shipping_incl_tax` is their sum (before any shipping discount); `source` says
    whether the courier quoted it or the table rate stood in (courier down or slow).
    """

    order = models.ForeignKey(
        "order.Order",
        on_delete=models.CASCADE,
        related_name="shipping_charges",
        verbose_name=pgettext_lazy("shop order", "order"),
    )
    partner = models.ForeignKey(
        "partner.Partner",
        on_delete=models.PROTECT,
        related_name="shipping_charges",
        verbose_name=_("cooperative"),
    )
    courier = models.CharField(_("courier"), max_length=16)
    service = models.CharField(_("service"), max_length=32, blank=True)
    fee = models.DecimalField(_("shipping fee"), **MONEY)
    source = models.CharField(_("source"), max_length=8, choices=quotes.SOURCES)
    weight_grams = models.PositiveIntegerField(_("weight (g)"))

    class Meta:
        verbose_name = _("shipping charge")
        verbose_name_plural = _("shipping charges")
        ordering = ["order_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "partner"], name="logistics_charge_once")
        ]

    def __str__(self):
        return f"{self.order_id} {self.partner_id} {self.fee}"


class CourierAddressCache(models.Model):
    """A commune (GSO code) resolved to a courier's own address ids, e.g. GHN district + ward.

    Filled at quote time from the courier's master data, so later quotes and bookings of the same
    commune make no master-data calls. Delete a row to make the adapter resolve it again.
    """

    courier = models.CharField(_("courier"), max_length=16)
    commune_code = models.CharField(_("commune code"), max_length=5)
    data = models.JSONField(default=dict)
    resolved_at = models.DateTimeField(_("resolved"), default=timezone.now)

    class Meta:
        verbose_name = _("courier address")
        verbose_name_plural = _("courier addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["courier", "commune_code"], name="logistics_courier_address_once"
            )
        ]

    def __str__(self):
        return f"{self.courier} {self.commune_code}"


class UnmatchedTrackingEvent(models.Model):
    """A courier event for a parcel we do not know (yet): kept for staff, never lost."""

    courier = models.CharField(_("courier"), max_length=16)
    tracking_code = models.CharField(_("tracking code"), max_length=64, blank=True)
    client_code = models.CharField(_("shipment code"), max_length=40, blank=True)
    raw_status = models.CharField(_("courier status"), max_length=64)
    state = models.CharField(_("state"), max_length=20, choices=states.CHOICES)
    event_time = models.DateTimeField(_("when"))
    description = models.CharField(_("description"), max_length=500, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        verbose_name = _("unmatched tracking event")
        verbose_name_plural = _("unmatched tracking events")
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["courier", "tracking_code", "raw_status", "event_time"],
                name="logistics_unmatched_once",
            )
        ]

    def __str__(self):
        return f"{self.courier} {self.tracking_code or self.client_code} {self.raw_status}"
