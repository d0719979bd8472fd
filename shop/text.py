"""Text helpers for Vietnamese."""

import re

from django.utils.text import slugify as django_slugify

# "đ" has no Unicode decomposition, so plain slugify would drop it ("Đồn" -> "on").
_VIETNAMESE_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def slugify(value: str, allow_unicode: bool = False) -> str:
    """ASCII slug of a Vietnamese text: "Rượu men lá Đồng Phúc" -> "ruou-men-la-dong-phuc".

    Also Oscar's OSCAR_SLUG_FUNCTION, hence `allow_unicode` (always off: URLs stay ASCII).
    """
    return django_slugify(str(value).translate(_VIETNAMESE_LETTERS))


# Punctuation separates words ("Chè/trà" is two words); apostrophes join them ("H'Mông").
_SEPARATORS = re.compile(r"[^\w\s'’]|_")


def fold(value: str) -> str:
    """Lower-case words without diacritics, one space apart: what shoppers type without accents.

    "Rượu men lá (Đồng Phúc)" -> "ruou men la dong phuc". Search folds both the catalogue and
    the query with this one function, so typing with or without diacritics finds the same.
    Anything with no ASCII form (emoji, other scripts) is dropped.
    """
    return slugify(_SEPARATORS.sub(" ", str(value))).replace("-", " ")
