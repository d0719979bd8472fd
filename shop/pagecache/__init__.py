"""Whole pages kept for visitors without a session, so browsing costs one query, not forty.

A weak phone on a slow line and a small server both gain when the pages that nearly every
visitor sees the same way (home, catalogue, category, product, search, cooperatives, CMS pages)
are rendered once and served from the cache. Correctness comes first:

- Only GET/HEAD requests without a session cookie and without a messages cookie are served from
  the cache: a signed-in user, a visitor who passed the age gate or has a flash message always
  gets a fresh page.
- The per-visitor parts of a cached page are filled in on the way out: the CSRF token and the
  basket count (`sentinels`).
- Every cached page belongs to a content version (`versions`): any save or delete that a public
  page could show (products, prices, stock, categories, cooperatives, certificates, CMS pages...)
  moves the version on after commit, in the database, so every worker process sees it at once.
  Entries also expire after PAGE_CACHE_SECONDS, for what changes with time alone ("còn 3 ngày").
"""
