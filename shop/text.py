"""Text helpers for Vietnamese."""

from django.utils.text import slugify as django_slugify

# "đ" has no Unicode decomposition, so plain slugify would drop it ("Đồn" -> "on").
_VIETNAMESE_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def slugify(value: str, allow_unicode: bool = False) -> str:
    """ASCII slug of a Vietnamese text: "Rượu men lá Đồng Phúc" -> "ruou-men-la-dong-phuc".

    Also Oscar's OSCAR_SLUG_FUNCTION, hence `allow_unicode` (always off: URLs stay ASCII).
    """
    return django_slugify(str(value).translate(_VIETNAMESE_LETTERS))


def fold(value: str) -> str:
    """Lower-case text without diacritics, for matching what shoppers type without accents."""
    return slugify(value).replace("-", " ")
