"""What a product page and a traceability page say about a product, from its attributes.

The attributes come from its class (`catalog.product_classes`): origin, the label facts (weight,
package, shelf life, ingredients, storage, conformity declaration...) and, for alcoholic drinks,
the block Decree 85/2021 asks for (ABV, volume, licence numbers, stamp).
"""

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import formats
from oscar.apps.catalogue.models import ProductAttributeValue

from catalog.product_classes import ABV

ORIGIN = "origin"
ALCOHOL = (ABV, "volume_ml", "production_licence", "retail_licence", "alcohol_stamp")


@dataclass(frozen=True)
class Fact:
    code: str
    name: str
    value: object
    is_html: bool = False


@dataclass
class ProductFacts:
    origin: str = ""
    facts: list[Fact] = field(default_factory=list)
    alcohol: list[Fact] = field(default_factory=list)

    def get(self, code: str):
        return next((fact for fact in (*self.facts, *self.alcohol) if fact.code == code), None)


def display(value) -> tuple[object, bool]:
    """The value as the page shows it, and whether it is (untrusted) HTML to sanitise."""
    kind = value.attribute.type
    raw = value.value
    if raw is None or raw == "":
        return None, False
    if kind == "richtext":
        return raw, True
    if kind == "float":
        number = float(raw)
        return (
            str(int(number)) if number.is_integer() else formats.number_format(number, 2),
            False,
        )
    if kind == "integer":
        return str(raw), False
    if kind == "date":
        return formats.date_format(raw, "d/m/Y"), False
    if kind == "datetime":
        return formats.date_format(raw, "d/m/Y H:i"), False
    try:
        return value.value_as_text, False
    except Exception:  # an option or entity that vanished: show nothing rather than fail
        return None, False


def for_product(product) -> ProductFacts:
    """One query; a variant shows its parent's values where it has none of its own."""
    owners = [product.pk] + ([product.parent_id] if product.parent_id else [])
    values = (
        ProductAttributeValue.objects.filter(Q(product_id__in=owners))
        .select_related("attribute", "value_option")
        .order_by("attribute__pk")
    )
    chosen = {}
    for value in values:
        code = value.attribute.code
        if code not in chosen or value.product_id == product.pk:
            chosen[code] = value
    result = ProductFacts()
    for code, value in chosen.items():
        shown, is_html = display(value)
        if shown is None:
            continue
        if code == ORIGIN:
            result.origin = str(shown)
            continue
        fact = Fact(code=code, name=value.attribute.name, value=shown, is_html=is_html)
        (result.alcohol if code in ALCOHOL else result.facts).append(fact)
    result.alcohol.sort(key=lambda fact: ALCOHOL.index(fact.code))
    return result
