"""Staff screens for paying cooperatives, in the Wagtail admin under /admin/payouts/.

What each cooperative is owed, payouts (batches) to create, a VietQR code per open payout that
pays the cooperative's own account when scanned, and "mark paid" with the bank's reference.
Only superusers and holders of `payments.change_payoutbatch` get in; everybody else in the
admin (commerce officers) gets a 403. Wagtail sends users without admin access (owners) to its
login page before these views run.
"""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic
from oscar.apps.partner.models import Partner
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from payments import payouts, vietqr
from payments.models import PayoutBatch

PERMISSION = "payments.change_payoutbatch"
BATCHES_PER_PAGE = 50
TEMPLATES = "payments/admin/payouts/"


def can_manage_payouts(user) -> bool:
    return bool(user.is_active and (user.is_superuser or user.has_perm(PERMISSION)))


class MarkPaidForm(forms.Form):
    bank_reference = forms.CharField(
        label=gettext_lazy("Bank transaction reference"),
        max_length=255,
        help_text=gettext_lazy("As the bank shows it for the transfer you made."),
    )


class PayoutStaffMixin(WagtailAdminTemplateMixin):
    header_icon = "clipboard-list"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_payouts(request.user):
            # A real 403: Wagtail's PermissionDenied handling would redirect with a message.
            title = _("Payouts")
            return TemplateResponse(
                request,
                TEMPLATES + "forbidden.html",
                {"page_title": title, "header_title": title, "header_icon": self.header_icon},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("payouts:index"), "label": _("Payouts")},
        ]


class OwedView(PayoutStaffMixin, generic.TemplateView):
    """Per cooperative, what its delivered lines not yet in a payout come to."""

    template_name = TEMPLATES + "index.html"

    def get_page_title(self):
        return _("Payouts")

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": _("Payouts")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["owed"] = payouts.owed_by_partner()
        context["open_batches"] = list(
            PayoutBatch.objects.filter(status=PayoutBatch.OPEN)
            .select_related("partner")
            .order_by("created_at", "pk")
        )
        return context


class CreateBatchView(PayoutStaffMixin, generic.View):
    http_method_names = ["post"]

    def post(self, request):
        partner = get_object_or_404(Partner, pk=_int(request.POST.get("partner")))
        try:
            batch = payouts.create_batch(partner, request.user)
        except payouts.PayoutError as error:
            messages.error(request, str(error))
            return redirect("payouts:index")
        messages.success(
            request,
            _("Payout %(reference)s created for %(name)s.")
            % {"reference": batch.transfer_reference, "name": partner.name},
        )
        return redirect("payouts:batch", pk=batch.pk)


class BatchListView(PayoutStaffMixin, generic.TemplateView):
    template_name = TEMPLATES + "batch_list.html"

    def get_page_title(self):
        return _("All payouts")

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [{"url": "", "label": _("All payouts")}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("status", "")
        batches = PayoutBatch.objects.select_related("partner").order_by("-created_at", "-pk")
        if status in dict(PayoutBatch.STATUSES):
            batches = batches.filter(status=status)
        else:
            status = ""
        page = Paginator(batches, BATCHES_PER_PAGE).get_page(self.request.GET.get("page"))
        context.update(status=status, statuses=PayoutBatch.STATUSES, page_obj=page)
        return context


class BatchDetailView(PayoutStaffMixin, generic.TemplateView):
    """One payout: its lines, and for an open one the QR code and the "mark paid" form."""

    template_name = TEMPLATES + "batch_detail.html"

    @cached_property
    def batch(self):
        """Looked up after the permission check, so outsiders cannot probe which ids exist."""
        return get_object_or_404(
            PayoutBatch.objects.select_related("partner", "created_by", "paid_by"),
            pk=self.kwargs["pk"],
        )

    def get_page_title(self):
        return _("Payout %(reference)s") % {"reference": self.batch.transfer_reference}

    def get_page_subtitle(self):
        return self.batch.partner.name

    def get_breadcrumbs_items(self):
        return super().get_breadcrumbs_items() + [
            {"url": reverse("payouts:batches"), "label": _("All payouts")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        batch = self.batch
        context["batch"] = batch
        context["entries"] = list(
            batch.entries.select_related("line__order__payment").order_by("created_at", "pk")
        )
        if batch.status == PayoutBatch.OPEN:
            account = payouts.payout_account(batch.partner)
            context["account"] = account
            context["form"] = form or MarkPaidForm()
            if account is not None:
                context.update(self.qr(account))
        return context

    def qr(self, account) -> dict:
        try:
            payload = vietqr.build_payload(
                bin=account.bin,
                account=account.account_number,
                amount=vietqr.vnd_amount(self.batch.net),
                reference=self.batch.transfer_reference,
            )
        except ValueError:
            return {"qr_error": True}
        return {"qr_payload": payload, "qr_svg": mark_safe(vietqr.qr_svg(payload))}  # noqa: S308

    def post(self, request, pk):
        form = MarkPaidForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        try:
            batch = payouts.mark_paid(self.batch, form.cleaned_data["bank_reference"], request.user)
        except payouts.PayoutError as error:
            messages.error(request, str(error))
            return redirect("payouts:batch", pk=pk)
        messages.success(
            request,
            _("Payout %(reference)s is marked paid.") % {"reference": batch.transfer_reference},
        )
        return redirect("payouts:batch", pk=pk)


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


urlpatterns = [
    path("", OwedView.as_view(), name="index"),
    path("create/", CreateBatchView.as_view(), name="create"),
    path("batches/", BatchListView.as_view(), name="batches"),
    path("batches/<int:pk>/", BatchDetailView.as_view(), name="batch"),
]
