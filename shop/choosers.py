"""One shape for the Wagtail choosers of our blocks (products, product groups, cooperatives).

Each chooser offers only what `choosable(user)` returns, in every step, the "chosen" step
included: a hand-made URL cannot slip another region's product or cooperative into a block.
Its search box matches what `matching(query)` says.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.views.generic.chooser import (
    ChooseResultsView,
    ChooseView,
    ChosenMultipleView,
    ChosenView,
)
from wagtail.admin.viewsets.chooser import ChooserViewSet


class SearchForm(BaseFilterForm):
    """The search box of a chooser; the viewset's `matching` says what a query matches."""

    placeholder = _("Search")
    q = forms.CharField(label=_("Search term"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["q"].widget.attrs["placeholder"] = self.placeholder

    def filter(self, objects):
        query = self.cleaned_data.get("q", "").strip()
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        return objects.filter(self.matching(query))

    @staticmethod
    def matching(query) -> Q:
        return Q(pk__in=[])


class ScopedListMixin:
    choosable = None
    title_accessor = None
    extra_columns: tuple = ()

    def get_object_list(self):
        return self.choosable(self.request.user)

    @property
    def columns(self):
        title = self.title_column
        if self.title_accessor is not None:
            title.accessor = self.title_accessor
        return [title, *self.extra_columns]


class ScopedChooseView(ScopedListMixin, ChooseView):
    pass


class ScopedChooseResultsView(ScopedListMixin, ChooseResultsView):
    pass


class ScopedChosenView(ChosenView):
    choosable = None

    def get_object(self, pk):
        return self.choosable(self.request.user).get(pk=pk)


class ScopedChosenMultipleView(ChosenMultipleView):
    choosable = None

    def get_objects(self, pks):
        return self.choosable(self.request.user).filter(pk__in=pks)


class ScopedChooserViewSet(ChooserViewSet):
    """Subclasses set `model`, the texts, and may override `choosable`, `matching`,
    `search_placeholder`, `title_accessor` and `extra_columns`."""

    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView
    search_placeholder = _("Search")
    title_accessor = None
    extra_columns: tuple = ()
    per_page = 20

    def choosable(self, user):
        return self.model_class._default_manager.all()

    @staticmethod
    def matching(query) -> Q:
        return Q(pk__in=[])

    def search_form_class(self):
        return type(
            "SearchForm",
            (SearchForm,),
            {"placeholder": self.search_placeholder, "matching": staticmethod(self.matching)},
        )

    def construct_view(self, view_class, **kwargs):
        if issubclass(view_class, ScopedListMixin):
            kwargs = {
                "choosable": self.choosable,
                "title_accessor": self.title_accessor,
                "extra_columns": self.extra_columns,
                "filter_form_class": self.search_form_class(),
                **kwargs,
            }
        elif issubclass(view_class, (ScopedChosenView, ScopedChosenMultipleView)):
            kwargs = {"choosable": self.choosable, **kwargs}
        return super().construct_view(view_class, **kwargs)
