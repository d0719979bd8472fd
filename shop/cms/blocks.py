"""StreamField blocks shared by content pages. Each has a template, a preview and a description.

`HomeBlocks` builds the home page; `ContentBlocks` the other pages. Blocks on products,
categories and campaigns live in `catalog.blocks`, on cooperatives in `cooperatives.blocks`.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms.choosers import URLOrAbsolutePathValidator
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock

from catalog import promotion
from catalog.blocks import (
    CampaignBannerBlock,
    CategoryTilesBlock,
    FeaturedProductsBlock,
    preload_featured_products,
)
from cooperatives.blocks import FeaturedCooperativesBlock


def linked_product(address: str):
    """The product whose page an address of this shop opens, if it opens one."""
    from oscar.apps.catalogue.models import Product

    parts = urlsplit(address)
    if parts.netloc:
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    if match.view_name != "catalogue:detail":
        return None
    return Product.objects.filter(pk=match.kwargs.get("pk")).first()


class LinkAddressBlock(blocks.CharBlock):
    """An address inside the shop ("/shop/catalogue/") or a full web address. A button may not
    lead to the page of a drink the law forbids promoting (`catalog.promotion`)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("validators", [URLOrAbsolutePathValidator()])
        kwargs.setdefault("max_length", 300)
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        product = linked_product(value) if value else None
        if product is not None:
            promotion.check_promotable([product])
        return value


class HeadingBlock(blocks.CharBlock):
    class Meta:
        template = "cms/blocks/heading.html"
        icon = "title"
        label = _("Heading")
        description = _("A section title.")
        preview_value = "Sản phẩm OCOP của vùng"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        kwargs.setdefault("features", ["bold", "italic", "link", "ol", "ul"])
        super().__init__(**kwargs)

    class Meta:
        template = "cms/blocks/paragraph.html"
        icon = "pilcrow"
        label = _("Paragraph")
        description = _("Text with bold, italics, links and lists.")
        preview_value = (
            "<p>Rượu men lá được nấu từ gạo nếp nương và men lá rừng theo cách của người Tày.</p>"
        )


def _preview_image():
    return {"image": get_image_model().objects.first(), "caption": "Ruộng nếp nương mùa gặt"}


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        template = "cms/blocks/image.html"
        icon = "image"
        label = _("Image")
        description = _("A photo with an optional caption.")
        preview_value = staticmethod(_preview_image)


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"))
    link = LinkAddressBlock(
        label=_("Link"),
        help_text=_("An address of the shop such as /shop/catalogue/, or https://…"),
    )

    class Meta:
        template = "cms/blocks/call_to_action.html"
        icon = "link"
        label = _("Button")
        description = _("A prominent link, for example to a category of the shop.")
        preview_value = {"text": "Xem tất cả sản phẩm", "link": "/shop/catalogue/"}


class HeroBannerBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"), required=False)
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), required=False, max_length=300)
    link_text = blocks.CharBlock(label=_("Button text"), required=False, max_length=60)
    link_page = blocks.PageChooserBlock(label=_("Button leads to a page"), required=False)
    link_url = LinkAddressBlock(
        label=_("… or to an address"),
        required=False,
        help_text=_("An address of the shop such as /shop/catalogue/, or https://…"),
    )

    class Meta:
        template = "cms/blocks/hero_banner.html"
        icon = "image"
        label = _("Hero banner")
        description = _(
            "A large banner at the top of the page: a photo, a title, a sentence and a button."
        )
        preview_value = {
            "image": None,
            "title": "Đặc sản vùng cao, mua thẳng từ hợp tác xã",
            "text": "Sản phẩm OCOP được chứng nhận, giao tận nhà trên toàn quốc.",
            "link_text": "Mua ngay",
            "link_page": None,
            "link_url": "/shop/catalogue/",
        }

    def clean(self, value):
        value = super().clean(value)
        has_text = bool(value["link_text"])
        has_target = bool(value["link_page"] or value["link_url"])
        errors = {}
        if value["link_page"] and value["link_url"]:
            errors["link_url"] = ValidationError(_("Choose a page or type an address, not both."))
        elif has_text and not has_target:
            errors["link_page"] = ValidationError(
                _("Choose the page the button leads to, or type an address below.")
            )
        elif has_target and not has_text:
            errors["link_text"] = ValidationError(_("Type the text of the button."))
        if errors:
            raise StructBlockValidationError(block_errors=errors)
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        page = value["link_page"]
        context["link"] = page.url if page is not None and page.live else value["link_url"]
        return context


class PreloadingStreamBlock(blocks.StreamBlock):
    """Loads the products of all its featured-product blocks in one batch before rendering,
    so a page costs the same number of queries whatever the number of blocks and products."""

    def render_basic(self, value, context=None):
        context = dict(context or {})
        preload_featured_products(value, context)
        return super().render_basic(value, context=context)


class ContentBlocks(PreloadingStreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    call_to_action = CallToActionBlock()
    featured_products = FeaturedProductsBlock()
    featured_cooperatives = FeaturedCooperativesBlock()


class HomeBlocks(PreloadingStreamBlock):
    hero_banner = HeroBannerBlock()
    featured_products = FeaturedProductsBlock()
    featured_cooperatives = FeaturedCooperativesBlock()
    campaign_banner = CampaignBannerBlock()
    category_tiles = CategoryTilesBlock()
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    call_to_action = CallToActionBlock()

    class Meta:
        block_counts = {"hero_banner": {"max_num": 1}}
