from . import sentinels


def csrf_marker(request):
    """While a page is rendered for the cache, forms carry a marker instead of a token.

    Listed after Django's own csrf processor, so it wins; `sentinels.fill` puts the visitor's
    own token in its place.
    """
    if sentinels.filling(request):
        return {"csrf_token": sentinels.CSRF}
    return {}
