"""Traceability codes printed under the QR on each package: the product id plus a check digit.

The code is derived, not stored, so it never changes and every product has one from the start.
The Luhn check digit turns a mistyped code into "not found" instead of another product's page.
"""

from django.conf import settings
from django.urls import reverse

MIN_DIGITS = 6


def _luhn_digit(number: str) -> str:
    total = 0
    for position, char in enumerate(reversed(number)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def code_for(product_id: int) -> str:
    number = f"{product_id:0{MIN_DIGITS}d}"
    return number + _luhn_digit(number)


def product_id_for(code: str) -> int | None:
    """The product id a code names, or None when it is malformed or its check digit is wrong."""
    code = code.strip()
    if not code.isascii() or not code.isdigit() or len(code) < MIN_DIGITS + 1 or len(code) > 19:
        return None
    number, check = code[:-1], code[-1]
    if _luhn_digit(number) != check:
        return None
    return int(number)


def path_for(product_id: int) -> str:
    return reverse("trace", kwargs={"code": code_for(product_id)})


def url_for(product_id: int) -> str:
    """The absolute address a label's QR code holds."""
    return settings.SITE_URL.rstrip("/") + path_for(product_id)
