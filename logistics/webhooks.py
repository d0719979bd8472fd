"""`/logistics/webhooks/<courier>/`: verify, store every event once, apply, answer 200.

A parcel we do not know still answers 200 (its event waits for staff); only what the courier
must fix or retry gets another answer: 401 bad auth, 400 unreadable, 413 too big, 503 when the
database is down (so the courier sends it again).
"""

import logging

from django.db import DatabaseError
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from logistics import couriers, services
from logistics.couriers import WebhookAuthError, WebhookPayloadError
from shop.webhooks import answer, too_large

logger = logging.getLogger("logistics")


@csrf_exempt
@require_POST
def receive(request, courier: str):
    backend = couriers.get(courier)
    if backend is None:
        return answer(False, 404)
    if too_large(request):
        return answer(False, 413)
    body = request.body
    try:
        updates = backend.parse_webhook(request.headers, request.GET, body)
    except WebhookAuthError as exc:
        logger.warning("Webhook from %s refused: %s", courier, exc)
        return answer(False, 401)
    except WebhookPayloadError as exc:
        logger.warning("Webhook from %s unreadable: %s", courier, exc)
        return answer(False, 400)
    except (KeyError, TypeError, ValueError, AttributeError):
        # An adapter tripping over a body it did not expect: still the sender's malformed body.
        logger.exception("Webhook from %s not understood", courier)
        return answer(False, 400)
    try:
        outcomes = [services.apply_update(update) for update in updates]
    except DatabaseError:
        logger.exception("Webhook from %s not stored; the courier will retry", courier)
        return answer(False, 503)
    logger.info("Webhook from %s: %s", courier, ", ".join(outcomes) or "empty")
    return answer(True, 200)
