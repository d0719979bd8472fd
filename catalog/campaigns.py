"""Which products a campaign shows: its hand-picked products and rule results, in the order the
editor put the blocks, each product once.

Only what a shopper may buy and the law allows to promote is shown: browsable products of active
cooperatives (`queries.browsable_products`), no drink of 15 % ABV or more (`promotion`), and no
alcoholic drink for a visitor who has not confirmed being 18 (`age_gate`). Ids are read from the
stored JSON, so a deleted product or cooperative simply drops out. The cost is one query per
rule plus a fixed number for the product cards, however many products there are.
"""

from django.db.models import Exists, Min, OuterRef
from django.db.models.functions import Coalesce
from oscar.apps.catalogue.models import Category, Product

from . import promotion, queries
from .models import OcopCertificate
from .selection_blocks import CRITERIA, MAX_RULE_PRODUCTS


def _as_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _hand_picked_ids(items) -> list[int]:
    """Product ids of a stored ListBlock, old (bare ids) and new ({"value": id}) formats alike."""
    ids = []
    for item in items or []:
        value = item.get("value") if isinstance(item, dict) else item
        number = _as_int(value)
        if number is not None:
            ids.append(number)
    return ids


def rule_products(rule: dict, base):
    """The products a "by rule" block selects from `base`, in its order and up to its limit."""
    if not any(rule.get(name) for name in CRITERIA):
        return base.none()  # the editor refuses such a rule (ProductRuleBlock.clean)
    products = base
    category_id = _as_int(rule.get("category"))
    if rule.get("category"):
        path = Category.objects.filter(pk=category_id).values_list("path", flat=True).first()
        if path is None:
            return base.none()
        subtree = Category.objects.filter(path__startswith=path).values("pk")
        products = products.filter(
            pk__in=Product.objects.filter(categories__in=subtree).values("pk")
        )
    stars = _as_int(rule.get("minimum_stars"))
    if stars:
        products = products.filter(
            Exists(
                OcopCertificate.objects.in_force().filter(products=OuterRef("pk"), stars__gte=stars)
            )
        )
    if rule.get("commune"):
        products = products.filter(
            queries.sold_by_active_cooperative(commune_code=str(rule["commune"]))
        )
    if rule.get("cooperative"):
        cooperative_id = _as_int(rule["cooperative"])
        if cooperative_id is None:
            return base.none()
        products = products.filter(queries.sold_by_active_cooperative(pk=cooperative_id))
    if rule.get("ordering") == "price":
        products = products.annotate(
            lowest_price=Coalesce(Min("stockrecords__price"), Min("children__stockrecords__price"))
        ).order_by("lowest_price", "-pk")
    else:
        products = products.order_by("-date_created", "-pk")
    limit = min(max(_as_int(rule.get("max_products")) or 1, 1), MAX_RULE_PRODUCTS)
    return products[:limit]


def selected_ids(selection, base) -> list[int]:
    """The ids chosen by every block of a campaign's selection, in order, each once."""
    ordered: dict[int, None] = {}
    for block in selection.raw_data:
        if block.get("type") == "hand_picked":
            ids = _hand_picked_ids(block.get("value"))
        elif block.get("type") == "by_rule" and isinstance(block.get("value"), dict):
            ids = list(rule_products(block["value"], base).values_list("pk", flat=True))
        else:
            continue
        ordered.update(dict.fromkeys(ids))
    return list(ordered)


def products_for(campaign, request) -> list:
    """The products a campaign shows this visitor, with card data loaded."""
    base = promotion.shown_products(request)
    ids = selected_ids(campaign.selection, base)
    if not ids:
        return []
    found = {product.pk: product for product in base.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]
