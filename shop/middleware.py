from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

# Responses worth compressing; pictures and fonts are compressed already.
COMPRESSIBLE_TYPES = ("text/", "application/json", "application/xml", "image/svg+xml")


class ChosenLanguageMiddleware:
    """Vietnamese for everybody, English for those who pick it with the language switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many phones in
    Vietnam are set to English; the shop's customers still expect it in Vietnamese.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if language not in self.languages:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


class TextGZipMiddleware(GZipMiddleware):
    """Gzip for pages on slow mobile connections (Django's, BREACH-mitigated since 4.2), skipping
    binary responses such as the media pictures served in the embedded default."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE_TYPES):
            return response
        return super().process_response(request, response)


class AdminPreviewFramingMiddleware:
    """Let Wagtail's editor show its live preview in a same-origin frame; all else is DENY.

    Listed after XFrameOptionsMiddleware, so its header is set first and kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response.headers.setdefault("X-Frame-Options", "SAMEORIGIN")
        return response
