"""Files that untrusted users upload: checks, and safe names to store them under.

Cooperative owners upload product photos, logos and photos of their cooperative, and scans of
their OCOP certificates. Nothing about such a file is trusted: not its name, not its extension,
not its content type, not the size its header claims.

- `validate_image` (or `ImageValidator(...)` for other limits): a real JPEG, PNG or WebP picture
  that Pillow decodes whole, within `settings.MAX_UPLOAD_BYTES` and a pixel budget (decompression
  bombs are refused before anything is decoded).
- `validate_document` (or `DocumentValidator(...)`): a PDF, or an image as above.
- `safe_upload_to(folder)`: an `upload_to` for model fields that stores the file as
  `folder/<ascii-slug>-<random>.<extension of the detected format>`.
- `clean_image_upload` / `clean_document_upload`: for a form's `clean_<field>()` when the model
  field is not ours (Oscar's `ProductImage.original`): check a new upload and rename it.
"""

from __future__ import annotations

import contextlib
import re
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image

from shop.text import slugify

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# 40 megapixels: more than any phone camera takes, and ~160 MB of memory once decoded (RGBA).
DEFAULT_MAX_IMAGE_PIXELS = 40_000_000
DEFAULT_MIN_IMAGE_SIDE = 100

# The formats Pillow may even try to parse (other decoders are never run on uploads), and the
# extension each is stored under. Phones save some JPEGs as MPO (several pictures, e.g. depth).
IMAGE_FORMATS = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
_PILLOW_OPEN_FORMATS = ("JPEG", "PNG", "WEBP")
# Extensions a stored file may end with; a name whose content could not be read keeps its own
# extension only when it is one of these (none of them is ever rendered as a page).
SAFE_EXTENSIONS = {"jpg": "jpg", "jpeg": "jpg", "png": "png", "webp": "webp", "pdf": "pdf"}
FALLBACK_EXTENSION = "bin"
STEM_MAX_LENGTH = 40

# Error codes are our own (never "invalid_image", "invalid", "empty"...): a ModelForm replaces
# the message of a model validator's error by its form field's message for the same code.
MESSAGES = {
    "empty": _("The file is empty."),
    "too_big": _("The file is too large (%(size)s); the limit is %(limit)s."),
    "not_image": _("Upload a JPEG, PNG or WebP image."),
    "not_document": _("Upload a PDF document or a JPEG, PNG or WebP image."),
    "broken_image": _(
        "This image is damaged or incomplete. Export it again and upload it once more."
    ),
    "too_many_pixels": _(
        "This image has too many pixels; the limit is %(limit)s megapixels. "
        "Make it smaller and upload it again."
    ),
    "too_small": _(
        "The image is too small (%(width)s × %(height)s pixels); it must be at least "
        "%(min_width)s × %(min_height)s pixels."
    ),
    "animated": _("Animated images are not accepted; upload a still picture."),
    "broken_pdf": _("This PDF is damaged or incomplete. Save it again and upload it once more."),
    "active_pdf": _(
        "This PDF contains scripts, web content or attached files, which are not accepted. "
        "Print it to a new PDF or upload a scan of the paper."
    ),
}


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


# --- Reading an upload ----------------------------------------------------------------------


def _nothing_to_check(file) -> bool:
    """No file, or a FieldFile already in storage: that was checked when it was uploaded, and
    reading it again would download it (from S3) on every save of the object."""
    if file is None:
        return True
    if isinstance(file, FieldFile):
        return not file.name or file._committed
    return False


def _rewind(file) -> None:
    with contextlib.suppress(AttributeError, OSError, ValueError):
        file.seek(0)


def _read(file, size: int | None = None) -> bytes:
    _rewind(file)
    data = file.read() if size is None else file.read(size)
    _rewind(file)
    if isinstance(data, str):  # a file opened in text mode: not an upload
        data = data.encode("utf-8", "surrogateescape")
    return data


def _file_size(file) -> int | None:
    try:
        return int(file.size)
    except (AttributeError, TypeError, ValueError, OSError):
        return None


def _check_size(file, limit: int | None) -> None:
    limit = max_upload_bytes() if limit is None else limit
    size = _file_size(file)
    if size is None:
        size = len(_read(file))
    if size == 0:
        raise ValidationError(MESSAGES["empty"], code="empty_file")
    if size > limit:
        raise ValidationError(
            MESSAGES["too_big"],
            code="file_too_big",
            params={"size": filesizeformat(size), "limit": filesizeformat(limit)},
        )


def sniff_extension(head: bytes) -> str | None:
    """The extension for the format that the file's first bytes show, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


# --- Images ---------------------------------------------------------------------------------


def _check_image(
    file, *, max_pixels: int, min_width: int, min_height: int, not_image: ValidationError
) -> str:
    """Raise ValidationError unless `file` is a whole, still JPEG/PNG/WebP within the limits;
    return the extension of its format."""
    too_many_pixels = ValidationError(
        MESSAGES["too_many_pixels"],
        code="too_many_pixels",
        params={"limit": f"{max_pixels / 1_000_000:g}"},
    )
    try:
        _rewind(file)
        # Image.open reads the header only. Pillow refuses huge images itself, with a
        # DecompressionBombError, or only a DecompressionBombWarning (a RuntimeWarning, raised
        # where warnings are errors, as in the tests) between its two limits: both are ours.
        with Image.open(file, formats=_PILLOW_OPEN_FORMATS) as image:
            image_format = image.format
            width, height = image.size
            if image_format not in IMAGE_FORMATS:
                raise not_image
            if width * height > max_pixels:
                raise too_many_pixels
            if width < min_width or height < min_height:
                raise ValidationError(
                    MESSAGES["too_small"],
                    code="image_too_small",
                    params={
                        "width": width,
                        "height": height,
                        "min_width": min_width,
                        "min_height": min_height,
                    },
                )
            if getattr(image, "is_animated", False) and image_format != "MPO":
                raise ValidationError(MESSAGES["animated"], code="animated_image")
            image.verify()  # checksums and structure, without decoding (PNG)
        # verify() leaves the image unusable: open again and decode every pixel, which is what
        # finds a truncated JPEG or WebP.
        _rewind(file)
        with Image.open(file, formats=_PILLOW_OPEN_FORMATS) as image:
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise too_many_pixels from error
    except Image.UnidentifiedImageError as error:
        raise not_image from error
    except Exception as error:
        # Pillow reports damaged files with many exception types (OSError, SyntaxError,
        # ValueError, EOFError, struct.error...): a damaged file is the user's problem, not a 500.
        raise ValidationError(MESSAGES["broken_image"], code="damaged_image") from error
    finally:
        _rewind(file)
    return IMAGE_FORMATS[image_format]


@deconstructible(path="shop.uploads.ImageValidator")
class ImageValidator:
    """Validator for an uploaded picture: JPEG, PNG or WebP, still, whole, within the limits.

    `max_bytes=None` reads `settings.MAX_UPLOAD_BYTES` when checking (so it follows the setting).
    """

    def __init__(
        self,
        min_width: int = DEFAULT_MIN_IMAGE_SIDE,
        min_height: int = DEFAULT_MIN_IMAGE_SIDE,
        max_pixels: int = DEFAULT_MAX_IMAGE_PIXELS,
        max_bytes: int | None = None,
    ):
        self.min_width = min_width
        self.min_height = min_height
        self.max_pixels = max_pixels
        self.max_bytes = max_bytes

    def __call__(self, file) -> None:
        if _nothing_to_check(file):
            return
        _check_size(file, self.max_bytes)
        _check_image(
            file,
            max_pixels=self.max_pixels,
            min_width=self.min_width,
            min_height=self.min_height,
            not_image=ValidationError(MESSAGES["not_image"], code="unsupported_image"),
        )

    def __eq__(self, other):
        return type(other) is type(self) and vars(self) == vars(other)

    def __hash__(self):
        return hash(tuple(sorted(vars(self).items())))


# --- Documents ------------------------------------------------------------------------------

_PDF_HEADER = re.compile(rb"\A%PDF-[12]\.\d")
_PDF_STREAM_START = re.compile(rb"(?<!end)stream\r?\n")
# Names of active content, outside streams (a name ends at white space or a delimiter).
# Heuristic: names hidden in compressed object streams or written with #xx escapes are not seen.
_PDF_ACTIVE = re.compile(
    rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA|SubmitForm)(?=[\s()<>\[\]{}/%]|\Z)"
)
_HTML_MARKUP = re.compile(rb"<\s*(?:!doctype|html|head|body|script|iframe|svg|meta)\b", re.I)


def _outside_streams(data: bytes) -> bytes:
    """The PDF without the content of its streams (binary data: pictures, compressed text).

    Linear time; a stream that never ends is kept, so nothing can hide behind it."""
    kept = []
    position = 0
    while match := _PDF_STREAM_START.search(data, position):
        end = data.find(b"endstream", match.end())
        if end < 0:
            break
        kept.append(data[position : match.start()])
        position = end + len(b"endstream")
    kept.append(data[position:])
    return b" ".join(kept)


def _check_pdf(file) -> None:
    data = _read(file)
    if not _PDF_HEADER.match(data):
        raise ValidationError(MESSAGES["not_document"], code="unsupported_document")
    if b"%%EOF" not in data[-2048:]:
        raise ValidationError(MESSAGES["broken_pdf"], code="damaged_document")
    outside_streams = _outside_streams(data)
    if _PDF_ACTIVE.search(outside_streams) or _HTML_MARKUP.search(outside_streams):
        raise ValidationError(MESSAGES["active_pdf"], code="active_document")


@deconstructible(path="shop.uploads.DocumentValidator")
class DocumentValidator(ImageValidator):
    """Validator for an uploaded document: a PDF, or a picture as `ImageValidator` checks it."""

    def __call__(self, file) -> None:
        if _nothing_to_check(file):
            return
        _check_size(file, self.max_bytes)
        if _read(file, 8).startswith(b"%PDF-"):
            _check_pdf(file)
            return
        _check_image(
            file,
            max_pixels=self.max_pixels,
            min_width=self.min_width,
            min_height=self.min_height,
            not_image=ValidationError(MESSAGES["not_document"], code="unsupported_document"),
        )


_validate_image = ImageValidator()
_validate_document = DocumentValidator()


def validate_image(file) -> None:
    """Django validator: a JPEG, PNG or WebP picture within the default limits."""
    _validate_image(file)


def validate_document(file) -> None:
    """Django validator: a PDF, or a JPEG, PNG or WebP picture, within the default limits."""
    _validate_document(file)


# --- Names ----------------------------------------------------------------------------------


def safe_stem(filename: str) -> str:
    """ASCII slug of a file name without folders or extension: "../Ảnh Đồn.JPG" -> "anh-don"."""
    name = re.split(r"[\\/]", str(filename or ""))[-1]
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem.strip("."):  # "photo", ".htaccess"
        stem = name
    slug = slugify(stem.replace(".", " "))[:STEM_MAX_LENGTH].strip("-_")
    return slug or "file"


def safe_filename(filename: str, head: bytes | None = None) -> str:
    """A new name for an uploaded file: slug of its stem, a random suffix, and the extension
    of the format its first bytes (`head`) show. When they show none (not read), the name's own
    extension is kept only if it is a harmless one, else ".bin"."""
    extension = sniff_extension(head) if head else None
    if extension is None:
        claimed = str(filename or "").rpartition(".")[2].lower()
        extension = SAFE_EXTENSIONS.get(claimed, FALLBACK_EXTENSION)
    return f"{safe_stem(filename)}-{secrets.token_hex(4)}.{extension}"


def _head(file) -> bytes | None:
    try:
        return _read(file, 16)
    except (AttributeError, OSError, ValueError):
        return None


def _pending_upload(instance, upload_to, filename: str):
    """The not yet stored file, on `instance`, that `upload_to` is naming (or None)."""
    pending = []
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.FileField) and field.upload_to == upload_to:
            field_file = getattr(instance, field.attname, None)
            if field_file and not getattr(field_file, "_committed", True):
                pending.append(field_file)
    if len(pending) > 1:
        pending = [f for f in pending if f.name == filename] or pending
    return pending[0].file if len(pending) == 1 else None


@deconstructible(path="shop.uploads.SafeUploadTo")
class SafeUploadTo:
    """`upload_to` storing files as `folder/<slug>-<random>.<detected extension>`."""

    def __init__(self, folder: str):
        self.folder = str(folder).strip("/")

    def __call__(self, instance, filename: str) -> str:
        upload = _pending_upload(instance, self, filename)
        name = safe_filename(filename, _head(upload) if upload is not None else None)
        return f"{self.folder}/{name}" if self.folder else name

    def __eq__(self, other):
        return isinstance(other, SafeUploadTo) and self.folder == other.folder

    def __hash__(self):
        return hash(("SafeUploadTo", self.folder))


def safe_upload_to(folder: str) -> SafeUploadTo:
    """An `upload_to` for a FileField/ImageField: `models.ImageField(upload_to=safe_upload_to(
    "cooperatives/logos"), validators=[validate_image])`. Serialisable in migrations."""
    return SafeUploadTo(folder)


# --- For forms on models that are not ours --------------------------------------------------


def rename_upload(file) -> None:
    """Give a new upload a safe name (see `safe_filename`); upload_to then adds the folder."""
    file.name = safe_filename(file.name, _head(file))


def clean_image_upload(value, validator=validate_image):
    """For a form's `clean_<field>()`: check and rename a new upload; pass anything else (the
    stored file when unchanged, False when cleared, None) through untouched."""
    if isinstance(value, UploadedFile):
        validator(value)
        rename_upload(value)
    return value


def clean_document_upload(value, validator=validate_document):
    """Like `clean_image_upload`, for a certificate: a PDF or a picture."""
    return clean_image_upload(value, validator)
