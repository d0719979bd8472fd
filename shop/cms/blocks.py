"""StreamField blocks shared by content pages. Each has a template, a preview and a description."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


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


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False)

    class Meta:
        template = "cms/blocks/image.html"
        icon = "image"
        label = _("Image")
        description = _("A photo with an optional caption.")


class CallToActionBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Text"))
    link = blocks.URLBlock(label=_("Link"))

    class Meta:
        template = "cms/blocks/call_to_action.html"
        icon = "link"
        label = _("Button")
        description = _("A prominent link, for example to a category of the shop.")
        preview_value = {"text": "Xem tất cả sản phẩm", "link": "/shop/catalogue/"}


class ContentBlocks(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = ImageBlock()
    call_to_action = CallToActionBlock()
