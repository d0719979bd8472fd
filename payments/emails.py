"""The shopper's payment e-mails, in the language they checked out in."""

from decimal import Decimal
from urllib.parse import urljoin

from django.conf import settings
from django.urls import reverse

from payments import gateways, stripe_client
from payments.models import Payment, Transaction
from shop.mail import send_templated

KINDS = ("received", "failed", "expired", "refunded")
MANUAL = "manual"  # the source of a refund staff made by hand (services.refund)


def send_payment_email_now(payment_id: int, kind: str, amount: str = "") -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown payment e-mail {kind!r}")
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    order = payment.order
    if not order.email:
        return
    gateway = gateways.get(payment.method)
    context = {
        "payment": payment,
        "order": order,
        "amount": Decimal(amount) if amount else None,
        "method_name": gateway.name if gateway else payment.method,
        "paid_before_shipping": bool(gateway and gateway.pays_before_shipping),
        "status_url": _absolute(_status_path(order)),
    }
    if kind == "failed":
        context["error_message"] = stripe_client.card_error_message(payment.last_error)
        context["payment_url"] = _absolute(
            reverse(
                "payments:pay",
                kwargs={"order_number": order.number, "hash": order.verification_hash()},
            )
        )
    if kind == "refunded":
        refund = (
            payment.transactions.filter(kind=Transaction.REFUND)
            .exclude(refund_status=Transaction.FAILED)
            .order_by("-created_at", "-pk")
            .first()
        )
        context["refund"] = refund
        context["refund_to_card"] = refund is not None and refund.source != MANUAL
        if context["amount"] is None and refund is not None:
            context["amount"] = refund.amount
    send_templated(f"payments/email/{kind}", context, [order.email], payment.language)


def _status_path(order) -> str:
    """Where the shopper follows the order: their account, or the guest link Oscar signs."""
    if order.user_id:
        return reverse("customer:order", kwargs={"order_number": order.number})
    return reverse(
        "customer:anon-order",
        kwargs={"order_number": order.number, "hash": order.verification_hash()},
    )


def _absolute(path: str) -> str:
    return urljoin(settings.SITE_URL, path)


def order_language(order) -> str:
    """The language the shopper checked out in ("" if unknown): other apps' shopper e-mails use it
    (`LOGISTICS_ORDER_LANGUAGE_LOOKUP`)."""
    return Payment.objects.filter(order=order).values_list("language", flat=True).first() or ""
