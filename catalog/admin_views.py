"""Wagtail admin views for OCOP certificates: the list, the certificate with its scan, and the
verify / reject steps (each a form that asks for confirmation).

An officer sees only the certificates of its regions' cooperatives (`regions.certificates_for`):
another region's certificate is "not found" (404).
"""

import datetime

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from oscar.apps.catalogue.models import Product
from wagtail.admin import messages
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.views.generic import EditView, HistoryView, IndexView, UsageView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import HeaderButton

from cooperatives import regions

from . import review
from .models import CERTIFICATE_DETAILS, OcopCertificate

EXPIRING_WITHIN_DAYS = 90
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp")


def scan_is_image(certificate) -> bool:
    return bool(certificate.document) and certificate.document.name.lower().endswith(
        IMAGE_EXTENSIONS
    )


def expiring(queryset, within_days=EXPIRING_WITHIN_DAYS, today=None):
    """Verified certificates that end within `within_days` (and have not ended yet)."""
    today = today or timezone.localdate()
    return queryset.filter(
        status=OcopCertificate.Status.VERIFIED,
        valid_until__gte=today,
        valid_until__lte=today + datetime.timedelta(days=within_days),
    )


class CertificateForm(WagtailAdminModelForm):
    """What an officer may correct after reading the scan; stars and status change only through
    verify / reject, and the scan is the cooperative's upload."""

    class Meta:
        model = OcopCertificate
        fields = CERTIFICATE_DETAILS
        widgets = {"products": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the cooperative's own products can be covered by its certificate.
        self.fields["products"].queryset = Product.objects.filter(
            stockrecords__partner__cooperative__pk=self.instance.cooperative_id
        ).distinct()
        self.fields["valid_until"].required = True

    def save(self, commit=True):
        if "valid_until" in self.changed_data:
            # A new end date means the expiry notices are due again.
            self.instance.last_expiry_notice = None
        return super().save(commit=commit)


class CertificateIndexView(IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("cooperative")
        return regions.certificates_for(self.request.user, queryset)


class CertificateHistoryView(HistoryView):
    def get_base_object_queryset(self):
        return regions.certificates_for(self.request.user, super().get_base_object_queryset())


class CertificateUsageView(UsageView):
    def get_base_object_queryset(self):
        return regions.certificates_for(self.request.user, super().get_base_object_queryset())


class ReviewUrlsMixin:
    verify_url_name = None
    reject_url_name = None

    def review_urls(self, certificate):
        pk = quote(certificate.pk)
        return {
            "verify_url": reverse(self.verify_url_name, args=(pk,)),
            "reject_url": reverse(self.reject_url_name, args=(pk,)),
        }


class CertificateEditView(ReviewUrlsMixin, EditView):
    template_name = "catalog/admin/certificate_edit.html"

    def get_queryset(self):
        certificates = OcopCertificate.objects.select_related("cooperative", "reviewed_by")
        return regions.certificates_for(self.request.user, certificates)

    @cached_property
    def header_buttons(self):
        urls = self.review_urls(self.object)
        return [
            HeaderButton(
                gettext_lazy("Verify…"), url=urls["verify_url"], icon_name="check", priority=10
            ),
            HeaderButton(
                gettext_lazy("Reject…"), url=urls["reject_url"], icon_name="cross", priority=20
            ),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.review_urls(self.object))
        context["certificate"] = self.object
        context["scan_is_image"] = scan_is_image(self.object)
        return context


class VerifyForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=gettext_lazy("Stars printed on the decision"),
        choices=OcopCertificate.Stars.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": review.MESSAGES["stars"],
            "invalid_choice": review.MESSAGES["stars"],
        },
        help_text=gettext_lazy(
            "Read them on the scan. 3 and 4 stars are provincial, 5 stars national."
        ),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for rejection"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": review.MESSAGES["reason"]},
        help_text=gettext_lazy("The cooperative reads this: say what to correct or upload."),
    )


class ReviewView(ReviewUrlsMixin, PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """A confirmation page with the scan beside the decision: GET shows it, POST records it."""

    model = OcopCertificate
    permission_required = "change"
    template_name = "catalog/admin/certificate_review.html"
    header_icon = "doc-full"
    index_url_name = None
    edit_url_name = None
    action = ""

    def dispatch(self, request, *args, **kwargs):
        # The permission first (without it, back to the admin home), then the certificate,
        # among those of the user's regions.
        if not self.user_has_permission(self.permission_required):
            raise PermissionDenied
        certificates = OcopCertificate.objects.select_related("cooperative", "reviewed_by")
        self.object = get_object_or_404(
            regions.certificates_for(request.user, certificates), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.object)

    @cached_property
    def edit_url(self):
        return reverse(self.edit_url_name, args=(quote(self.object.pk),))

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {
                "url": reverse(self.index_url_name),
                "label": OcopCertificate._meta.verbose_name_plural,
            },
            {"url": self.edit_url, "label": str(self.object)},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            certificate=self.object,
            action=self.action,
            edit_url=self.edit_url,
            scan_is_image=scan_is_image(self.object),
            products=self.object.products.all(),
            **self.review_urls(self.object),
        )
        return context

    def form_valid(self, form):
        try:
            self.record(form.cleaned_data)
        except review.ReviewRefused as exc:
            form.add_error(None, exc.messages)
            return self.form_invalid(form)
        return redirect(self.edit_url)


class VerifyView(ReviewView):
    form_class = VerifyForm
    action = "verify"

    def get_page_title(self):
        return _("Verify the certificate")

    def record(self, data):
        item = review.verify(self.object, stars=data["stars"], by=self.request.user)
        messages.success(
            self.request,
            _("Certificate %(number)s verified: %(stars)s stars. Its products show the badge.")
            % {"number": item.decision_number, "stars": item.stars},
        )


class RejectView(ReviewView):
    form_class = RejectForm
    action = "reject"

    def get_page_title(self):
        return _("Reject the certificate")

    def record(self, data):
        item = review.reject(self.object, reason=data["reason"], by=self.request.user)
        messages.success(
            self.request,
            _("Certificate %(number)s rejected.") % {"number": item.decision_number},
        )
