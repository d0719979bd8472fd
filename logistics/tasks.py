"""Celery tasks of logistics: booking parcels with couriers, and the sandbox courier's clock."""

import logging
from datetime import timedelta

import httpx
from celery import shared_task
from django.db import DatabaseError
from django.utils import timezone

from logistics import couriers, services, states
from logistics.couriers import CourierError, sandbox
from logistics.models import Shipment

logger = logging.getLogger("logistics")

#: Attempts after the first; with the backoff below the last one runs about an hour later.
MAX_BOOKING_RETRIES = 6


def _backoff(retries: int) -> int:
    return min(30 * 2**retries, 1800)


@shared_task(bind=True, max_retries=MAX_BOOKING_RETRIES)
def book_shipment(self, shipment_id: int) -> str:
    """Book a shipment; retryable courier errors are retried with backoff, then shown as failed.

    Safe to run twice: a booked shipment is left alone, and the client order code keeps the
    courier from booking a second parcel when a timed-out call had in fact succeeded. Run
    eagerly (no broker, the embedded default) the retries follow at once, without backoff.
    """
    retries = self.request.retries or 0
    while True:
        try:
            return services.book(shipment_id)
        except Shipment.DoesNotExist:
            return "missing"
        except (CourierError, httpx.HTTPError, OSError) as exc:
            if not getattr(exc, "retryable", True) or retries >= self.max_retries:
                services.record_booking_failure(shipment_id, str(exc) or type(exc).__name__)
                return "failed"
            logger.warning("Shipment %s: booking failed, will retry: %s", shipment_id, exc)
            if not self.request.is_eager:
                raise self.retry(exc=exc, countdown=_backoff(retries)) from exc
            retries += 1


@shared_task
def advance_sandbox_shipments(now=None) -> int:
    """Move each sandbox parcel one step when its last step is `step_minutes` old."""
    moved = 0
    for courier in couriers.all_couriers():
        if not isinstance(courier, sandbox.SandboxCourier):
            continue
        moment = now or timezone.now()
        due = moment - timedelta(minutes=courier.step_minutes)
        parcels = (
            Shipment.objects.filter(courier=courier.code, booking_status=Shipment.BOOKED)
            .exclude(state__in=states.TERMINAL)
            .exclude(tracking_code="")
        )
        for shipment in parcels.iterator():
            since = shipment.last_event_at or shipment.handed_over_at or shipment.created_at
            if since > due:
                continue
            failed_before = shipment.events.filter(raw_status=sandbox.FAILED).exists()
            step = sandbox.next_status(shipment.raw_status, shipment.code, failed_before)
            if step is None:
                continue
            try:
                services.apply_update(sandbox.update_for(shipment, step, moment))
            except DatabaseError:
                logger.exception("Sandbox parcel %s not moved", shipment.code)
                continue
            moved += 1
    return moved
