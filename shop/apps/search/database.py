"""Search on the database: the same results on SQLite and PostgreSQL, in a fixed number of queries.

Products are matched against their folded search text (`models.ProductSearchText`) with plain
`LIKE` on ASCII words, which both databases answer alike:

- the query is folded by the same function as the text (`shop.text.fold`), so "ruou men la",
  "Rượu men lá" and "RƯỢU MEN LÁ" are the same query;
- a word matches the beginning of a word ("ruo" finds "Rượu", "men" does not find "nhiễm");
- every word must match somewhere: title, description, or cooperative, category and UPC;
- ranking: more words in the title first, then more in the description, then more in the
  cooperative and category names, then the newest product.
"""

from django.db.models import Case, Q, Value, When
from oscar.core.loading import get_model

from catalog.queries import browsable_products
from shop.text import fold

# More words narrow the results no further in practice, and each costs three LIKEs.
MAX_WORDS = 8
# Weight of a word by where it is found: with at most 8 words, any title match outweighs every
# description match, and any description match every other match.
WEIGHTS = {"title": 100, "body": 10, "extra": 1}


def words(query: str) -> list[str]:
    """The folded words of a query, each once, at most MAX_WORDS."""
    return list(dict.fromkeys(fold(query).split()))[:MAX_WORDS]


def search(query_words: list[str]):
    """Listed products matching every word, best first (lazy queryset, card data prefetched)."""
    if not query_words:
        return get_model("catalogue", "Product").objects.none()
    condition = Q()
    rank = []
    for word in query_words:
        found = {
            column: Q(**{f"search_text__{column}__contains": f" {word}"}) for column in WEIGHTS
        }
        condition &= found["title"] | found["body"] | found["extra"]
        rank += [Case(When(found[c], then=Value(w)), default=Value(0)) for c, w in WEIGHTS.items()]
    return (
        browsable_products()
        .filter(condition)
        .annotate(search_rank=sum(rank[1:], rank[0]))
        .order_by("-search_rank", "-date_created", "-pk")
    )
