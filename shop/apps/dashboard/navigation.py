"""The dashboard menu (`OSCAR_DASHBOARD_NAVIGATION`): Oscar's, plus the cooperative's own pages.

Oscar shows each entry only to users who may open its page, so a cooperative's owner and staff
see: the home panel, their products, their orders, and their cooperative's profile,
certificates, team and parcels; the owner also sees the statement. Imported by the settings:
nothing here touches models at import time.
"""

from django.utils.translation import gettext_lazy as _


def cooperative_access(user, url_name, url_args=None, url_kwargs=None):
    """The default permission check, and a cooperative to show (superusers may have none)."""
    from oscar.apps.dashboard.nav import default_access_fn

    from cooperatives.access import cooperative_of

    return default_access_fn(user, url_name, url_args, url_kwargs) and (
        cooperative_of(user) is not None
    )


def cooperative_owner_access(user, url_name, url_args=None, url_kwargs=None):
    """As `cooperative_access`, for the owner only (the statement is about the money)."""
    from cooperatives.access import is_owner

    return cooperative_access(user, url_name, url_args, url_kwargs) and is_owner(user)


def _items(*entries):
    return [{"label": label, "url_name": f"dashboard:{name}"} for label, name in entries]


NAVIGATION = [
    {"label": _("Dashboard"), "icon": "fas fa-list", "url_name": "dashboard:index"},
    {
        "label": _("Catalogue"),
        "icon": "fas fa-sitemap",
        "children": _items(
            (_("Products"), "catalogue-product-list"),
            (_("Product Types"), "catalogue-class-list"),
            (_("Categories"), "catalogue-category-list"),
            (_("Ranges"), "range-list"),
            (_("Low stock alerts"), "stock-alert-list"),
            (_("Options"), "catalogue-option-list"),
            (_("Attribute Option Groups"), "catalogue-attribute-option-group-list"),
        ),
    },
    {
        "label": _("Sales"),
        "icon": "fas fa-shopping-cart",
        "children": _items(
            (_("Customer orders"), "order-list"),
            (_("Statistics"), "order-stats"),
            (_("Partners"), "partner-list"),
        ),
    },
    {
        "label": _("Customers"),
        "icon": "fas fa-users",
        "children": _items(
            (_("Customers"), "users-index"),
            (_("Stock alert requests"), "user-alert-list"),
        ),
    },
    {
        "label": _("Offers"),
        "icon": "fas fa-bullhorn",
        "children": _items(
            (_("Offers"), "offer-list"),
            (_("Vouchers"), "voucher-list"),
            (_("Voucher Sets"), "voucher-set-list"),
        ),
    },
    {
        "label": _("Content"),
        "icon": "fas fa-folder",
        "children": _items(
            (_("Pages"), "page-list"),
            (_("Email templates"), "comms-list"),
            (_("Reviews"), "reviews-list"),
        ),
    },
    {"label": _("Reports"), "icon": "fas fa-chart-bar", "url_name": "dashboard:reports-index"},
    {
        "label": _("Your cooperative"),
        "icon": "fas fa-store",
        "access_fn": cooperative_access,
        "children": [
            {**item, "access_fn": cooperative_access}
            for item in _items(
                (_("Profile"), "cooperative-profile"),
                (_("OCOP certificates"), "certificate-list"),
                (_("Team"), "cooperative-team"),
                (_("Shipments"), "shipment-list"),
            )
        ]
        + [
            {
                "label": _("Statement"),
                "url_name": "dashboard:cooperative-statement",
                "access_fn": cooperative_owner_access,
            }
        ],
    },
]
