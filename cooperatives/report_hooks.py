"""The "Region reports" screen in the Wagtail admin: its URL and a menu item for who may use it."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from cooperatives import report_views


class ReportsMenuItem(MenuItem):
    def is_shown(self, request):
        return report_views.can_read_reports(request.user)


@hooks.register("register_admin_urls")
def register_report_urls():
    urls = include((report_views.urlpatterns, "region_reports"), namespace="region_reports")
    return [path("region-reports/", urls)]


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return ReportsMenuItem(
        _("Region reports"), reverse_lazy("region_reports:index"), icon_name="bars", order=430
    )
