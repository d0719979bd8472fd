"""Small WebP renditions of product photos, made once when a photo is saved.

A rendition's name derives from the original's, so pages build `srcset` from names alone: no
query and no storage call per image, whatever the size of the catalogue.
"""

import io
import logging
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.templatetags.static import static
from oscar.core.thumbnails import AbstractThumbnailer
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

WIDTHS = (160, 320, 640)
QUALITY = 78
PLACEHOLDER = "img/placeholder.svg"


def rendition_name(original_name: str, width: int) -> str:
    path = PurePosixPath(original_name)
    return str(PurePosixPath("renditions") / path.parent / f"{path.stem}-{width}.webp")


def rendition_url(original_name: str, width: int) -> str:
    return default_storage.url(rendition_name(original_name, width))


def srcset(original_name: str) -> str:
    return ", ".join(f"{rendition_url(original_name, width)} {width}w" for width in WIDTHS)


def placeholder_url() -> str:
    return static(PLACEHOLDER)


def make_renditions(original_name: str) -> None:
    """Write every rendition of a stored photo (overwriting older ones of the same name)."""
    with default_storage.open(original_name, "rb") as source:
        image = Image.open(source)
        image = ImageOps.exif_transpose(image).convert("RGB")
    for width in WIDTHS:
        copy = image.copy()
        copy.thumbnail((width, width * 4))
        buffer = io.BytesIO()
        copy.save(buffer, "WEBP", quality=QUALITY, method=4)
        name = rendition_name(original_name, width)
        if default_storage.exists(name):
            default_storage.delete(name)
        default_storage.save(name, ContentFile(buffer.getvalue()))


def delete_renditions(original_name: str) -> None:
    for width in WIDTHS:
        name = rendition_name(original_name, width)
        if default_storage.exists(name):
            default_storage.delete(name)


class _Thumbnail:
    def __init__(self, url: str):
        self.url = url


class RenditionThumbnailer(AbstractThumbnailer):
    """Oscar's `oscar_thumbnail` tag (used by the dashboard) served from our renditions."""

    def generate_thumbnail(self, source, **opts):
        requested = int(str(opts.get("size", "")).split("x")[0] or WIDTHS[-1])
        width = next((w for w in WIDTHS if w >= requested), WIDTHS[-1])
        name = getattr(source, "name", str(source))
        if not default_storage.exists(rendition_name(name, width)):
            try:
                make_renditions(name)
            except (OSError, ValueError):
                logger.warning("No rendition for %s", name, exc_info=True)
                return _Thumbnail(placeholder_url())
        return _Thumbnail(rendition_url(name, width))

    def delete_thumbnails(self, source):
        delete_renditions(getattr(source, "name", str(source)))
