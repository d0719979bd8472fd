import hashlib

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse

from . import sentinels, versions

CACHE_ALIAS = "pages"
# Views whose pages look the same to every visitor without a session.
CACHED_VIEWS = {
    "wagtail_serve",
    "catalogue:index",
    "catalogue:category",
    "catalogue:detail",
    "search:search",
    "cooperatives:list",
    "cooperatives:detail",
    "trace",
}
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link", "X-Robots-Tag")


class PageCacheMiddleware:
    """Serves and fills the shared page cache (see the package docstring).

    Listed after the session, CSRF, messages and basket middleware (their response handling
    still runs on a cached page) and before the age gate, whose answer is cached with the page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with versions.request_scope():
            return self.respond(request)

    def respond(self, request):
        response = self.get_response(request)
        key = getattr(request, "page_cache_key", None)
        if key is not None:
            request.page_cache_filling = False
            if self.storable(request, response):
                entry = (
                    response.content,
                    [(name, response[name]) for name in KEPT_HEADERS if name in response],
                )
                caches[CACHE_ALIAS].set(key, entry, settings.PAGE_CACHE_SECONDS)
            response.content = sentinels.fill(response.content, request)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not self.servable(request):
            return None
        key = self.key(request, versions.current())
        entry = caches[CACHE_ALIAS].get(key)
        if entry is None:
            request.page_cache_key = key
            request.page_cache_filling = True
            return None
        content, headers = entry
        response = HttpResponse(sentinels.fill(content, request))
        for name, value in headers:
            response[name] = value
        response["X-Page-Cache"] = "hit"
        return response

    @staticmethod
    def servable(request) -> bool:
        match = request.resolver_match
        return (
            settings.PAGE_CACHE_SECONDS > 0
            and request.method in ("GET", "HEAD")
            and match is not None
            and match.view_name in CACHED_VIEWS
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        )

    @staticmethod
    def key(request, version: str) -> str:
        address = f"{request.get_host()}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        return f"page:{version}:{request.LANGUAGE_CODE}:{digest}"

    @staticmethod
    def storable(request, response) -> bool:
        """Only a plain, complete page that gave this visitor nothing of their own."""
        session = getattr(request, "session", None)
        messages = getattr(request, "_messages", None)
        return (
            response.status_code == 200
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
            and not (session is not None and session.modified)
            and not (messages is not None and getattr(messages, "added_new", False))
            # Something printed a real CSRF token instead of the marker.
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
