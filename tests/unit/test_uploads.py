"""Uploads from untrusted users: only whole pictures and PDFs, within limits, under safe names."""

import io
import random
import re
import struct
import time
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import models
from django.db.migrations.writer import MigrationWriter
from django.test import override_settings
from django.test.utils import isolate_apps
from django.utils import translation
from PIL import Image

from shop import uploads
from shop.uploads import (
    DocumentValidator,
    ImageValidator,
    SafeUploadTo,
    clean_document_upload,
    clean_image_upload,
    safe_filename,
    safe_stem,
    safe_upload_to,
    validate_document,
    validate_image,
)

SAFE_NAME = r"[a-z0-9_-]{1,40}-[0-9a-f]{8}\.(jpg|png|webp|pdf|bin)"


@pytest.fixture(autouse=True)
def _english():
    """Messages are checked in English, their msgid (the site is Vietnamese by default)."""
    with translation.override("en"):
        yield


# --- Files to upload ------------------------------------------------------------------------


def image_bytes(fmt="JPEG", size=(320, 240), mode="RGB", noise=False, **options) -> bytes:
    image = Image.new(mode, size, (40, 120, 70) if mode == "RGB" else 0)
    if noise:  # incompressible content, so that files have a realistic size
        rng = random.Random(size[0] * size[1])  # noqa: S311 (test data)
        image = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def blank_png(width: int, height: int) -> bytes:
    """A valid 1-bit greyscale PNG of the given size: a few hundred KB at most on disk, but
    width × height pixels once decoded (a decompression bomb when they are many)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = bytes(1 + (width + 7) // 8)  # filter byte, then the bits of one row, all black
    compressor = zlib.compressobj(9)
    idat = []
    for start in range(0, height, 1000):
        idat.append(compressor.compress(row * min(1000, height - start)))
    idat.append(compressor.flush())
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", b"".join(idat))
        + png_chunk(b"IEND", b"")
    )


def minimal_pdf(catalog_extra: bytes = b"") -> bytes:
    """A small but well-formed PDF (one blank page, with a cross-reference table)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b">>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pillow_pdf() -> bytes:
    """A scan as a PDF: a JPEG picture in a stream (arbitrary binary content)."""
    buffer = io.BytesIO()
    Image.open(io.BytesIO(image_bytes(size=(600, 800), noise=True))).save(buffer, "PDF")
    return buffer.getvalue()


def codes(error: ValidationError) -> list[str]:
    return [e.code for e in error.error_list]


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Images ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "options"),
    [("JPEG", {}), ("PNG", {}), ("WEBP", {}), ("JPEG", {"progressive": True})],
)
def test_real_pictures_are_accepted(fmt, options):
    validate_image(upload("photo", image_bytes(fmt, noise=True, **options)))


def test_palette_and_transparent_pngs_are_accepted():
    validate_image(upload("logo.png", image_bytes("PNG", mode="P")))
    validate_image(upload("logo.png", image_bytes("PNG", mode="RGBA")))


def test_a_phone_jpeg_with_several_pictures_mpo_is_accepted():
    first = Image.new("RGB", (320, 240), "red")
    buffer = io.BytesIO()
    first.save(buffer, "MPO", save_all=True, append_images=[Image.new("RGB", (320, 240))])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    validate_image(upload("IMG_0001.JPG", buffer.getvalue()))


def test_big_uploads_kept_on_disk_are_checked_too():
    data = image_bytes("JPEG", size=(400, 300), noise=True)
    for content, ok in ((data, True), (data[:5000], False)):
        file = TemporaryUploadedFile("photo.jpg", "image/jpeg", len(content), None)
        file.write(content)
        file.seek(0)
        with file:
            if ok:
                validate_image(file)
                validate_document(file)
            else:
                with pytest.raises(ValidationError):
                    validate_image(file)


def test_the_file_position_is_left_at_the_start():
    file = upload("photo.jpg", image_bytes())
    file.read(10)
    validate_image(file)
    assert file.tell() == 0


def test_a_truncated_jpeg_is_refused():
    data = image_bytes("JPEG", size=(400, 300), noise=True)
    with pytest.raises(ValidationError) as error:
        validate_image(upload("photo.jpg", data[: len(data) * 2 // 3]))
    assert codes(error.value) == ["damaged_image"]
    assert "damaged or incomplete" in messages(error.value)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_truncated_pngs_and_webps_are_refused(fmt):
    data = image_bytes(fmt, size=(400, 300), noise=True)
    with pytest.raises(ValidationError) as error:
        validate_image(upload("photo", data[: len(data) // 2]))
    assert codes(error.value) == ["damaged_image"]


def test_a_png_with_a_corrupted_chunk_is_refused():
    data = bytearray(image_bytes("PNG", noise=True))
    data[200] ^= 0xFF  # inside IDAT: its CRC no longer matches
    with pytest.raises(ValidationError) as error:
        validate_image(upload("photo.png", bytes(data)))
    assert codes(error.value) == ["damaged_image"]


@pytest.mark.parametrize(
    "data",
    [
        b"just some notes, not a picture\n" * 20,
        b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>",
        b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
        b"\xff\xd8\xff" + b"\x00" * 300,  # JPEG magic, then nothing
    ],
    ids=["text", "html", "svg", "jpeg-magic-only"],
)
def test_files_that_are_not_pictures_are_refused_even_named_jpg(data):
    with pytest.raises(ValidationError) as error:
        validate_image(upload("photo.jpg", data))
    assert codes(error.value) == ["unsupported_image"]


@pytest.mark.parametrize("fmt", ["GIF", "BMP", "TIFF", "ICO", "PDF"])
def test_other_picture_formats_are_refused(fmt):
    with pytest.raises(ValidationError) as error:
        validate_image(upload("photo.jpg", image_bytes(fmt, size=(200, 200))))
    assert codes(error.value) == ["unsupported_image"]
    assert messages(error.value) == "Upload a JPEG, PNG or WebP image."


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_animated_pictures_are_refused(fmt):
    frames = [Image.new("RGB", (200, 200), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, fmt, save_all=True, append_images=frames[1:], duration=100, loop=0)
    with pytest.raises(ValidationError) as error:
        validate_image(upload("anim", buffer.getvalue()))
    assert codes(error.value) == ["animated_image"]


def test_tiny_pictures_are_refused_with_their_size_in_the_message():
    with pytest.raises(ValidationError) as error:
        validate_image(upload("icon.png", image_bytes("PNG", size=(99, 300))))
    assert codes(error.value) == ["image_too_small"]
    assert "99 × 300" in messages(error.value)
    assert "100 × 100" in messages(error.value)
    ImageValidator(min_width=16, min_height=16)(upload("icon.png", image_bytes("PNG", (32, 32))))


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_image(upload("photo.jpg", b""))
    assert codes(error.value) == ["empty_file"]


@override_settings(MAX_UPLOAD_BYTES=2048)
def test_files_over_the_size_limit_are_refused_before_being_opened(monkeypatch):
    data = image_bytes("PNG", size=(200, 200), noise=True)
    assert len(data) > 2048
    monkeypatch.setattr(uploads.Image, "open", lambda *a, **k: pytest.fail("opened"))
    for validator in (validate_image, validate_document):
        with pytest.raises(ValidationError) as error:
            validator(upload("photo.png", data))
        assert codes(error.value) == ["file_too_big"]
        assert "2.0\xa0KB" in messages(error.value)


def test_the_size_limit_defaults_to_10_mb(settings):
    assert uploads.max_upload_bytes() == settings.MAX_UPLOAD_BYTES
    del settings.MAX_UPLOAD_BYTES
    assert uploads.max_upload_bytes() == 10 * 1024 * 1024


@pytest.mark.parametrize(
    "side",
    [
        7_000,  # 49 Mpx: over our limit, under Pillow's
        30_000,  # 900 Mpx: Pillow raises DecompressionBombError
    ],
)
def test_decompression_bombs_are_refused_without_being_decoded(side, monkeypatch):
    data = blank_png(side, side)
    assert len(data) < 1_000_000
    monkeypatch.setattr(Image.Image, "load", lambda self: pytest.fail("decoded"))
    for validator in (validate_image, validate_document):
        with pytest.raises(ValidationError) as error:
            validator(upload("bomb.png", data))
        assert codes(error.value) == ["too_many_pixels"]
        assert "40 megapixels" in messages(error.value)


def test_a_bomb_between_pillows_two_limits_is_refused_whether_its_warning_is_an_error_or_not():
    data = blank_png(10_000, 10_000)  # 100 Mpx: Pillow only warns (a RuntimeWarning)
    # As in the test settings (and `python -W error`): the warning is raised.
    with pytest.raises(ValidationError) as error:
        validate_image(upload("bomb.png", data))
    assert codes(error.value) == ["too_many_pixels"]
    # As in production: the warning is only shown, and our own limit refuses the file.
    with pytest.warns(Image.DecompressionBombWarning), pytest.raises(ValidationError) as error:
        validate_image(upload("bomb.png", data))
    assert codes(error.value) == ["too_many_pixels"]


def test_a_big_but_reasonable_picture_is_accepted():
    validate_image(upload("scan.png", blank_png(6_000, 4_000)))  # 24 Mpx


def test_validators_with_other_limits():
    big = upload("photo.jpg", image_bytes(size=(800, 600)))
    with pytest.raises(ValidationError):
        ImageValidator(min_width=1000)(big)
    with pytest.raises(ValidationError):
        ImageValidator(max_pixels=100_000)(big)
    with pytest.raises(ValidationError):
        ImageValidator(max_bytes=100)(big)
    ImageValidator(min_width=800, min_height=600, max_pixels=480_000)(big)


# --- Documents ------------------------------------------------------------------------------


@pytest.mark.parametrize("data", [minimal_pdf(), pillow_pdf()], ids=["handwritten-pdf", "scan-pdf"])
def test_real_pdfs_are_accepted(data):
    validate_document(upload("certificate.pdf", data))


def test_documents_may_be_pictures():
    validate_document(upload("certificate.jpg", image_bytes(size=(800, 1100))))
    validate_document(upload("certificate.png", image_bytes("PNG", size=(800, 1100))))


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
        b"  %PDF-1.4 (not at the start)",
        b"PK\x03\x04 a zip or an office document",
        image_bytes("GIF", size=(200, 200)),
    ],
    ids=["html", "header-not-first", "zip", "gif"],
)
def test_what_is_not_a_pdf_or_a_picture_is_refused_even_named_pdf(data):
    with pytest.raises(ValidationError) as error:
        validate_document(upload("certificate.pdf", data))
    assert codes(error.value) == ["unsupported_document"]
    assert messages(error.value) == "Upload a PDF document or a JPEG, PNG or WebP image."


def test_a_truncated_pdf_is_refused():
    data = pillow_pdf()
    with pytest.raises(ValidationError) as error:
        validate_document(upload("certificate.pdf", data[: len(data) // 2]))
    assert codes(error.value) == ["damaged_document"]
    assert "damaged or incomplete" in messages(error.value)


@pytest.mark.parametrize(
    "data",
    [
        minimal_pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >> "),
        minimal_pdf(b"/OpenAction << /S /Launch /F (cmd.exe) >> "),
        minimal_pdf(b"/Names << /EmbeddedFiles << /Names [] >> >> "),
        b"%PDF-1.4\n<html><script>alert(document.domain)</script></html>\n%%EOF\n",
    ],
    ids=["javascript", "launch", "embedded-file", "html-polyglot"],
)
def test_pdfs_with_active_content_are_refused(data):
    with pytest.raises(ValidationError) as error:
        validate_document(upload("certificate.pdf", data))
    assert codes(error.value) == ["active_document"]


def test_active_content_after_a_stream_that_never_ends_is_seen():
    data = minimal_pdf().replace(b"%%EOF", b"stream\n/JS (x)\n%%EOF")
    with pytest.raises(ValidationError) as error:
        validate_document(upload("certificate.pdf", data))
    assert codes(error.value) == ["active_document"]


def test_many_unterminated_streams_take_linear_time():
    data = b"%PDF-1.4\n" + b"stream\n" * 1_000_000 + b"%%EOF\n"
    started = time.monotonic()
    validate_document(upload("certificate.pdf", data))
    assert time.monotonic() - started < 5


def test_names_that_only_look_like_active_content_are_not_refused():
    validate_document(upload("c.pdf", minimal_pdf(b"/Fonts [/JS-Gothic /JSMincho] ")))


def test_a_corrupt_picture_given_as_document_is_refused():
    data = image_bytes("JPEG", size=(400, 300), noise=True)
    with pytest.raises(ValidationError) as error:
        validate_document(upload("certificate.jpg", data[: len(data) // 2]))
    assert codes(error.value) == ["damaged_image"]


# --- Names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filename", "head", "expected"),
    [
        (
            "Ảnh sản phẩm Rượu men lá Đồng Phúc.JPG",
            image_bytes(),
            r"anh-san-pham-ruou-men-la-dong-phuc",
        ),
        ("../../etc/passwd", None, r"passwd"),
        ("..\\..\\Windows\\win.ini", None, r"win"),
        ("/var/www/shell.php", None, r"shell"),
        ("shell.php.jpg", image_bytes("PNG"), r"shell-php"),
        (".htaccess", None, r"htaccess"),
        ("", None, r"file"),
        ("???.jpg", None, r"file"),
        ("ảnh", image_bytes("WEBP"), r"anh"),
    ],
)
def test_file_names_become_ascii_slugs_with_a_random_suffix(filename, head, expected):
    name = safe_filename(filename, head)
    assert re.fullmatch(SAFE_NAME, name), name
    assert name.rsplit("-", 1)[0] == expected


@pytest.mark.parametrize(
    ("filename", "head", "extension"),
    [
        ("photo.jpg", image_bytes("PNG"), "png"),  # the content decides, not the name
        ("photo.png", image_bytes("JPEG"), "jpg"),
        ("photo", image_bytes("WEBP"), "webp"),  # no extension at all
        ("certificate.jpg", minimal_pdf(), "pdf"),
        ("page.html", b"<html><script>alert(1)</script>", "bin"),
        ("drawing.svg", b"<svg onload=alert(1)>", "bin"),
        ("photo.JPEG", None, "jpg"),  # content not read: a harmless extension is kept...
        ("page.html", None, "bin"),  # ...any other becomes .bin
        ("passwd", None, "bin"),
    ],
)
def test_the_extension_comes_from_the_content(filename, head, extension):
    assert safe_filename(filename, head).endswith("." + extension)


def test_very_long_names_are_truncated():
    name = safe_filename("Đặc sản " * 80 + ".jpg", image_bytes())
    assert re.fullmatch(SAFE_NAME, name)
    assert len(safe_stem("a" * 500)) == 40
    assert len(name) <= 40 + 1 + 8 + 4


def test_two_uploads_of_the_same_name_get_different_names():
    assert safe_filename("photo.jpg") != safe_filename("photo.jpg")


# --- On model fields and forms --------------------------------------------------------------


@pytest.fixture
def photo_model():
    with isolate_apps("shop.cms"):

        class CoopPhoto(models.Model):
            image = models.ImageField(
                upload_to=safe_upload_to("cooperatives/photos"), validators=[validate_image]
            )
            scan = models.FileField(
                upload_to=safe_upload_to("/cooperatives/certificates/"),
                validators=[validate_document],
                blank=True,
            )

            class Meta:
                app_label = "cms"

            def __str__(self):
                return self.image.name

        yield CoopPhoto


def test_upload_to_names_the_stored_file_from_its_content(photo_model):
    item = photo_model(
        image=upload("Ảnh HTX Đồng Phúc.jpg", image_bytes("PNG")),
        scan=upload("../../giấy chứng nhận.png", minimal_pdf()),
    )
    photo_model._meta.get_field("image").pre_save(item, add=True)
    photo_model._meta.get_field("scan").pre_save(item, add=True)
    assert re.fullmatch(r"cooperatives/photos/anh-htx-dong-phuc-[0-9a-f]{8}\.png", item.image.name)
    assert re.fullmatch(
        r"cooperatives/certificates/giay-chung-nhan-[0-9a-f]{8}\.pdf", item.scan.name
    )
    with item.scan.open("rb") as stored:
        assert stored.read() == minimal_pdf()
    item.image.delete(save=False)
    item.scan.delete(save=False)


def test_upload_to_on_a_file_saved_by_code(photo_model):
    item = photo_model()
    item.image.save("Ảnh.jpeg", ContentFile(image_bytes()), save=False)
    assert re.fullmatch(r"cooperatives/photos/anh-[0-9a-f]{8}\.jpg", item.image.name)
    item.image.delete(save=False)


def test_model_validation_checks_new_files_only(photo_model):
    item = photo_model(image=upload("photo.jpg", b"not a picture"))
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert list(error.value.message_dict) == ["image"]
    item = photo_model(image=upload("photo.jpg", image_bytes()), scan=upload("c.pdf", b"<html>"))
    with pytest.raises(ValidationError) as error:
        item.full_clean()
    assert list(error.value.message_dict) == ["scan"]
    # A file already stored is not read again (it was checked when it came in).
    stored = photo_model(image="cooperatives/photos/gone-12345678.jpg")
    stored.full_clean()


def test_a_model_form_shows_the_reason(photo_model):
    form_class = forms.modelform_factory(photo_model, fields=["image", "scan"])
    gif = image_bytes("GIF", size=(200, 200))
    form = form_class(data={}, files={"image": upload("photo.gif", gif)})
    assert not form.is_valid()
    assert form.errors["image"] == ["Upload a JPEG, PNG or WebP image."]
    broken = image_bytes(size=(400, 300), noise=True)[:5000]  # Django's own check misses it
    form = form_class(data={}, files={"image": upload("photo.jpg", broken)})
    assert not form.is_valid()
    assert "damaged or incomplete" in form.errors["image"][0]
    form = form_class(
        data={},
        files={"image": upload("photo.jpg", image_bytes()), "scan": upload("c.pdf", b"<html>")},
    )
    assert form.errors["scan"] == ["Upload a PDF document or a JPEG, PNG or WebP image."]
    form = form_class(data={}, files={"image": upload("photo.jpg", image_bytes())})
    assert form.is_valid(), form.errors


def test_upload_to_and_validators_serialise_in_migrations():
    def field():
        return models.ImageField(
            upload_to=safe_upload_to("cooperatives/logos"),
            validators=[validate_image, ImageValidator(min_width=300), DocumentValidator()],
        )

    assert field().deconstruct() == field().deconstruct()  # no endless AlterField
    source, imports = MigrationWriter.serialize(field())
    assert "shop.uploads.SafeUploadTo('cooperatives/logos')" in source
    assert "shop.uploads.validate_image" in source
    assert "shop.uploads.ImageValidator(min_width=300)" in source
    assert "shop.uploads.DocumentValidator()" in source
    assert "import shop.uploads" in imports
    assert SafeUploadTo("a") != SafeUploadTo("b")


class ProductImageForm(forms.Form):
    """What a dashboard form does with `clean_image_upload` (see the module's doc)."""

    original = forms.ImageField(required=False)

    def clean_original(self):
        return clean_image_upload(self.cleaned_data.get("original"))


def test_clean_image_upload_checks_and_renames_a_new_upload():
    form = ProductImageForm(data={}, files={"original": upload("../Ảnh 1.jpg", image_bytes("PNG"))})
    assert form.is_valid(), form.errors
    assert re.fullmatch(r"anh-1-[0-9a-f]{8}\.png", form.cleaned_data["original"].name)

    form = ProductImageForm(
        data={}, files={"original": upload("a.png", image_bytes("PNG", (20, 20)))}
    )
    assert not form.is_valid()
    assert "too small" in form.errors["original"][0]

    assert ProductImageForm(data={}).is_valid()  # nothing uploaded: nothing to check
    assert clean_image_upload(False) is False  # "clear" ticked
    stored = object()
    assert clean_image_upload(stored) is stored


def test_clean_document_upload_takes_pdfs_and_pictures():
    pdf = clean_document_upload(upload("Giấy chứng nhận OCOP.pdf", pillow_pdf()))
    assert re.fullmatch(r"giay-chung-nhan-ocop-[0-9a-f]{8}\.pdf", pdf.name)
    with pytest.raises(ValidationError):
        clean_document_upload(upload("cert.pdf", b"<html></html>"))
