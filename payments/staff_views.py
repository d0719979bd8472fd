"""Wagtail admin views for staff: payments and their actions, unmatched transfers, webhook log.

Every change goes through `payments.services` (row locks, one place for the rules); these
views only check permissions, validate the form, and say in plain words what happened.
Reading needs `payments.view_payment` (or `change_payment`), acting needs `change_payment`.
"""

from decimal import Decimal

from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from oscar.templatetags.currency_filters import currency
from wagtail.admin import messages
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button

from payments import gateways, services, stripe_client
from payments.gateways.card import StripeCard
from payments.models import Payment, Transaction, WebhookEvent
from payments.staff_forms import (
    AssignTransferForm,
    CashCollectedForm,
    ConfirmForm,
    RefundForm,
    SimulateTransferForm,
)

EVENTS_SHOWN = 20
SUGGESTIONS_SHOWN = 5


def money(amount) -> str:
    return currency(amount, "VND")


def method_label(code: str) -> str:
    gateway = gateways.get(code)
    return str(gateway.name) if gateway else code


def method_choices():
    """The enabled methods, plus any older one that payments still name."""
    choices = {gateway.code: str(gateway.name) for gateway in gateways.all_gateways()}
    for code in Payment.objects.values_list("method", flat=True).distinct().order_by("method"):
        choices.setdefault(code, code)
    return list(choices.items())


# --- What can be done to a payment ------------------------------------------------------------


def refunds_online(payment: Payment) -> bool:
    """Card payments go back through Stripe; everything else is refunded by hand and recorded."""
    return isinstance(gateways.get(payment.method), StripeCard)


def can_refund(payment: Payment) -> bool:
    return payment.refundable > 0 and gateways.get(payment.method) is not None


def can_collect_cash(payment: Payment) -> bool:
    gateway = gateways.get(payment.method)
    return (
        gateway is not None
        and not gateway.pays_before_shipping
        and payment.status == Payment.PENDING
    )


def can_reinstate(payment: Payment) -> bool:
    return payment.status == Payment.EXPIRED and payment.amount_received >= payment.amount_due


def can_clear_review(payment: Payment) -> bool:
    return bool(payment.review_reason)


def can_simulate(payment: Payment) -> bool:
    gateway = gateways.get("vietqr")
    return bool(gateway and gateway.demo) and payment.method == "vietqr"


def order_dashboard_url(order) -> str:
    try:
        return reverse("dashboard:order-detail", kwargs={"number": order.number})
    except NoReverseMatch:
        return ""


def events_for(payment: Payment, transactions) -> list[WebhookEvent]:
    """The deliveries behind this payment: bank events by id, Stripe's by its intent."""
    query = Q()
    for txn in transactions:
        if txn.kind == Transaction.IN and txn.source not in ("cod", "manual"):
            query |= Q(source=txn.source, event_id=txn.provider_id)
    if payment.stripe_payment_intent:
        query |= Q(source="stripe", body__contains=f'"{payment.stripe_payment_intent}"')
    if not query:
        return []
    return list(WebhookEvent.objects.filter(query).order_by("-received_at")[:EVENTS_SHOWN])


# --- Payments ---------------------------------------------------------------------------------


class PaymentIndexView(IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("order")

    @cached_property
    def columns(self):
        title = self._get_title_column_class(TitleColumn)(
            "order",
            label=gettext_lazy("Order"),
            accessor=lambda payment: f"#{payment.order.number}",
            get_url=self.get_inspect_url,
            sort_key="order__number",
        )
        return [title, *super().columns[1:]]


class PaymentDetailView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """The payment, its money movements and deliveries, and the actions its state allows."""

    model = Payment
    any_permission_required = ["view", "change"]
    template_name = "payments/admin/payment_detail.html"
    header_icon = "form"
    index_url_name = None
    action_url_names: dict = {}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Payment.objects.select_related("order"), pk=kwargs["pk"])

    def get_page_title(self):
        return _("Payment of order #%(number)s") % {"number": self.object.order.number}

    def get_page_subtitle(self):
        return self.object.reference

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": Payment._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def detail_url(self):
        return reverse(self.action_url_names["detail"], args=(quote(self.object.pk),))

    def action_url(self, action):
        return reverse(self.action_url_names[action], args=(quote(self.object.pk),))

    def forms(self):
        """One form per action this payment allows now, unbound; None where not allowed."""
        payment = self.object
        online = refunds_online(payment)
        return {
            "refund": RefundForm(payment=payment, online=online) if can_refund(payment) else None,
            "collect_cash": CashCollectedForm(payment=payment)
            if can_collect_cash(payment)
            else None,
            "reinstate": can_reinstate(payment) or None,
            "clear_review": can_clear_review(payment) or None,
            "simulate": SimulateTransferForm(payment=payment) if can_simulate(payment) else None,
        }

    def get_context_data(self, bound=None, **kwargs):
        context = super().get_context_data(**kwargs)
        payment = self.object
        transactions = list(payment.transactions.select_related("recorded_by"))
        forms = self.forms()
        if bound:
            forms.update(bound)
        can_change = self.user_has_permission("change")
        context.update(
            payment=payment,
            order=payment.order,
            order_url=order_dashboard_url(payment.order),
            method=method_label(payment.method),
            card_error=stripe_client.card_error_message(payment.last_error)
            if payment.last_error
            else "",
            transactions=transactions,
            events=events_for(payment, transactions),
            refunds_online=refunds_online(payment),
            forms=forms if can_change else {},
            action_urls={name: self.action_url(name) for name in forms},
        )
        return context


class PaymentActionView(PaymentDetailView):
    """POST only: validate, call the service, say what happened, go back to the payment.

    Each action says when it is `allowed(payment)` and how to `perform(cleaned_data)`, which
    returns (message level, text).
    """

    http_method_names = ["post"]
    permission_required = "change"
    any_permission_required = None
    action = ""
    form_class = None

    def get_form(self):
        return self.form_class(self.request.POST, payment=self.object)

    def post(self, request, *args, **kwargs):
        if not self.allowed(self.object):
            messages.error(request, _("This action is not possible for this payment now."))
            return redirect(self.detail_url)
        form = self.get_form()
        if not form.is_valid():
            context = self.get_context_data(bound={self.action: form})
            return self.render_to_response(context)
        try:
            level, text = self.perform(form.cleaned_data)
        except services.PaymentActionError as exc:
            messages.error(request, str(exc))
        except stripe_client.StripeGatewayError as exc:
            messages.error(
                request,
                _("Stripe did not make the refund (%(code)s): %(reason)s")
                % {"code": exc.code or exc.http_status or "-", "reason": exc.message},
            )
        else:
            getattr(messages, level)(request, text)
        return redirect(self.detail_url)


class RefundView(PaymentActionView):
    action = "refund"
    allowed = staticmethod(can_refund)

    def get_form(self):
        online = refunds_online(self.object)
        return RefundForm(self.request.POST, payment=self.object, online=online)

    def perform(self, data):
        amount = Decimal(data["amount"])
        status = services.refund(
            self.object,
            amount,
            by=self.request.user,
            note=data["note"],
            bank_reference=data.get("bank_reference", ""),
        )
        facts = {"amount": money(amount), "number": self.object.order.number}
        if status == Transaction.FAILED:
            return "error", _("The refund of %(amount)s for order #%(number)s failed.") % facts
        if status == Transaction.PENDING:
            return "success", _(
                "Refund of %(amount)s for order #%(number)s sent to Stripe; it completes "
                "when Stripe confirms it."
            ) % facts
        return "success", _("Refunded %(amount)s for order #%(number)s.") % facts


class CashCollectedView(PaymentActionView):
    action = "collect_cash"
    form_class = CashCollectedForm
    allowed = staticmethod(can_collect_cash)

    def perform(self, data):
        outcome = services.mark_cash_collected(
            self.object.order,
            amount=Decimal(data["amount"]),
            reference=data["reference"],
            by=self.request.user,
        )
        return receipt_message(outcome, self.object, Decimal(data["amount"]))


class SimulateTransferView(PaymentActionView):
    action = "simulate"
    form_class = SimulateTransferForm
    allowed = staticmethod(can_simulate)

    def perform(self, data):
        outcome = services.simulate_transfer(self.object, Decimal(data["amount"]))
        return receipt_message(outcome, self.object, Decimal(data["amount"]))


class ReinstateView(PaymentActionView):
    action = "reinstate"
    form_class = ConfirmForm
    allowed = staticmethod(can_reinstate)

    def perform(self, data):
        services.reinstate(self.object, by=self.request.user)
        return "success", _(
            "Order #%(number)s is paid again; its stock is reserved and the shopper is told."
        ) % {"number": self.object.order.number}


class ClearReviewView(PaymentActionView):
    action = "clear_review"
    form_class = ConfirmForm
    allowed = staticmethod(can_clear_review)

    def perform(self, data):
        services.clear_review(self.object)
        return "success", _("Order #%(number)s no longer needs review.") % {
            "number": self.object.order.number
        }


def receipt_message(outcome: str, payment: Payment, amount: Decimal) -> tuple[str, str]:
    facts = {"amount": money(amount), "number": payment.order.number}
    texts = {
        "paid": ("success", _("%(amount)s received: order #%(number)s is paid.")),
        "overpaid": (
            "warning",
            _("%(amount)s received: order #%(number)s is paid, with more than its total."),
        ),
        "partial": (
            "warning",
            _("%(amount)s received: order #%(number)s is still not fully paid."),
        ),
        "late": (
            "warning",
            _("%(amount)s received after order #%(number)s expired: refund or reinstate it."),
        ),
        "unmatched": (
            "warning",
            _("The transfer matched no order; it waits among the unmatched transfers."),
        ),
        "duplicate": (
            "warning",
            _(
                "Nothing recorded: this was already recorded for order #%(number)s. To record "
                "another amount, give its receipt reference."
            ),
        ),
    }
    level, text = texts.get(outcome, ("info", _("Recorded: %(outcome)s.")))
    return level, text % {**facts, "outcome": outcome}


# --- Unmatched transfers ----------------------------------------------------------------------


class UnmatchedTransferIndexView(IndexView):
    page_title = gettext_lazy("Unmatched transfers")
    assign_url_name = None

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(payment__isnull=True, kind=Transaction.IN)
            .select_related("recorded_by")
        )

    def get_inspect_url(self, instance):
        if self.user_has_any_permission({"view", "change"}):
            return reverse(self.assign_url_name, args=(quote(instance.pk),))

    def get_list_more_buttons(self, instance):
        if not self.user_has_permission("change"):
            return []
        return [
            Button(
                gettext_lazy("Assign to an order"),
                url=reverse(self.assign_url_name, args=(quote(instance.pk),)),
                icon_name="link",
                priority=10,
            )
        ]

    @cached_property
    def columns(self):
        title = self._get_title_column_class(TitleColumn)(
            "amount",
            label=gettext_lazy("Amount"),
            accessor=lambda txn: money(txn.amount),
            get_url=self.get_inspect_url,
            sort_key="amount",
        )
        return [title, *super().columns[1:]]


class AssignTransferView(PermissionCheckedMixin, WagtailAdminTemplateMixin, TemplateView):
    """An unmatched transfer, the orders it may be for, and the form that assigns it."""

    model = Transaction
    any_permission_required = ["view", "change"]
    template_name = "payments/admin/assign_transfer.html"
    header_icon = "link"
    index_url_name = None
    payment_url_name = None

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.object = get_object_or_404(Transaction, pk=kwargs["pk"], kind=Transaction.IN)

    def get_page_title(self):
        return _("Assign a transfer to an order")

    def get_page_subtitle(self):
        return money(self.object.amount)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Unmatched transfers")},
            {"url": "", "label": self.get_page_title()},
        ]

    def payment_url(self, payment_id):
        return reverse(self.payment_url_name, args=(quote(payment_id),))

    def get(self, request, *args, **kwargs):
        if self.object.payment_id is not None:
            return self.already_assigned()
        return self.render_to_response(self.get_context_data(form=AssignTransferForm()))

    def post(self, request, *args, **kwargs):
        if not self.user_has_permission("change"):
            raise PermissionDenied
        if self.object.payment_id is not None:
            return self.already_assigned()
        form = AssignTransferForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        payment = form.cleaned_data["payment"]
        try:
            outcome = services.assign_transfer(
                self.object, payment, by=request.user, note=form.cleaned_data["note"]
            )
        except services.PaymentActionError as exc:
            messages.error(request, str(exc))
            return redirect(reverse(self.index_url_name))
        level, text = receipt_message(outcome, payment, self.object.amount)
        getattr(messages, level)(request, text)
        return redirect(self.payment_url(payment.pk))

    def already_assigned(self):
        messages.info(self.request, _("This transfer has already been assigned to an order."))
        return redirect(self.payment_url(self.object.payment_id))

    def suggestions(self):
        """Open orders still owed exactly this amount: the likeliest owners of the money."""
        return (
            Payment.objects.filter(status__in=[Payment.PENDING, Payment.EXPIRED])
            .annotate(owed=F("amount_due") - F("amount_received"))
            .filter(owed=self.object.amount)
            .select_related("order")
            .order_by("-created_at")[:SUGGESTIONS_SHOWN]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            transfer=self.object,
            suggestions=self.suggestions(),
            can_change=self.user_has_permission("change"),
            payment_url_name=self.payment_url_name,
        )
        return context


# --- Webhook deliveries -----------------------------------------------------------------------


class WebhookEventInspectView(InspectView):
    def get_body_display_value(self):
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", self.object.body)
