"""Small pieces the StreamField blocks of several apps share (no imports of our apps, so that
`shop.cms.blocks`, `catalog.blocks` and `cooperatives.blocks` can all use them)."""

from types import SimpleNamespace

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import cached_property
from oscar.apps.partner.strategy import Selector


class MissingChoiceMessage:
    """For chooser blocks, which store an id: what it pointed to may be deleted later, and the
    editor then finds an empty chooser. Saying why beats "This field is required"."""

    missing_message = ""

    @cached_property
    def field(self):
        field = super().field
        field.error_messages["required"] = self.missing_message
        field.error_messages["invalid_choice"] = self.missing_message
        return field


def shopper_request(request):
    """A request Oscar's product card can ask for prices and stock (`request.strategy`).

    Pages always pass one; a block rendered on its own (an editor's preview outside a request,
    a test) gets the shop's default strategy and counts as a visitor who has not passed the
    age gate.
    """
    if getattr(request, "strategy", None) is not None:
        return request
    return SimpleNamespace(strategy=Selector().strategy(), session=None, user=AnonymousUser())
