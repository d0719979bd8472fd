"""Wagtail admin screens over records nobody edits by hand (payments, parcels, courier events)."""

from django.contrib.auth.models import Permission
from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.admin_url_finder import ModelAdminURLFinder


class ReadOnlyViewSetMixin:
    """Lists and detail pages only: nothing is added, edited or deleted as a form.

    `detail_url` names the view a row links to (Wagtail's "inspect", or the screen's own).
    """

    copy_view_enabled = False
    detail_url = "inspect"

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(
            **{
                "add_url_name": None,
                "edit_url_name": None,
                "delete_url_name": None,
                "history_url_name": None,
                "usage_url_name": None,
                "inspect_url_name": self.get_url_name(self.detail_url),
                **kwargs,
            }
        )

    def get_permissions_to_register(self):
        return Permission.objects.none()

    def list_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]

    def get_urlpatterns(self):
        """The list and Wagtail's detail page; screens with their own pages replace the latter."""
        return self.list_urlpatterns() + [path("<int:pk>/", self.inspect_view, name="inspect")]

    @cached_property
    def url_finder_class(self):
        return type(
            "_ReadOnlyURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name(self.detail_url)},
        )
