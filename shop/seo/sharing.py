"""What a shared link shows (Open Graph, for Zalo and Facebook) and what search engines read
(schema.org JSON-LD), for product, cooperative and Wagtail pages.

Each builder returns a `Sharing`; `templates/seo/social_meta.html` writes it into <head>.
Absolute addresses come from the request (the host the visitor or crawler used), else from
`settings.SITE_URL` (pages rendered without a request).
"""

from __future__ import annotations

import html
import io
import json
import logging
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import PurePosixPath
from urllib.parse import urljoin

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from shop.richtext import sanitize_html

logger = logging.getLogger(__name__)

# Facebook's preferred size for link pictures (1.91:1); Zalo shows the same picture.
SHARE_WIDTH, SHARE_HEIGHT = 1200, 630
SHARE_QUALITY = 82
# Wagtail images: cropped to the share size, as JPEG (every chat app reads JPEG; not all WebP).
WAGTAIL_SHARE_FILTER = f"fill-{SHARE_WIDTH}x{SHARE_HEIGHT}|format-jpeg"
DESCRIPTION_CHARS = 200
LONG_DESCRIPTION_CHARS = 1000
SCHEMA = "https://schema.org"
OG_LOCALES = {"vi": "vi_VN", "en": "en_US"}


@dataclass
class SharedImage:
    url: str
    alt: str = ""
    width: int | None = None
    height: int | None = None


@dataclass
class Sharing:
    title: str
    url: str
    description: str = ""
    type: str = "website"
    image: SharedImage | None = None
    # Further <meta property=...> pairs, e.g. ("product:price:amount", "150000").
    properties: list[tuple[str, str]] = field(default_factory=list)
    structured_data: list[dict] = field(default_factory=list)
    canonical: bool = True

    @property
    def site_name(self) -> str:
        return settings.OSCAR_SHOP_NAME

    @property
    def locale(self) -> str:
        return OG_LOCALES.get((get_language() or settings.LANGUAGE_CODE)[:2], "vi_VN")

    @property
    def alternate_locales(self) -> list[str]:
        return [locale for locale in OG_LOCALES.values() if locale != self.locale]


# --- Addresses and text ---------------------------------------------------------------------


def absolute_url(path: str, request=None) -> str:
    """An address with scheme and host: media on a CDN keep theirs."""
    if path.startswith(("http://", "https://")):
        return path
    if request is not None:
        return request.build_absolute_uri(path)
    return urljoin(settings.SITE_URL, path)


def canonical_path(request) -> str:
    """The page's own address: filters and sorting dropped, the page number of a list kept."""
    page = request.GET.get("page", "")
    if page.isdigit() and int(page) > 1:
        return f"{request.path}?page={int(page)}"
    return request.path


def plain_text(value, chars: int = DESCRIPTION_CHARS) -> str:
    """Rich text as one line of plain text, cut at a word boundary. Sanitised first, so the
    text of a script or style element never shows up as words."""
    text = html.unescape(strip_tags(sanitize_html(value)))
    return Truncator(" ".join(text.split())).chars(chars)


_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def ld_json(data: dict) -> str:
    """JSON for a <script type="application/ld+json">: no text can close the script early."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # noqa: S308 (escaped just now)


def whole_dong(amount: Decimal) -> str:
    return str(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- Pictures -------------------------------------------------------------------------------


def share_picture_name(original_name: str) -> str:
    path = PurePosixPath(original_name)
    return str(PurePosixPath("renditions") / path.parent / f"{path.stem}-share.jpg")


def _share_picture_cache_key(original_name: str) -> str:
    return f"share-picture:{share_picture_name(original_name)}"


def make_share_picture(original_name: str) -> bool:
    """The whole photo on a white 1200 × 630 JPEG (nothing of the product cropped away), made
    once when a photo or logo is saved (`shop.seo.receivers`): pages only read it."""
    name = share_picture_name(original_name)
    # Stored names are unique: an existing picture is of this very photo.
    if not default_storage.exists(name):
        try:
            with default_storage.open(original_name, "rb") as source:
                image = ImageOps.exif_transpose(Image.open(source)).convert("RGB")
            picture = ImageOps.pad(image, (SHARE_WIDTH, SHARE_HEIGHT), color="white")
            buffer = io.BytesIO()
            picture.save(buffer, "JPEG", quality=SHARE_QUALITY, optimize=True)
            default_storage.save(name, ContentFile(buffer.getvalue()))
        except (OSError, ValueError, Image.DecompressionBombError):
            logger.warning("No share picture for %s", original_name, exc_info=True)
            return False
    cache.delete(_share_picture_cache_key(original_name))
    return True


def uploaded_image(image_field, alt: str, request=None) -> SharedImage | None:
    """The shared picture of an uploaded photo or logo: its 1200 × 630 JPEG, else the original
    (a photo saved before share pictures existed, or one that could not be read)."""
    original_name = getattr(image_field, "name", "")
    if not original_name:
        return None
    name = share_picture_name(original_name)
    made = cache.get_or_set(
        _share_picture_cache_key(original_name), lambda: default_storage.exists(name), None
    )
    if not made:
        return SharedImage(absolute_url(image_field.url, request), alt)
    return SharedImage(
        absolute_url(default_storage.url(name), request), alt, SHARE_WIDTH, SHARE_HEIGHT
    )


def wagtail_image(image, request=None) -> SharedImage | None:
    """A Wagtail image cropped to 1200 × 630 (its focal point kept)."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition(WAGTAIL_SHARE_FILTER)
    except OSError:  # Wagtail's SourceImageIOError: the original file is missing or unreadable
        logger.warning("No share rendition for image %s", image.pk, exc_info=True)
        return None
    return SharedImage(
        absolute_url(rendition.url, request),
        image.default_alt_text or image.title,
        rendition.width,
        rendition.height,
    )


# --- Builders -------------------------------------------------------------------------------


def site_default(request, canonical: bool = True) -> Sharing:
    """Any page without its own sharing data: the market itself. Runs no query."""
    path = canonical_path(request) if request is not None else "/"
    return Sharing(
        title=f"{_('OCOP products straight from the cooperatives')} · {settings.OSCAR_SHOP_NAME}",
        description=_(
            "Certified OCOP products of the mountain cooperatives, sold by the producers "
            "themselves and delivered across Vietnam."
        ),
        url=absolute_url(path, request),
        canonical=canonical,
    )


def _page_description(page) -> str:
    for attribute in ("search_description", "intro", "hero_text", "tagline"):
        text = getattr(page, attribute, "")
        if text:
            return plain_text(text)
    return ""


def for_page(page, request) -> Sharing:
    """A Wagtail page: its SEO title, search description (or intro), and sharing picture."""
    sharing_image = getattr(page, "sharing_image", None)
    sharing = Sharing(
        title=page.seo_title or page.title,
        description=_page_description(page),
        url=absolute_url(page.get_url(request) or canonical_path(request), request),
        image=wagtail_image(sharing_image() if callable(sharing_image) else None, request),
    )
    if page.depth == 2:  # the site's home page
        sharing.structured_data = _website_data(sharing, request)
    return sharing


def _website_data(sharing: Sharing, request) -> list[dict]:
    home = absolute_url("/", request)
    search = absolute_url(reverse("search:search"), request)
    return [
        {
            "@context": SCHEMA,
            "@type": "WebSite",
            "name": settings.OSCAR_SHOP_NAME,
            "url": home,
            "inLanguage": "vi",
            "potentialAction": {
                "@type": "SearchAction",
                "target": f"{search}?q={{search_term_string}}",
                "query-input": "required name=search_term_string",
            },
        },
        {
            "@context": SCHEMA,
            "@type": "Organization",
            "name": settings.OSCAR_SHOP_NAME,
            "url": home,
            "logo": absolute_url(static("img/logo.svg"), request),
            "description": sharing.description,
        },
    ]


def _purchase_info(request, product):
    """Price and availability through Oscar's strategy, as the product page shows them."""
    strategy = getattr(request, "strategy", None)
    if strategy is None:
        from oscar.apps.partner.strategy import Selector

        strategy = Selector().strategy(request=request, user=getattr(request, "user", None))
    if product.is_parent:
        return strategy.fetch_for_parent(product)
    return strategy.fetch_for_product(product)


def for_product(product, request, cooperative=None, certificate=None) -> Sharing:
    """A product page: picture, price in whole dong and availability; schema.org Product."""
    url = absolute_url(product.get_absolute_url(), request)
    name = product.get_title()
    first_image = product.get_all_images().order_by("display_order", "pk").first()
    image = None
    if first_image is not None:
        image = uploaded_image(first_image.original, first_image.caption or name, request)
    sharing = Sharing(
        title=product.get_meta_title() or name,
        description=plain_text(product.get_meta_description()),
        url=url,
        type="product",
        image=image,
    )
    data = {"@context": SCHEMA, "@type": "Product", "name": name, "url": url}
    long_description = plain_text(product.description, LONG_DESCRIPTION_CHARS)
    if long_description:
        data["description"] = long_description
    if image is not None:
        data["image"] = [image.url]
    if product.upc:
        data["sku"] = product.upc
    if cooperative is not None:
        data["brand"] = {"@type": "Brand", "name": cooperative.name}

    info = _purchase_info(request, product)
    in_stock = info.availability.is_available_to_buy
    sharing.properties.append(("product:availability", "in stock" if in_stock else "out of stock"))
    if info.price.exists:
        amount = info.price.incl_tax if info.price.is_tax_known else info.price.excl_tax
        price, currency = whole_dong(amount), info.price.currency
        sharing.properties += [
            ("product:price:amount", price),
            ("product:price:currency", currency),
        ]
        offer = {
            "@type": "Offer",
            "url": url,
            "price": price,
            "priceCurrency": currency,
            "availability": f"{SCHEMA}/{'InStock' if in_stock else 'OutOfStock'}",
            "itemCondition": f"{SCHEMA}/NewCondition",
        }
        if cooperative is not None:
            offer["seller"] = {
                "@type": "Organization",
                "name": cooperative.name,
                "url": absolute_url(cooperative.get_absolute_url(), request),
            }
        data["offers"] = offer

    if product.rating is not None:
        reviews = product.reviews.filter(status=product.reviews.model.APPROVED).count()
        if reviews:
            data["aggregateRating"] = {
                "@type": "AggregateRating",
                "ratingValue": round(product.rating, 1),
                "reviewCount": reviews,
                "bestRating": 5,
                "worstRating": 1,
            }
    if certificate is not None:
        data["additionalProperty"] = [
            {
                "@type": "PropertyValue",
                "name": _("OCOP stars"),
                "value": certificate.stars,
                "maxValue": 5,
            }
        ]
    sharing.structured_data.append(data)
    return sharing


def for_cooperative(cooperative, request, photos=()) -> Sharing:
    """A cooperative's page: its logo or first photo, its story; schema.org Organization."""
    url = absolute_url(cooperative.get_absolute_url(), request)
    logo = uploaded_image(
        cooperative.logo, _("Logo of %(name)s") % {"name": cooperative.name}, request
    )
    picture = logo
    if picture is None and photos:
        photo = photos[0]
        picture = uploaded_image(photo.image, photo.caption or cooperative.name, request)
    description = plain_text(cooperative.story) or cooperative.place
    sharing = Sharing(
        title=cooperative.name,
        description=description,
        url=url,
        type="business.business",
        image=picture,
    )
    commune, province = cooperative.commune, cooperative.province
    contact = [
        ("business:contact_data:street_address", cooperative.street_address),
        ("business:contact_data:locality", commune.name if commune else ""),
        ("business:contact_data:region", province.name if province else ""),
        ("business:contact_data:country_name", "Việt Nam"),
    ]
    if cooperative.phone_number:
        contact.append(("business:contact_data:phone_number", cooperative.phone_number.as_e164))
    sharing.properties += [(name, value) for name, value in contact if value]

    address = {"@type": "PostalAddress", "addressCountry": "VN"}
    if cooperative.street_address:
        address["streetAddress"] = cooperative.street_address
    if commune:
        address["addressLocality"] = commune.name
    if province:
        address["addressRegion"] = province.name
    data = {
        "@context": SCHEMA,
        "@type": "Organization",
        "name": cooperative.name,
        "legalName": cooperative.legal_name,
        "url": url,
        "address": address,
    }
    if description:
        data["description"] = plain_text(cooperative.story, LONG_DESCRIPTION_CHARS) or description
    if logo is not None:
        data["logo"] = logo.url
    if picture is not None:
        data["image"] = picture.url
    if cooperative.phone_number:
        data["telephone"] = cooperative.phone_number.as_e164
    if cooperative.email:
        data["email"] = cooperative.email
    sharing.structured_data.append(data)
    return sharing
