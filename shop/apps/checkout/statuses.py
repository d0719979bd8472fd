"""Order and line statuses: stored as short codes, shown to people in their language."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "pending_payment": _("Awaiting payment"),
    "confirmed": _("Confirmed"),
    "paid": _("Paid"),
    "partly_shipped": _("Partly shipped"),
    "shipped": _("Shipped"),
    "delivered": _("Delivered"),
    "returned": _("Returned"),
    "cancelled": _("Cancelled"),
}


def label(status: str) -> str:
    return str(LABELS.get(status, status))
