"""Turn the SEARCH_URL setting into Haystack's connection settings.

Imported by the settings modules, so it imports nothing from Django's app registry or Haystack.

- unset or empty: search runs on the database (`shop.apps.search.database`); Haystack keeps
  its do-nothing simple backend, because Oscar imports it;
- `elasticsearch://host:9200/index` (or `elasticsearch7://`; `elasticsearchs://` for HTTPS,
  user and password in the URL if the cluster asks for them): an Elasticsearch 7 index, through
  Haystack's Elasticsearch 7 backend with a diacritic-folding analyzer (`.backends`).

Solr, Whoosh and older Elasticsearch are refused rather than half supported.
"""

from django.core.exceptions import ImproperlyConfigured
from environ import Env

DATABASE_ENGINE = "haystack.backends.simple_backend.SimpleEngine"
ELASTICSEARCH_ENGINE = "shop.apps.search.backends.FoldingElasticsearchEngine"
_ELASTICSEARCH_SCHEMES = {"elasticsearch", "elasticsearchs", "elasticsearch7", "elasticsearch7s"}


def haystack_connection(url: str) -> dict:
    """The `HAYSTACK_CONNECTIONS["default"]` entry for SEARCH_URL."""
    if not url:
        return {"ENGINE": DATABASE_ENGINE}
    scheme = url.split("://", 1)[0].lower() if "://" in url else ""
    if scheme not in _ELASTICSEARCH_SCHEMES:
        raise ImproperlyConfigured(
            "SEARCH_URL must be elasticsearch://host:9200/index (Elasticsearch 7), "
            f"or unset for database search; got scheme {scheme or url!r}."
        )
    config = Env.search_url_config(url)
    if not config.get("INDEX_NAME"):
        raise ImproperlyConfigured("SEARCH_URL needs an index name: elasticsearch://host:9200/ocop")
    config["ENGINE"] = ELASTICSEARCH_ENGINE
    # Errors reach the search view, which then answers from the database instead.
    config["SILENTLY_FAIL"] = False
    config.setdefault("TIMEOUT", 5)
    return config
