"""A courier that lives on this machine: quotes from a table, books instantly, prints its own
label, and (through `logistics.tasks.advance_sandbox_shipments`) walks each parcel from pickup to
the door, with a failed first attempt for every seventh parcel. Its webhooks are our own, signed
with a key derived from SECRET_KEY, so tests and the demo play them through the real endpoint.
"""

import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _

from logistics import states

from .base import (
    Address,
    Booking,
    BookingRequest,
    CourierError,
    Label,
    Parcel,
    Quote,
    Service,
    TrackingUpdate,
    WebhookAuthError,
    WebhookPayloadError,
)

SIGNATURE_HEADER = "X-Sandbox-Signature"

READY, PICKED, TRANSPORTING, DELIVERING, FAILED, DELIVERED = (
    "ready_to_pick",
    "picked",
    "transporting",
    "delivering",
    "delivery_fail",
    "delivered",
)
RETURNING, RETURNED, CANCELLED = "returning", "returned", "cancel"

#: The sandbox's raw codes, named like GHN's, and the shopper-facing states they mean.
STATUS_MAP = {
    READY: states.AWAITING_PICKUP,
    PICKED: states.IN_TRANSIT,
    TRANSPORTING: states.IN_TRANSIT,
    DELIVERING: states.OUT_FOR_DELIVERY,
    FAILED: states.DELIVERY_FAILED,
    DELIVERED: states.DELIVERED,
    RETURNING: states.RETURNING,
    RETURNED: states.RETURNED,
    CANCELLED: states.CANCELLED,
}

#: (up to grams, same province, other province) in whole dong; above the table, +5,000 per kg.
FEE_TABLE = (
    (500, 18_000, 30_000),
    (1_000, 22_000, 35_000),
    (2_000, 27_000, 42_000),
    (5_000, 35_000, 60_000),
)
EXPRESS_SURCHARGE = Decimal("1.5")


def webhook_key() -> bytes:
    return hmac.new(settings.SECRET_KEY.encode(), b"logistics.sandbox.webhook", "sha256").digest()


def sign(body: bytes) -> str:
    """The signature our simulated courier puts on a webhook body."""
    return hmac.new(webhook_key(), body, hashlib.sha256).hexdigest()


def tracking_code_for(client_code: str) -> str:
    """The same client code always gets the same tracking code: booking twice books once."""
    digest = hashlib.sha256(f"sandbox:{client_code}".encode()).hexdigest()[:10].upper()
    return f"SBX{digest}"


def fails_first_attempt(client_code: str) -> bool:
    """Every seventh parcel (by its shipment code) is not delivered at the first attempt."""
    digest = hashlib.sha256(client_code.encode()).digest()
    return digest[0] % 7 == 0


def next_status(current_raw: str, client_code: str, failed_before: bool) -> str | None:
    """The next step of a sandbox parcel's journey, or None when it has arrived."""
    if current_raw in ("", READY):
        return PICKED
    if current_raw == PICKED:
        return TRANSPORTING
    if current_raw in (TRANSPORTING, FAILED):
        return DELIVERING
    if current_raw == DELIVERING:
        if fails_first_attempt(client_code) and not failed_before:
            return FAILED
        return DELIVERED
    return None


def update_for(shipment, raw_status: str, when: datetime | None = None) -> TrackingUpdate:
    """The event the sandbox courier reports for `shipment`; cash is settled at delivery."""
    return TrackingUpdate(
        courier=shipment.courier,
        tracking_code=shipment.tracking_code,
        client_code=shipment.code,
        raw_status=raw_status,
        state=STATUS_MAP.get(raw_status, states.UNKNOWN),
        event_time=when or timezone.now(),
        description=str(DESCRIPTIONS.get(raw_status, "")),
        cod_settled=raw_status == DELIVERED,
        raw={"simulated": True, "status": raw_status},
    )


DESCRIPTIONS = {
    READY: _("Waiting for the courier to collect the parcel"),
    PICKED: _("The courier has collected the parcel"),
    TRANSPORTING: _("On the way to the delivery hub"),
    DELIVERING: _("The driver is bringing the parcel"),
    FAILED: _("Nobody answered; the driver will try again"),
    DELIVERED: _("Delivered to the receiver"),
    RETURNING: _("On the way back to the cooperative"),
    RETURNED: _("Back at the cooperative"),
    CANCELLED: _("Cancelled"),
}


class SandboxCourier:
    name = _("Sandbox courier")
    has_webhooks = True
    #: Minutes between two simulated steps of a parcel's journey.
    step_minutes = 3

    def __init__(self, code: str = "sandbox", STEP_MINUTES: int | None = None, **options):
        self.code = code
        if STEP_MINUTES is not None:
            self.step_minutes = int(STEP_MINUTES)

    def services(self) -> list[Service]:
        return [Service("standard", str(_("Standard"))), Service("express", str(_("Express")))]

    def quote(self, origin: Address, destination: Address, parcel: Parcel) -> list[Quote]:
        same = origin.province_code == destination.province_code
        fee = self._fee(parcel.weight_grams, same)
        return [
            Quote(self.code, "standard", str(_("Standard")), fee, 1 if same else 3),
            Quote(
                self.code,
                "express",
                str(_("Express")),
                (fee * EXPRESS_SURCHARGE).quantize(Decimal(1000)),
                1 if same else 2,
            ),
        ]

    @staticmethod
    def _fee(grams: int, same_province: bool) -> Decimal:
        for limit, near, far in FEE_TABLE:
            if grams <= limit:
                return Decimal(near if same_province else far)
        _limit, near, far = FEE_TABLE[-1]
        extra_kg = -(-(grams - FEE_TABLE[-1][0]) // 1000)
        return Decimal((near if same_province else far) + 5_000 * extra_kg)

    def create(self, request: BookingRequest) -> Booking:
        if not request.destination.commune_code or not request.origin.commune_code:
            raise CourierError("Origin and destination need a commune.", code="ADDRESS")
        same = request.origin.province_code == request.destination.province_code
        return Booking(
            tracking_code=tracking_code_for(request.code),
            fee=self._fee(request.parcel.weight_grams, same),
            expected_delivery=timezone.now() + timedelta(days=1 if same else 3),
        )

    def cancel(self, tracking_code: str) -> None:
        from logistics.models import Shipment

        if not tracking_code.startswith("SBX"):
            raise CourierError("No such parcel.", code="NOT_FOUND")
        shipment = Shipment.objects.filter(courier=self.code, tracking_code=tracking_code).first()
        if shipment is not None and shipment.state not in (
            states.AWAITING_BOOKING,
            states.AWAITING_PICKUP,
        ):
            raise CourierError("The parcel has already been collected.", code="TOO_LATE")

    def label(self, tracking_codes: list[str]) -> Label:
        """Our own printable label (HTML, A6 per parcel) with a QR code of the tracking code."""
        from logistics.models import Shipment

        shipments = {
            shipment.tracking_code: shipment
            for shipment in Shipment.objects.filter(
                courier=self.code, tracking_code__in=tracking_codes
            ).select_related("order__shipping_address", "partner")
        }
        if not tracking_codes:
            raise CourierError("No parcel to print.", code="NOT_FOUND")
        parcels = [
            {"code": code, "shipment": shipments.get(code), "qr": qr_svg(code)}
            for code in tracking_codes
        ]
        html = render_to_string("logistics/sandbox_label.html", {"parcels": parcels})
        return Label(content=html.encode(), content_type="text/html; charset=utf-8")

    def parse_webhook(
        self, headers: Mapping[str, str], query: Mapping[str, str], body: bytes
    ) -> list[TrackingUpdate]:
        signature = headers.get(SIGNATURE_HEADER, "")
        if not signature or not hmac.compare_digest(signature, sign(body)):
            raise WebhookAuthError("bad or missing signature")
        try:
            data = json.loads(body)
        except (UnicodeDecodeError, ValueError) as exc:
            raise WebhookPayloadError("not JSON") from exc
        events = data.get("events", [data]) if isinstance(data, dict) else None
        if not isinstance(events, list):
            raise WebhookPayloadError("expected an object")
        return [self._parse_event(event) for event in events]

    def _parse_event(self, event) -> TrackingUpdate:
        if not isinstance(event, dict):
            raise WebhookPayloadError("expected an object per event")
        status = event.get("status")
        when = parse_datetime(str(event.get("time", ""))) if event.get("time") else None
        if not isinstance(status, str) or not status or when is None:
            raise WebhookPayloadError("status and time are required")
        if timezone.is_naive(when):
            raise WebhookPayloadError("time needs a zone")
        tracking = event.get("tracking_code") or ""
        client = event.get("client_code") or ""
        if not isinstance(tracking, str) or not isinstance(client, str) or not (tracking or client):
            raise WebhookPayloadError("tracking_code or client_code is required")
        return TrackingUpdate(
            courier=self.code,
            tracking_code=tracking[:64],
            client_code=client[:40],
            raw_status=status[:64],
            state=STATUS_MAP.get(status, states.UNKNOWN),
            event_time=when,
            description=str(event.get("description", ""))[:500],
            cod_settled=status == DELIVERED,
            raw=event,
        )

    def track(self, tracking_code: str) -> list[TrackingUpdate]:
        return []


def qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")
