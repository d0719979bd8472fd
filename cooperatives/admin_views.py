"""Wagtail admin views for onboarding cooperatives: create (with its partner and its owner's
invitation), edit, and send an invitation again.

Every view shows an officer only the cooperatives of its regions (`regions.cooperatives_for`):
another region's cooperative is "not found" (404), as if it did not exist.
"""

from django import forms
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView
from oscar.apps.partner.models import Partner
from wagtail.admin import messages
from wagtail.admin.views.generic import CreateView, EditView, HistoryView, IndexView, UsageView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.permissions import PermissionCheckedMixin
from wagtail.admin.widgets.button import Button

from . import regions
from .admin_forms import unique_partner_code
from .invitations import InvitationRefused, invite
from .models import Cooperative


def create_partner(cooperative: Cooperative) -> Partner:
    """The Oscar partner that holds a new cooperative's stock: same name, code from the slug."""
    return Partner.objects.create(name=cooperative.name, code=unique_partner_code(cooperative.slug))


class CooperativeIndexView(IndexView):
    def get_base_queryset(self):
        queryset = super().get_base_queryset().select_related("owner")
        return regions.cooperatives_for(self.request.user, queryset)


class CooperativeCreateView(CreateView):
    """Creates the cooperative, its Oscar partner and its owner's invitation in one transaction
    (the generic view's `form_valid` wraps `save_instance` in `transaction.atomic`)."""

    def save_instance(self):
        cooperative = self.form.instance
        cooperative.partner = create_partner(cooperative)
        cooperative = super().save_instance()
        self.owner = invite(
            cooperative,
            self.form.cleaned_data["owner_email"],
            invited_by=self.request.user,
            request=self.request,
        )
        return cooperative

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except InvitationRefused as exc:
            # Refused between validation and saving (another officer was quicker): the
            # transaction is rolled back, the officer sees why.
            form.instance.pk = None
            form.instance.partner_id = None
            form.add_error("owner_email", exc.messages)
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)

    def get_success_message(self, instance):
        return _("Cooperative “%(name)s” created; an invitation was sent to %(email)s.") % {
            "name": instance.name,
            "email": self.owner.email,
        }


class CooperativeEditView(EditView):
    def get_queryset(self):
        return regions.cooperatives_for(self.request.user, super().get_queryset())

    @cached_property
    def header_more_buttons(self):
        buttons = super().header_more_buttons
        buttons.append(
            Button(
                gettext_lazy("Send an invitation"),
                url=reverse(self.invite_url_name, args=(quote(self.object.pk),)),
                icon_name="mail",
                priority=5,
            )
        )
        return buttons

    invite_url_name = None


class InviteForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("E-mail address"), max_length=254)


class CooperativeInviteView(PermissionCheckedMixin, WagtailAdminTemplateMixin, FormView):
    """Invite a member, or send a member a fresh link (the owner's, by default)."""

    model = Cooperative
    permission_required = "change"
    form_class = InviteForm
    template_name = "cooperatives/admin/invite.html"
    header_icon = "mail"
    index_url_name = None
    edit_url_name = None

    def dispatch(self, request, *args, **kwargs):
        # The permission first (without it, back to the admin home), then the cooperative,
        # among those of the user's regions.
        if not self.user_has_permission(self.permission_required):
            raise PermissionDenied
        cooperatives = Cooperative.objects.select_related("partner", "owner")
        self.object = get_object_or_404(
            regions.cooperatives_for(request.user, cooperatives), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Send an invitation")

    def get_page_subtitle(self):
        return self.object.name

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": Cooperative._meta.verbose_name_plural},
            {"url": self.edit_url, "label": self.object.name},
            {"url": "", "label": self.get_page_title()},
        ]

    @cached_property
    def edit_url(self):
        return reverse(self.edit_url_name, args=(quote(self.object.pk),))

    def get_initial(self):
        return {"email": self.object.owner.email if self.object.owner else ""}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cooperative"] = self.object
        context["members"] = self.object.partner.users.order_by("email")
        context["edit_url"] = self.edit_url
        return context

    def form_valid(self, form):
        try:
            user = invite(
                self.object,
                form.cleaned_data["email"],
                invited_by=self.request.user,
                request=self.request,
            )
        except InvitationRefused as exc:
            form.add_error("email", exc.messages)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("An invitation to “%(name)s” was sent to %(email)s.")
            % {"name": self.object.name, "email": user.email},
        )
        return redirect(self.edit_url)


class CooperativeHistoryView(HistoryView):
    def get_base_object_queryset(self):
        return regions.cooperatives_for(self.request.user, super().get_base_object_queryset())


class CooperativeUsageView(UsageView):
    def get_base_object_queryset(self):
        return regions.cooperatives_for(self.request.user, super().get_base_object_queryset())
