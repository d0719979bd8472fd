"""Cooperatives in the Wagtail admin: commerce officers and platform staff onboard them here.

Who may do what follows the model permissions (`cooperatives.add/change/view_cooperative`),
which the "Commerce officers" group gets from `cooperatives.roles`; superusers have them all.
Owners never reach this admin (they have no `wagtailadmin.access_admin`). Officers see only the
cooperatives of their regions (`cooperatives.regions`); regions are for superusers only.
"""

import django_filters
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.sidebar import LinkMenuItem as LinkMenuItemComponent
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permissions import register_permission_policy

from shop.addresses import units

from . import regions
from .admin_forms import CooperativeAdminForm
from .admin_views import (
    CooperativeCreateView,
    CooperativeEditView,
    CooperativeHistoryView,
    CooperativeIndexView,
    CooperativeInviteView,
    CooperativeUsageView,
)
from .models import Cooperative, Region
from .region_admin import SuperusersOnlyPolicy, region_viewset

# Before any viewset asks for Region's policy (Wagtail would otherwise make a model one).
register_permission_policy(Region, SuperusersOnlyPolicy(Region))


def _used_communes(user=None) -> list[str]:
    cooperatives = regions.cooperatives_for(user) if user else Cooperative.objects.all()
    return list(cooperatives.values_list("commune_code", flat=True).distinct())


def province_choices(user=None):
    """The provinces that have cooperatives (the user's may see), not all 34."""
    used = {unit for code in _used_communes(user) if (unit := units.province_of(code))}
    return [(unit.code, unit.name) for unit in units.provinces() if unit in used]


def commune_choices(user=None):
    used = {unit for code in _used_communes(user) if (unit := units.commune(code))}
    return sorted(((unit.code, unit.name) for unit in used), key=lambda choice: choice[1])


class CooperativeFilterSet(WagtailFilterSet):
    province = django_filters.ChoiceFilter(
        label=_("Province / city"), choices=province_choices, method="filter_province"
    )
    commune_code = django_filters.ChoiceFilter(label=_("Commune / ward"), choices=commune_choices)
    is_verified = django_filters.BooleanFilter(label=_("Verified"))
    is_active = django_filters.BooleanFilter(label=_("Active"))

    class Meta:
        model = Cooperative
        fields = ["province", "commune_code", "is_verified", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is not None:
            # An officer picks among its own region's places only.
            self.filters["province"].extra["choices"] = province_choices(user)
            self.filters["commune_code"].extra["choices"] = commune_choices(user)

    def filter_province(self, queryset, name, value):
        return queryset.filter(commune_code__in=[unit.code for unit in units.communes(value)])


class CooperativeViewSet(ModelViewSet):
    model = Cooperative
    url_prefix = "cooperatives"
    icon = "group"
    menu_label = _("Cooperatives")
    menu_order = 210
    add_to_admin_menu = True
    copy_view_enabled = False
    index_view_class = CooperativeIndexView
    add_view_class = CooperativeCreateView
    edit_view_class = CooperativeEditView
    history_view_class = CooperativeHistoryView
    usage_view_class = CooperativeUsageView
    search_fields = ["legal_name", "short_name", "registration_number", "email"]
    filterset_class = CooperativeFilterSet
    ordering = ["legal_name"]
    list_per_page = 50
    list_display = [
        "legal_name",
        "short_name",
        Column("place", label=_("Commune / ward"), accessor="place"),
        Column(
            "owner", label=_("Owner"), accessor=lambda item: item.owner.email if item.owner else ""
        ),
        BooleanColumn("is_verified", label=_("Verified")),
        BooleanColumn("is_active", label=_("Active")),
    ]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [
                    FieldPanel("legal_name"),
                    FieldPanel("short_name"),
                    FieldRowPanel([FieldPanel("legal_form"), FieldPanel("registration_number")]),
                    FieldPanel("slug"),
                ],
                heading=_("Name and papers"),
            ),
            MultiFieldPanel(
                [FieldPanel("owner_email"), FieldPanel("owner")],
                heading=_("Owner"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("province"),
                    FieldPanel("commune_code"),
                    FieldPanel("street_address"),
                    FieldPanel("former_locality"),
                ],
                heading=_("Where it is"),
            ),
            MultiFieldPanel(
                [FieldRowPanel([FieldPanel("phone_number"), FieldPanel("email")])],
                heading=_("Contact"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("bank_bin"),
                    FieldRowPanel(
                        [FieldPanel("bank_account_number"), FieldPanel("bank_account_holder")]
                    ),
                ],
                heading=_("Payout bank account"),
            ),
            MultiFieldPanel([FieldPanel("logo"), FieldPanel("story")], heading=_("Profile")),
            MultiFieldPanel(
                [FieldPanel("is_verified"), FieldPanel("is_active")], heading=_("Status")
            ),
        ],
        base_form_class=CooperativeAdminForm,
    )

    def get_edit_view_kwargs(self, **kwargs):
        return super().get_edit_view_kwargs(invite_url_name=self.get_url_name("invite"), **kwargs)

    @property
    def invite_view(self):
        return self.construct_view(
            CooperativeInviteView,
            index_url_name=self.get_url_name("index"),
            edit_url_name=self.get_url_name("edit"),
        )

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("invite/<int:pk>/", self.invite_view, name="invite"),
        ]


cooperative_viewset = CooperativeViewSet()


@hooks.register("register_admin_viewset")
def register_cooperative_viewset():
    return cooperative_viewset


from . import report_hooks  # noqa: E402, F401


@hooks.register("register_admin_viewset")
def register_region_viewset():
    return region_viewset


@hooks.register("register_admin_viewset")
def register_cooperative_chooser():
    from .choosers import cooperative_chooser_viewset

    return cooperative_chooser_viewset


class FrontPageMenuItem(MenuItem):
    """Officers curate the home page, which sits above their region in the page tree."""

    def is_shown(self, request):
        return regions.is_region_officer(request.user) and self.front_page() is not None

    @staticmethod
    def front_page():
        from shop.cms.models import HomePage

        return HomePage.objects.only("pk").first()

    def render_component(self, request):
        return LinkMenuItemComponent(
            self.name,
            self.label,
            reverse("wagtailadmin_pages:edit", args=(self.front_page().pk,)),
            icon_name=self.icon_name,
        )


@hooks.register("register_admin_menu_item")
def register_front_page_menu_item():
    return FrontPageMenuItem(_("Home page"), "", name="front-page", icon_name="home", order=150)
