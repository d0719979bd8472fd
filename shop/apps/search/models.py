from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductSearchText(models.Model):
    """What database search matches a product against, folded by `shop.text.fold`.

    Lower case, no diacritics, đ → d, one space before every word (so that `contains(" men")`
    matches word beginnings on SQLite and PostgreSQL alike). Kept in step with the catalogue by
    `shop.apps.search.receivers`; `manage.py rebuild_search_text` rebuilds it all.
    """

    product = models.OneToOneField(
        "catalogue.Product",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="search_text",
        verbose_name=_("product"),
    )
    title = models.TextField(_("title, folded"), blank=True)
    body = models.TextField(_("description, folded"), blank=True)
    extra = models.TextField(
        _("cooperatives, categories and codes, folded"),
        blank=True,
        help_text=_("Names of the cooperatives that sell it and of its categories, its UPC."),
    )

    class Meta:
        verbose_name = _("product search text")
        verbose_name_plural = _("product search texts")

    def __str__(self):
        return self.title.strip()
