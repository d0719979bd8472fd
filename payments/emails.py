"""The shopper's payment e-mails, in the language they checked out in."""

from decimal import Decimal

from payments.models import Payment
from shop.mail import send_templated

KINDS = ("received", "failed", "expired", "refunded")


def send_payment_email_now(payment_id: int, kind: str, amount: str = "") -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown payment e-mail {kind!r}")
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    if not payment.order.email:
        return
    context = {
        "payment": payment,
        "order": payment.order,
        "amount": Decimal(amount) if amount else None,
    }
    send_templated(f"payments/email/{kind}", context, [payment.order.email], payment.language)
