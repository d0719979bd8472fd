"""The shopper's parcel e-mails: shipped, out for delivery, delivered, delivery failed.

`shipment_state_changed` (sent by logistics.services after commit) queues one e-mail per change
into one of these states, by a Celery task after the surrounding transaction commits. The task
sends nothing when the parcel has moved on since (a "shipped" mail after the parcel was delivered
would only confuse), so one webhook that carries several events mails about the last one only.
"""

import logging
from smtplib import SMTPException
from urllib.parse import urljoin

from celery import shared_task
from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from logistics import couriers, states
from logistics.models import Shipment
from logistics.signals import shipment_state_changed
from shop.mail import send_templated

logger = logging.getLogger("logistics")

#: The states a shopper is told about, with the e-mail's subject and message.
MESSAGES = {
    states.IN_TRANSIT: (
        _("Your parcel from %(cooperative)s is on its way (order %(number)s)"),
        _("%(cooperative)s has handed your parcel to %(courier)s. It is on its way to you."),
    ),
    states.OUT_FOR_DELIVERY: (
        _("Your parcel from %(cooperative)s arrives today (order %(number)s)"),
        _(
            "%(courier)s is delivering your parcel from %(cooperative)s today. Please keep your "
            "phone at hand so the driver can reach you."
        ),
    ),
    states.DELIVERED: (
        _("Your parcel from %(cooperative)s was delivered (order %(number)s)"),
        _(
            "%(courier)s has delivered your parcel from %(cooperative)s. We hope you enjoy the "
            "products!"
        ),
    ),
    states.DELIVERY_FAILED: (
        _("We could not deliver your parcel from %(cooperative)s (order %(number)s)"),
        _(
            "%(courier)s tried to deliver your parcel from %(cooperative)s but could not. The "
            "courier will contact you to try again; you can also call them with the tracking "
            "code below."
        ),
    ),
}


@receiver(shipment_state_changed, dispatch_uid="logistics-parcel-email")
def queue_parcel_email(sender, shipment, old_state, new_state, **kwargs):
    if new_state not in MESSAGES or new_state == old_state:
        return
    shipment_id = shipment.pk

    def queue():
        try:
            send_parcel_email.delay(shipment_id, new_state)
        except Exception:
            # A mail queue that is down must never undo or fail a courier's webhook.
            logger.exception("Shipment %s: %s e-mail not queued", shipment.code, new_state)

    transaction.on_commit(queue)


@shared_task(autoretry_for=(OSError, SMTPException), retry_backoff=True, max_retries=6)
def send_parcel_email(shipment_id: int, state: str) -> bool:
    """Tell the shopper where the parcel is; False when there was nothing to send."""
    return send_parcel_email_now(shipment_id, state)


def send_parcel_email_now(shipment_id: int, state: str) -> bool:
    if state not in MESSAGES:
        raise ValueError(f"no parcel e-mail for state {state!r}")
    shipment = (
        Shipment.objects.select_related("order", "order__user", "partner")
        .filter(pk=shipment_id)
        .first()
    )
    if shipment is None or shipment.state != state:
        return False
    order = shipment.order
    if not order.email:
        return False
    courier = couriers.get(shipment.courier)
    facts = {
        "cooperative": shipment.partner.name,
        "courier": str(courier.name) if courier else shipment.courier,
        "number": order.number,
    }
    subject, message = MESSAGES[state]
    context = {
        "order": order,
        "shipment": shipment,
        "state": state,
        "subject": _lazy_format(subject, facts),
        "message": _lazy_format(message, facts),
        "cooperative": facts["cooperative"],
        "courier_name": facts["courier"],
        "status_url": urljoin(settings.SITE_URL, status_path(order)),
        "tracking_url": urljoin(settings.SITE_URL, reverse("track-order")),
    }
    send_templated("logistics/email/parcel", context, [order.email], order_language(order))
    return True


class _lazy_format:
    """A translatable text with its facts, rendered in the language of the e-mail."""

    def __init__(self, text, facts):
        self.text, self.facts = text, facts

    def __str__(self):
        return str(self.text) % self.facts


def status_path(order) -> str:
    """Where the shopper follows the order: their account, or the guest link Oscar signs."""
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def order_language(order) -> str:
    """The language the shopper checked out in, as `LOGISTICS_ORDER_LANGUAGE_LOOKUP` knows it."""
    lookup = getattr(settings, "LOGISTICS_ORDER_LANGUAGE_LOOKUP", "")
    language = import_string(lookup)(order) if lookup else ""
    return language or settings.LANGUAGE_CODE
