"""The per-visitor parts of a cached page: rendered as markers, filled in for each visitor."""

from django.conf import settings
from django.middleware.csrf import get_token

# What `{% csrf_token %}` prints while a page is rendered for the cache (context_processors).
CSRF = "page-cache-csrf-token-7f3a9c"
BASKET_COUNT = "page-cache-basket-count-3c1e"


def filling(request) -> bool:
    return getattr(request, "page_cache_filling", False)


def basket_count(request) -> int | str:
    """Items in the visitor's basket; a visitor without a basket cookie has none (no query)."""
    if filling(request):
        return BASKET_COUNT
    if not hasattr(request, "basket"):
        return 0
    if request.user.is_anonymous and settings.OSCAR_BASKET_COOKIE_OPEN not in request.COOKIES:
        return 0
    return request.basket.num_items


def fill(content: bytes, request) -> bytes:
    """The cached page for this visitor: their CSRF token and basket count."""
    if CSRF.encode() in content:
        content = content.replace(CSRF.encode(), get_token(request).encode())
    if BASKET_COUNT.encode() in content:
        content = content.replace(BASKET_COUNT.encode(), str(basket_count(request)).encode())
    return content
