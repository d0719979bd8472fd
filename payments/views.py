"""The shopper's payment page of an order, at an address signed with the order's hash.

The page shows what our Payment row says (the webhook is the source of truth); the QR code and
Stripe's Payment Element are drawn for the amount still due, taken from the order on the server.
"""

import logging

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from payments import gateways, services, stripe_client, vietqr
from payments.models import Payment

logger = logging.getLogger("payments")

VIETQR = "vietqr"
STRIPE = "stripe"
#: PaymentIntent states in which the shopper has done their part and the webhook is awaited.
STRIPE_IN_FLIGHT = frozenset({"processing", "succeeded", "requires_capture"})


def page_path(order, name: str = "pay") -> str:
    """The order's payment page (or one of its parts), signed with the order's hash."""
    return reverse(
        f"payments:{name}",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def _payment(order_number: str, hash: str) -> Payment:
    """The order's payment, or 404 when the number or its signed hash is wrong."""
    payment = Payment.objects.select_related("order").filter(order__number=order_number).first()
    if payment is None or not payment.order.check_verification_hash(hash):
        raise Http404("No such order.")
    return payment


def _state(payment: Payment) -> str:
    if payment.status == Payment.PAID:
        return "paid"
    if payment.status in (Payment.EXPIRED, Payment.CANCELLED):
        return "expired"
    if payment.expires_at and payment.expires_at <= timezone.now():
        return "expired"  # the expiry job has not run yet; the money must not be sent now
    return "pending"


def _no_store(response):
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def pay(request, order_number: str, hash: str):
    return _render(request, _payment(order_number, hash))


def _render(request, payment: Payment, status: int = 200):
    order = payment.order
    gateway = gateways.get(payment.method)
    state = _state(payment)
    base = page_path(order)
    ctx = {
        "payment": payment,
        "order": order,
        "gateway": gateway,
        "state": state,
        "page_url": base,
        "status_url": page_path(order, "pay-status"),
        "others": [],
    }
    if request.user.is_authenticated and order.user_id == request.user.pk:
        ctx["order_url"] = reverse("customer:order", kwargs={"order_number": order.number})
    else:
        ctx["order_url"] = reverse(
            "customer:anon-order",
            kwargs={"order_number": order.number, "hash": order.verification_hash()},
        )
    if state == "pending" and gateway is not None and gateway.pays_before_shipping:
        if not payment.amount_received:
            ctx["others"] = [
                g
                for g in map(gateways.get, payment.offered_methods)
                if g is not None and g.code != payment.method
            ]
        if payment.method == VIETQR:
            ctx.update(_vietqr_context(gateway, payment))
        elif payment.method == STRIPE:
            ctx.update(_stripe_context(request, gateway, payment, base))
    if state == "pending" and payment.expires_at:
        ctx["seconds_left"] = max(int((payment.expires_at - timezone.now()).total_seconds()), 0)
    return _no_store(render(request, "payments/pay.html", ctx, status=status))


def _vietqr_context(gateway, payment: Payment) -> dict:
    order = payment.order
    return {
        "qr_svg": mark_safe(vietqr.qr_svg(gateway.qr_payload(payment))),  # noqa: S308 (our SVG)
        "qr_png_url": page_path(order, "pay-qr-png"),
        "qr_svg_url": page_path(order, "pay-qr-svg"),
        "simulate_url": page_path(order, "pay-simulate") if gateway.demo else "",
    }


def _stripe_context(request, gateway, payment: Payment, base: str) -> dict:
    """Create the PaymentIntent on the first visit, then read its state back from Stripe."""
    ctx = {"publishable_key": gateway.publishable_key}
    if payment.last_error:
        ctx["card_error"] = stripe_client.card_error_message(payment.last_error)
    try:
        if not payment.stripe_payment_intent:
            gateway.start(payment)
        intent = gateway.intent(payment)
    except stripe_client.StripeGatewayError as exc:
        logger.warning("Order #%s: Stripe unavailable (%s)", payment.order.number, exc.code)
        ctx["stripe_unavailable"] = exc.message
        return ctx
    if intent.status in STRIPE_IN_FLIGHT:
        ctx["processing"] = True
    elif intent.status != "canceled":
        ctx["client_secret"] = intent.client_secret
        ctx["return_url"] = request.build_absolute_uri(base)
    return ctx


@require_GET
def status(request, order_number: str, hash: str):
    """What the page's script polls: is the money in yet?"""
    payment = _payment(order_number, hash)
    state = _state(payment)
    return _no_store(
        JsonResponse(
            {
                "status": state,
                "paid": state == "paid",
                "amount_due": int(payment.amount_due),
                "amount_received": int(payment.amount_received),
                "amount_outstanding": int(payment.amount_outstanding),
            }
        )
    )


def _qr_payload(order_number: str, hash: str) -> str:
    payment = _payment(order_number, hash)
    gateway = gateways.get(payment.method)
    if payment.method != VIETQR or gateway is None or _state(payment) != "pending":
        raise Http404("No transfer is awaited for this order.")
    return gateway.qr_payload(payment)


@require_GET
def qr_png(request, order_number: str, hash: str):
    png = vietqr.qr_png(_qr_payload(order_number, hash))
    return _no_store(HttpResponse(png, content_type="image/png"))


@require_GET
def qr_svg(request, order_number: str, hash: str):
    svg = vietqr.qr_svg(_qr_payload(order_number, hash))
    return _no_store(HttpResponse(svg, content_type="image/svg+xml"))


@require_POST
def switch(request, order_number: str, hash: str):
    """Pay another way: only a method checkout offered for this basket, before any money came."""
    payment = _payment(order_number, hash)
    code = request.POST.get("method")
    switchable = not payment.amount_received and _state(payment) == "pending"
    try:
        if switchable:
            services.switch_method(payment, code if isinstance(code, str) else "")
    except services.PaymentActionError:
        switchable = False
    if not switchable:
        messages.error(request, _("This payment method cannot be used for this order."))
        payment.refresh_from_db()
        return _render(request, payment, status=400)
    return redirect(page_path(payment.order))


@require_POST
def simulate(request, order_number: str, hash: str):
    """Demo account only: play the bank telling us the transfer arrived."""
    payment = _payment(order_number, hash)
    gateway = gateways.get(VIETQR)
    if payment.method != VIETQR or gateway is None or not gateway.demo:
        raise Http404("Only the demo account receives simulated transfers.")
    if _state(payment) == "pending":
        services.simulate_transfer(payment)
    return redirect(page_path(payment.order))
