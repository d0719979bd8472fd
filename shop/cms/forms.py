"""The page editor's guard on what officers feature: only what their choosers offer.

The choosers show an officer only its own region's products and cooperatives, but a hand-made
POST could carry any id. Saving checks every chooser block with a `choosable(user)` scope (see
`catalog.blocks.ProductChooserBlock`, `cooperatives.blocks.CooperativeChooserBlock`) against it.
On the shared home page other regions' officers featured their own products: what the page
already holds stays, only what this user adds must be within its reach.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks import StreamBlockValidationError
from wagtail.fields import StreamField

OUT_OF_REACH = _(
    "You can only feature what your choosers offer: the products and cooperatives of your "
    "own region."
)


def chosen_by_block(block, value, found: dict) -> dict:
    """{id(block): (scoped chooser block, {chosen ids})} for every scoped chooser inside a
    block's value (blocks compare by definition, so they are keyed by identity)."""
    if value is None:
        return found
    if isinstance(block, blocks.ChooserBlock) and hasattr(block, "choosable"):
        found.setdefault(id(block), (block, set()))[1].add(value.pk)
    elif isinstance(block, blocks.StreamBlock):
        for child in value:
            chosen_by_block(child.block, child.value, found)
    elif isinstance(block, blocks.ListBlock):
        for item in value:
            chosen_by_block(block.child_block, item, found)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            chosen_by_block(child_block, value.get(name), found)
    return found


class ScopedChoicesPageForm(WagtailAdminPageForm):
    def clean(self):
        cleaned_data = super().clean()
        user = self.for_user
        if user is None or user.is_superuser:
            return cleaned_data
        for field in self.instance._meta.get_fields():
            if not isinstance(field, StreamField) or field.name not in cleaned_data:
                continue
            before = chosen_by_block(field.stream_block, getattr(self.instance, field.name), {})
            after = chosen_by_block(field.stream_block, cleaned_data[field.name], {})
            for key, (block, ids) in after.items():
                added = ids - before.get(key, (block, set()))[1]
                allowed = block.choosable(user).filter(pk__in=added).values_list("pk", flat=True)
                if added - set(allowed):
                    self.add_error(
                        field.name, StreamBlockValidationError(non_block_errors=[OUT_OF_REACH])
                    )
                    break
        return cleaned_data
