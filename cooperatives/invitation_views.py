"""The page an invited cooperative member opens from the e-mail to choose a password."""

from django.contrib import messages
from django.contrib.auth.views import PasswordResetConfirmView
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.models import Partner


class AcceptInvitationView(PasswordResetConfirmView):
    """Django's password-reset confirmation, for members of a cooperative.

    The token (Django's `default_token_generator`) is moved into the session and the address bar
    shows `.../set-password/` instead, so it never leaks in a Referer header. A link stops
    working once the password is set (the token covers the password hash) or when it expires;
    an expired, used or forged link gets a page that says how to get a new one. On success the
    member is logged in and sent to the dashboard.
    """

    template_name = "cooperatives/accept_invitation.html"
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"
    success_url = "/shop/dashboard/"
    title = _("Choose your password")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        # Only members of a cooperative are invited; any other account uses the shop's own
        # password reset.
        if user is None or not user.is_active or not Partner.objects.filter(users=user).exists():
            return None
        return user

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.user is not None:
            context["partner"] = Partner.objects.filter(users=self.user).first()
            context["invited_email"] = self.user.email
        if not context["validlink"]:
            context["title"] = _("This invitation link no longer works")
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your password is set. Welcome to your cooperative's dashboard."),
        )
        return response

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Referrer-Policy"] = "no-referrer"
        return response
