"""The products of a campaign: chosen by hand, or by a rule (category, stars, commune,
cooperative) that keeps the list up to date as cooperatives add products.

The blocks store ids only; `catalog.campaigns` turns them into products in a constant number of
queries. Anything stored that no longer exists (a deleted product, category or cooperative) is
skipped on the page, and the editor says what to fix when the campaign is saved again. The
choosers (`ProductChooserBlock`, `CategoryChooserBlock`, `CooperativeChooserBlock`) are those
of the featured blocks: the same region scoping, the same refusal of strong drinks.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from cooperatives.blocks import CooperativeChooserBlock

from .blocks import CategoryChooserBlock, ProductChooserBlock

MAX_RULE_PRODUCTS = 48
DEFAULT_RULE_PRODUCTS = 12
CRITERIA = ("category", "minimum_stars", "commune", "cooperative")


class CommuneChoiceBlock(blocks.ChoiceBlock):
    """A commune that has an active cooperative; one stored that has none left is named."""

    missing_message = _("No active cooperative is left in this commune: choose another one.")

    def get_field(self, **kwargs):
        return forms.ChoiceField(error_messages={"invalid_choice": self.missing_message}, **kwargs)


def commune_choices():
    from cooperatives.models import Cooperative
    from shop.addresses import units

    codes = Cooperative.objects.filter(is_active=True).values_list("commune_code", flat=True)
    return sorted(
        ((code, units.place_name(code) or code) for code in set(codes)),
        key=lambda choice: choice[1],
    )


class ProductRuleBlock(blocks.StructBlock):
    no_criterion_message = _(
        "Choose at least one criterion: a category, stars, a commune or a cooperative. A "
        "cooperative or category chosen earlier may have been deleted."
    )

    category = CategoryChooserBlock(
        required=False, label=_("Category"), help_text=_("With its subcategories.")
    )
    minimum_stars = blocks.ChoiceBlock(
        choices=[("3", _("3 stars or more")), ("4", _("4 stars or more")), ("5", _("5 stars"))],
        required=False,
        label=_("OCOP stars"),
        help_text=_("Only products with a verified certificate in force."),
    )
    commune = CommuneChoiceBlock(choices=commune_choices, required=False, label=_("Commune"))
    cooperative = CooperativeChooserBlock(required=False, label=_("Cooperative"))
    max_products = blocks.IntegerBlock(
        min_value=1,
        max_value=MAX_RULE_PRODUCTS,
        default=DEFAULT_RULE_PRODUCTS,
        label=_("At most"),
        help_text=_("How many products this rule adds (1 to 48)."),
    )
    ordering = blocks.ChoiceBlock(
        choices=[("newest", _("Newest first")), ("price", _("Cheapest first"))],
        default="newest",
        label=_("Order"),
    )

    class Meta:
        icon = "list-ul"
        label = _("Products by rule")
        description = _(
            "Products that match every criterion chosen, kept up to date as cooperatives add "
            "products."
        )

    def clean(self, value):
        """A rule needs a criterion: a whole-catalogue rule is never meant, and one whose only
        criterion was deleted (a cooperative, a category) must not widen to every product."""
        value = super().clean(value)
        if not any(value.get(name) for name in CRITERIA):
            raise StructBlockValidationError(
                non_block_errors=[ValidationError(self.no_criterion_message)]
            )
        return value


class SelectionBlock(blocks.StreamBlock):
    hand_picked = blocks.ListBlock(
        ProductChooserBlock(label=_("Product")),
        label=_("Products chosen by hand"),
        description=_("Products you choose one by one, shown in this order."),
        icon="pick",
    )
    by_rule = ProductRuleBlock()

    class Meta:
        # Each block costs one query when the page renders: keep it bounded.
        max_num = 6
