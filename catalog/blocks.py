"""StreamField blocks on Oscar's products, categories and campaigns.

They store ids only and render live data: price and stock through Oscar's strategy, the OCOP
badge from the certificates in force. What an id pointed to may since have been deleted, hidden
or (for a drink) had its ABV raised: pages then leave it out and never fail, and the editor says
what to fix when the page is saved next.

Page models of several apps import these blocks while Django loads the models, so this module
imports no models (nor modules that do) at its top: choosers and queries are imported when used.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from shop.cms.block_tools import MissingChoiceMessage, shopper_request

MAX_FEATURED = 12
# Where a stream puts the product cards it loaded for all its featured blocks at once.
FEATURED_CARDS = "featured_product_cards"


class ProductChooserBlock(MissingChoiceMessage, blocks.ChooserBlock):
    """A product, stored by id, chosen in `catalog.choosers`. Refuses drinks the alcohol law
    forbids promoting (Law 44/2019), with the reason, on the very item the editor chose."""

    target_model = "catalogue.Product"
    missing_message = _(
        "Choose a product or remove this item. A product chosen earlier may have been deleted "
        "or taken off sale."
    )

    @cached_property
    def widget(self):
        from .choosers import product_chooser_viewset

        return product_chooser_viewset.widget_class()

    def choosable(self, user):
        """What this user may put in the block (`shop.cms.forms` checks it on save)."""
        from .choosers import choosable_products

        return choosable_products(user)

    def clean(self, value):
        from . import promotion, queries

        product = super().clean(value)
        if product is None:
            return product
        abv = promotion.strong_drinks([product]).get(product.pk)
        if abv is not None:
            raise ValidationError(promotion.refusal(product, abv))
        if not queries.browsable_products().filter(pk=product.pk).exists():
            raise ValidationError(
                _(
                    "“%(product)s” is no longer on sale (hidden, or its cooperative is inactive "
                    "or deleted): remove it or choose another product."
                )
                % {"product": product.get_title()}
            )
        return product

    class Meta:
        icon = "pick"
        label = _("Product")


class CategoryChooserBlock(MissingChoiceMessage, blocks.ChooserBlock):
    target_model = "catalogue.Category"
    missing_message = _(
        "Choose a product group or remove this item. A group chosen earlier may have been deleted."
    )

    @cached_property
    def widget(self):
        from .choosers import category_chooser_viewset

        return category_chooser_viewset.widget_class()

    class Meta:
        icon = "folder-open-inverse"
        label = _("Product group")


class CampaignChooserBlock(MissingChoiceMessage, blocks.PageChooserBlock):
    missing_message = _(
        "Choose a campaign or remove this block. A campaign chosen earlier may have been deleted."
    )

    def __init__(self, **kwargs):
        kwargs.setdefault("page_type", "catalog.CampaignPage")
        super().__init__(**kwargs)


# --- Featured products ----------------------------------------------------------------------


def chosen_ids(value) -> list[int]:
    """Ids of the products of a featured block, in the editor's order, each once; deleted
    products (None) are skipped."""
    return list(dict.fromkeys(product.pk for product in value["products"] if product is not None))


def load_cards(ids, request) -> dict[int, object]:
    """{id: product with its card data} for those ids a shopper may see featured: still sold by
    an active cooperative, promotable under the alcohol law, no drinks before the age gate.

    A fixed number of queries whatever the number of ids.
    """
    from . import promotion

    if not ids:
        return {}
    return {product.pk: product for product in promotion.shown_products(request).filter(pk__in=ids)}


def preload_featured_products(stream_value, context) -> None:
    """Load the cards of every featured-products block of the stream in one batch."""
    ids = [
        pk
        for child in stream_value
        if isinstance(child.block, FeaturedProductsBlock)
        for pk in chosen_ids(child.value)
    ]
    context[FEATURED_CARDS] = load_cards(ids, shopper_request(context.get("request")))


def _preview_products():
    from . import promotion

    sample = promotion.shown_products(None)[:4]
    return {"heading": "Đặc sản OCOP nổi bật", "products": list(sample)}


class FeaturedProductsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    products = blocks.ListBlock(
        ProductChooserBlock(),
        label=_("Products"),
        min_num=1,
        max_num=MAX_FEATURED,
    )

    class Meta:
        template = "catalog/blocks/featured_products.html"
        icon = "pick"
        label = _("Featured products")
        description = _(
            "Products chosen by hand, shown with their current price, stock and OCOP stars. "
            "Drinks of 15% ABV or more cannot be featured (Law 44/2019)."
        )
        preview_value = staticmethod(_preview_products)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        request = shopper_request(context.get("request"))
        ids = chosen_ids(value)
        cards = context.get(FEATURED_CARDS)  # loaded by the stream for all its blocks
        if cards is None:
            cards = load_cards(ids, request)
        context["request"] = request
        context["products"] = [cards[pk] for pk in ids if pk in cards]
        return context


# --- Category tiles -------------------------------------------------------------------------


def _preview_categories():
    from . import queries

    return {
        "heading": "Nhóm sản phẩm OCOP",
        "categories": list(queries.top_categories()[:6]),
    }


class CategoryTilesBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), required=False, max_length=120)
    categories = blocks.ListBlock(
        CategoryChooserBlock(), label=_("Product groups"), min_num=1, max_num=MAX_FEATURED
    )

    class Meta:
        template = "catalog/blocks/category_tiles.html"
        icon = "folder-open-inverse"
        label = _("Product group tiles")
        description = _("Tiles leading to groups of the shop, e.g. teas, honey, rice wines.")
        preview_value = staticmethod(_preview_categories)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["tiles"] = [
            {"name": category.name, "url": category.get_absolute_url(), "image": category.image}
            for category in value["categories"]
            if _is_browsable(category)
        ]
        return context


def _is_browsable(category) -> bool:
    return category is not None and category.is_public and category.ancestors_are_public


# --- Campaign banners -----------------------------------------------------------------------


def running_now(now=None) -> Q:
    """Condition on pages: inside their scheduled publishing window (Wagtail's own go-live
    and expiry dates are a campaign's start and end)."""
    now = now or timezone.now()
    return (Q(go_live_at__isnull=True) | Q(go_live_at__lte=now)) & (
        Q(expire_at__isnull=True) | Q(expire_at__gt=now)
    )


def is_running(page, now=None) -> bool:
    now = now or timezone.now()
    started = page.go_live_at is None or page.go_live_at <= now
    ended = page.expire_at is not None and page.expire_at <= now
    return page.live and started and not ended


def _preview_campaign():
    from .pages import CampaignPage

    campaign = CampaignPage.objects.live().filter(running_now()).first()
    return {"campaign": campaign, "image": None, "text": ""}


class CampaignBannerBlock(blocks.StructBlock):
    campaign = CampaignChooserBlock(label=_("Campaign"))
    image = ImageChooserBlock(
        label=_("Image"), required=False, help_text=_("Leave empty to use the campaign's banner.")
    )
    text = blocks.CharBlock(
        label=_("Text"),
        required=False,
        max_length=250,
        help_text=_("Leave empty to use the campaign's tagline."),
    )

    class Meta:
        template = "catalog/blocks/campaign_banner.html"
        icon = "date"
        label = _("Campaign banner")
        description = _(
            "A banner leading to a campaign. It shows only while the campaign runs, between "
            "its go-live and expiry dates."
        )
        preview_value = staticmethod(_preview_campaign)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        campaign = value["campaign"]
        if campaign is not None and is_running(campaign):
            context["campaign"] = campaign
            context["banner_image"] = value["image"] or campaign.banner_image
            context["banner_text"] = value["text"] or campaign.tagline
        return context
