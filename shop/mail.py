"""E-mails rendered from a subject, a plain-text and an HTML template, in a given language."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def send_templated(template_prefix: str, context: dict, to: list[str], language: str = "") -> None:
    """Send `<prefix>_subject.txt`, `<prefix>_body.txt` and `<prefix>_body.html` to `to`.

    Rendered in `language` (the site's language by default): owners and officers read Vietnamese.
    """
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        text = render_to_string(f"{template_prefix}_body.txt", context)
        html = render_to_string(f"{template_prefix}_body.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, to)
    message.attach_alternative(html, "text/html")
    message.send()
