from smtplib import SMTPException
from urllib.parse import urljoin

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from shop.mail import send_templated

from .models import Cooperative


def accept_url(user) -> str:
    """The absolute link that lets `user` set a password (until it is set, or the link expires)."""
    path = reverse(
        "cooperatives:accept-invitation",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return urljoin(settings.SITE_URL, path)


@shared_task(autoretry_for=(OSError, SMTPException), retry_backoff=True, max_retries=6)
def send_invitation(user_id: int, cooperative_id: int, invited_by_id, language: str) -> None:
    """E-mail an invited member the link to set a password and reach the cooperative's dashboard."""
    users = get_user_model().objects
    user = users.get(pk=user_id)
    cooperative = Cooperative.objects.get(pk=cooperative_id)
    inviter = users.filter(pk=invited_by_id).first() if invited_by_id else None
    context = {
        "user": user,
        "cooperative": cooperative,
        "inviter_name": (inviter.get_full_name() or inviter.email) if inviter else "",
        "is_owner": cooperative.owner_id == user.pk,
        "has_password": user.has_usable_password(),
        "accept_url": accept_url(user),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)),
        "login_url": urljoin(settings.SITE_URL, reverse("customer:login")),
    }
    send_templated("cooperatives/email/invitation", context, [user.email], language)
