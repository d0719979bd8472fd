"""Haystack's Elasticsearch 7 backend, made to search Vietnamese the way the database search does.

- Every text field is analysed by `folded` (standard tokenizer, lowercase, ASCII folding: "Rượu"
  and "ruou" are one term, đ → d), not Haystack's English snowball analyzer. The documents are
  also folded before indexing (`search_indexes.ProductIndex`) and the view folds the query, so
  the result does not hang on the analyzer alone.
- Words match from their beginning, as in the database search: edge n-grams at index time, the
  plain folded word at query time.
- Every word must match somewhere (the `text` field holds it all, default operator AND); words
  found in the title weigh most, then the description, then the cooperative and category names.
"""

from haystack.backends.elasticsearch7_backend import (
    Elasticsearch7SearchBackend,
    Elasticsearch7SearchEngine,
)

# Extra weight of a word found in each field, added to the match on the whole text.
FIELD_BOOSTS = {"title": 100, "body": 10, "extra": 1}

_FOLDED = {"type": "text", "analyzer": "folded"}
_PREFIXES = {"type": "text", "analyzer": "folded_prefixes", "search_analyzer": "folded"}


class FoldingElasticsearchBackend(Elasticsearch7SearchBackend):
    DEFAULT_SETTINGS = {
        "settings": {
            "index": {"max_ngram_diff": 20},
            "analysis": {
                "analyzer": {
                    "folded": {
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding"],
                    },
                    "folded_prefixes": {
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding", "word_prefixes"],
                    },
                },
                "filter": {
                    "word_prefixes": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
                },
            },
        },
    }
    DEFAULT_FIELD_MAPPING = _FOLDED
    FIELD_MAPPINGS = {
        **Elasticsearch7SearchBackend.FIELD_MAPPINGS,
        "edge_ngram": _PREFIXES,
        "ngram": _PREFIXES,
    }

    def build_search_kwargs(self, query_string, **kwargs):
        search_kwargs = super().build_search_kwargs(query_string, **kwargs)
        # The query is {"query_string": ...}, or {"bool": {"must": {"query_string": ...}, ...}}
        # when Haystack adds filters (it always limits results to the indexed models).
        query = search_kwargs["query"]
        holder, key = (query["bool"], "must") if "bool" in query else (search_kwargs, "query")
        matched = holder[key]
        if "query_string" in matched:
            holder[key] = {
                "bool": {
                    "must": [matched],
                    "should": [
                        {
                            "query_string": {
                                "query": matched["query_string"]["query"],
                                "default_field": field,
                                "default_operator": "OR",
                                "boost": boost,
                            }
                        }
                        for field, boost in FIELD_BOOSTS.items()
                    ],
                }
            }
        return search_kwargs


class FoldingElasticsearchEngine(Elasticsearch7SearchEngine):
    backend = FoldingElasticsearchBackend
