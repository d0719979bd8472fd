"""The "Payouts" screens in the Wagtail admin: its URLs and a menu item for who may use them."""

from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from payments import payout_views


class PayoutsMenuItem(MenuItem):
    def is_shown(self, request):
        return payout_views.can_manage_payouts(request.user)


@hooks.register("register_admin_urls")
def register_payout_urls():
    return [path("payouts/", include((payout_views.urlpatterns, "payouts"), namespace="payouts"))]


@hooks.register("register_admin_menu_item")
def register_payouts_menu_item():
    return PayoutsMenuItem(
        _("Payouts"), reverse_lazy("payouts:index"), icon_name="clipboard-list", order=420
    )
