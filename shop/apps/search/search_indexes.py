"""The product documents of the search engine (used only when SEARCH_URL is set).

Each document is the product's folded search text (`models.ProductSearchText`): what the engine
indexes is what the database search matches, built once by `documents.refresh`.
"""

from haystack import indexes
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")


class ProductIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.EdgeNgramField(document=True)
    title = indexes.EdgeNgramField()
    body = indexes.EdgeNgramField()
    extra = indexes.EdgeNgramField()
    date_created = indexes.DateTimeField(model_attr="date_created")

    def get_model(self):
        return Product

    def index_queryset(self, using=None):
        """What shoppers may find: the products the catalogue lists."""
        return Product.objects.browsable().select_related("search_text").order_by("pk")

    def read_queryset(self, using=None):
        return self.index_queryset(using)

    def _search_text(self, obj):
        from .models import ProductSearchText

        try:
            return obj.search_text
        except ProductSearchText.DoesNotExist:
            return ProductSearchText()

    def prepare_text(self, obj):
        row = self._search_text(obj)
        return " ".join(part.strip() for part in (row.title, row.body, row.extra) if part)

    def prepare_title(self, obj):
        return self._search_text(obj).title.strip()

    def prepare_body(self, obj):
        return self._search_text(obj).body.strip()

    def prepare_extra(self, obj):
        return self._search_text(obj).extra.strip()
