"""`/payments/webhooks/<source>/`: verify first, store once, apply, answer in the provider's terms.

Business outcomes (unknown reference, wrong amount, late money) still answer 200, so the
provider stops retrying; they wait for staff in the review queues instead.
"""

import logging

from django.db import DatabaseError
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments import gateways, services
from payments.bank_webhooks import WebhookAuthError, WebhookPayloadError
from shop.webhooks import answer, too_large

logger = logging.getLogger("payments")


def _keep_rejected(source: str, detail: str, body: bytes) -> None:
    """The refusal stands even when its trace cannot be stored (database down)."""
    try:
        services.record_rejected(source, detail, body)
    except DatabaseError:
        logger.exception("Refused webhook from %s not recorded", source)


@csrf_exempt
@require_POST
def receive(request, source: str):
    gateway = gateways.for_webhook(source)
    if gateway is None:
        return answer(False, 404)
    if too_large(request):
        return answer(False, 413)
    body = request.body
    try:
        events = gateway.parse_webhook(source, request.headers, body)
    except WebhookAuthError as exc:
        logger.warning("Webhook from %s refused: %s", source, exc)
        _keep_rejected(source, f"auth: {exc}", body)
        return answer(False, 401)
    except WebhookPayloadError as exc:
        logger.warning("Webhook from %s unreadable: %s", source, exc)
        _keep_rejected(source, f"payload: {exc}", body)
        return answer(False, 400)
    try:
        outcomes = [services.process_event(event) for event in events]
    except DatabaseError:
        logger.exception("Webhook from %s not stored; the provider will retry", source)
        return answer(False, 503)
    logger.info("Webhook from %s: %s", source, ", ".join(outcomes) or "empty")
    return answer(True, 200)
