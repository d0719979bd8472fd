"""A cooperative's OCOP certificates in the dashboard: the list, submitting one, and changing
or withdrawing one while it waits for verification.

Once an officer has verified or rejected a certificate it is read-only for the cooperative. A
rejected certificate stays as it is, with the officer's reason; "Submit again" opens a new
submission filled in from it (a new certificate, so the history of the review is kept).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import generic

from cooperatives.access import require_cooperative

from ..models import OcopCertificate
from .forms import CertificateForm

COPIED_ON_RESUBMIT = (
    "decision_number",
    "issuing_authority",
    "authority_type",
    "signed_on",
    "product_group",
    "product_name_certified",
)


class CertificateMixin:
    def dispatch(self, request, *args, **kwargs):
        self.cooperative = require_cooperative(request.user)
        return super().dispatch(request, *args, **kwargs)

    def certificates(self):
        return OcopCertificate.objects.filter(cooperative=self.cooperative)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["cooperative"] = self.cooperative
        return ctx


class CertificateListView(CertificateMixin, generic.ListView):
    template_name = "oscar/dashboard/certificates/certificate_list.html"
    context_object_name = "certificates"
    paginate_by = 50

    def get_queryset(self):
        return (
            self.certificates()
            .select_related("product_group")
            .annotate(product_count=Count("products"))
            .order_by("-submitted_at", "-pk")
        )


class CertificateCreateView(CertificateMixin, generic.CreateView):
    template_name = "oscar/dashboard/certificates/certificate_form.html"
    form_class = CertificateForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cooperative"] = self.cooperative
        if self.request.method == "GET":
            kwargs["initial"] = self.resubmitted_values()
        return kwargs

    def resubmitted_values(self):
        """What a rejected certificate of this cooperative said (`?from=<id>`), to fix and send
        again; nothing for any other id."""
        try:
            pk = int(self.request.GET.get("from", ""))
        except ValueError:
            return {}
        rejected = (
            self.certificates()
            .filter(pk=pk, status=OcopCertificate.Status.REJECTED)
            .prefetch_related("products")
            .first()
        )
        if rejected is None:
            return {}
        values = {name: getattr(rejected, name) for name in COPIED_ON_RESUBMIT}
        values["products"] = list(rejected.products.all())
        return values

    def form_valid(self, form):
        form.save()
        messages.success(
            self.request,
            _("Certificate %(number)s is submitted; an officer will check it against the scan.")
            % {"number": form.instance.decision_number},
        )
        return redirect("dashboard:certificate-list")


class CertificateUpdateView(CertificateMixin, generic.UpdateView):
    """Editable while waiting for verification; afterwards the same address shows it read-only."""

    template_name = "oscar/dashboard/certificates/certificate_form.html"
    form_class = CertificateForm
    context_object_name = "certificate"

    def get_queryset(self):
        return self.certificates().prefetch_related("products")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["cooperative"] = self.cooperative
        return kwargs

    def get_template_names(self):
        if self.object.status != OcopCertificate.Status.SUBMITTED:
            return ["oscar/dashboard/certificates/certificate_detail.html"]
        return super().get_template_names()

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            # Locked, so that an officer's verification and this change cannot cross.
            self.object = get_object_or_404(
                self.certificates().select_for_update(), pk=self.kwargs["pk"]
            )
            if self.object.status != OcopCertificate.Status.SUBMITTED:
                raise PermissionDenied
            form = self.get_form()
            if not form.is_valid():
                return self.form_invalid(form)
            form.save()
        messages.success(request, _("Certificate %s is updated.") % self.object.decision_number)
        return redirect("dashboard:certificate-list")


class CertificateDeleteView(CertificateMixin, generic.DeleteView):
    template_name = "oscar/dashboard/certificates/certificate_delete.html"
    context_object_name = "certificate"

    def get_queryset(self):
        return self.certificates().filter(status=OcopCertificate.Status.SUBMITTED)

    def post(self, request, *args, **kwargs):
        with transaction.atomic():
            certificate = get_object_or_404(
                self.get_queryset().select_for_update(), pk=self.kwargs["pk"]
            )
            document = certificate.document
            name, storage = document.name, document.storage
            certificate.delete()
            if name:
                transaction.on_commit(lambda: storage.delete(name))
        messages.success(request, _("Certificate %s is withdrawn.") % certificate.decision_number)
        return redirect("dashboard:certificate-list")
