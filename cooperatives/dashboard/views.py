"""A cooperative's own pages in the Oscar dashboard: its profile (with photos) and its team.

Every view finds the signed-in user's cooperative (`cooperatives.access`); there is no id of a
cooperative in any address, so nobody can reach another one's. The dashboard's URL permissions
already require `partner.dashboard_access`.
"""

import copy

from django.contrib import messages
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import generic

from ..access import is_owner, require_cooperative
from .forms import BANK_FIELDS, CooperativeProfileForm, InviteForm, PhotoFormSet


class CooperativeMixin:
    def dispatch(self, request, *args, **kwargs):
        self.cooperative = require_cooperative(request.user)
        self.is_owner = is_owner(request.user, self.cooperative)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(cooperative=self.cooperative, is_owner=self.is_owner)
        return ctx


class ProfileView(CooperativeMixin, generic.TemplateView):
    template_name = "oscar/dashboard/cooperative/profile.html"

    def get_forms(self, data=None, files=None):
        # A copy: a form that does not validate must not change the cooperative the page shows.
        cooperative = copy.copy(self.cooperative)
        form = CooperativeProfileForm(data, files, instance=cooperative, with_bank=self.is_owner)
        photos = PhotoFormSet(data, files, instance=cooperative, prefix="photos")
        return form, photos

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if "form" not in ctx:
            ctx["form"], ctx["photo_formset"] = self.get_forms()
        ctx["bank_fields"] = BANK_FIELDS
        return ctx

    def post(self, request, *args, **kwargs):
        if "show_communes" in request.POST:
            # Without JavaScript: the communes of the chosen province, keeping what was typed.
            form = CooperativeProfileForm(
                initial=request.POST.dict(), instance=self.cooperative, with_bank=self.is_owner
            )
            photos = PhotoFormSet(instance=self.cooperative, prefix="photos")
            return self.render_to_response(self.get_context_data(form=form, photo_formset=photos))
        form, photos = self.get_forms(request.POST, request.FILES)
        if form.is_valid() and photos.is_valid():
            with transaction.atomic():
                form.save()
                photos.save()
            messages.success(request, _("Your cooperative's profile is saved."))
            return redirect("dashboard:cooperative-profile")
        messages.error(request, _("Some details need correcting; see the messages below."))
        return self.render_to_response(
            self.get_context_data(form=form, photo_formset=photos), status=200
        )


class TeamView(CooperativeMixin, generic.FormView):
    """Everybody in the cooperative sees the team; only the owner invites."""

    template_name = "oscar/dashboard/cooperative/team.html"
    form_class = InviteForm

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["members"] = list(
            self.cooperative.partner.users.order_by("date_joined", "pk").only(
                "pk", "email", "first_name", "last_name", "password", "last_login", "date_joined"
            )
        )
        ctx["owner_id"] = self.cooperative.owner_id
        return ctx

    def post(self, request, *args, **kwargs):
        if not self.is_owner:
            raise PermissionDenied
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        from cooperatives.invitations import invite

        email = form.cleaned_data["email"]
        member = self.cooperative.partner.users.filter(email__iexact=email).first()
        if member is not None and member.has_usable_password():
            form.add_error("email", _("This person is already in your team."))
            return self.form_invalid(form)
        # New people are invited; invited people who have not come yet get a fresh link.
        try:
            invite(self.cooperative, email, invited_by=self.request.user, request=self.request)
        except ValidationError as error:
            for message in error.messages:
                form.add_error("email", message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("An invitation is on its way to %(email)s.") % {"email": email}
        )
        return redirect("dashboard:cooperative-team")


class RemoveMemberView(CooperativeMixin, generic.View):
    """The owner takes a staff member off the team (never themselves, never the owner)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        if not self.is_owner:
            raise PermissionDenied
        partner = self.cooperative.partner
        member = get_object_or_404(partner.users.all(), pk=pk)
        if member.pk in (request.user.pk, self.cooperative.owner_id):
            raise PermissionDenied
        with transaction.atomic():
            partner.users.remove(member)
            if not member.partners.exists():
                member.user_permissions.remove(
                    Permission.objects.get(
                        codename="dashboard_access", content_type__app_label="partner"
                    )
                )
        messages.success(
            request,
            _("%(email)s is no longer in your team.") % {"email": member.email},
        )
        return HttpResponseRedirect(reverse("dashboard:cooperative-team"))
