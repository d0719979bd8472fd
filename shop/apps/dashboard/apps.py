"""Oscar's dashboard, forked to give cooperative owners their own back office.

Platform staff keep Oscar's whole dashboard. A cooperative's owner and staff (partner users with
`partner.dashboard_access`, never `is_staff`) get a home panel of their own (`views.IndexView`),
their products and their order lines only (the `catalogue` and `orders` forks), and pages
of their own: the cooperative's profile, its OCOP certificates, its team and its parcels, and for
the owner the statement of what the cooperative is owed and was paid.
"""

import oscar.apps.dashboard.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class DashboardConfig(apps.DashboardConfig):
    name = "shop.apps.dashboard"

    def configure_permissions(self):
        super().configure_permissions()
        DashboardPermission = get_class("dashboard.permissions", "DashboardPermission")
        # Every page of a cooperative's own: its views then find the user's cooperative (404
        # when there is none) and check the owner where only the owner may act.
        cooperative_pages = (DashboardPermission.partner_dashboard_access,)
        for name in self.cooperative_url_names:
            self.permissions_map[name] = cooperative_pages

    def ready(self):
        super().ready()
        from catalog.dashboard import views as certificate_views
        from cooperatives.dashboard import shipments, statement
        from cooperatives.dashboard import views as cooperative_views

        self.cooperative_views = cooperative_views
        self.certificate_views = certificate_views
        self.statement_view = statement.StatementView
        self.shipment_views = shipments

    cooperative_url_names = (
        "cooperative-profile",
        "cooperative-team",
        "cooperative-team-remove",
        "cooperative-statement",
        "shipment-list",
        "shipment-detail",
        "shipment-label",
        "shipment-handover",
        "shipment-retry",
        "certificate-list",
        "certificate-create",
        "certificate-update",
        "certificate-delete",
    )

    def get_urls(self):
        coop, cert, ship = self.cooperative_views, self.certificate_views, self.shipment_views
        urls = [
            path("cooperative/", coop.ProfileView.as_view(), name="cooperative-profile"),
            path("cooperative/team/", coop.TeamView.as_view(), name="cooperative-team"),
            path(
                "cooperative/team/<int:pk>/remove/",
                coop.RemoveMemberView.as_view(),
                name="cooperative-team-remove",
            ),
            path(
                "cooperative/statement/",
                self.statement_view.as_view(),
                name="cooperative-statement",
            ),
            path("shipments/", ship.ShipmentListView.as_view(), name="shipment-list"),
            path("shipments/<int:pk>/", ship.ShipmentDetailView.as_view(), name="shipment-detail"),
            path(
                "shipments/<int:pk>/label/", ship.ShipmentLabelView.as_view(), name="shipment-label"
            ),
            path(
                "shipments/<int:pk>/handed-over/",
                ship.HandedOverView.as_view(),
                name="shipment-handover",
            ),
            path(
                "shipments/<int:pk>/retry/", ship.RetryBookingView.as_view(), name="shipment-retry"
            ),
            path("certificates/", cert.CertificateListView.as_view(), name="certificate-list"),
            path(
                "certificates/new/",
                cert.CertificateCreateView.as_view(),
                name="certificate-create",
            ),
            path(
                "certificates/<int:pk>/",
                cert.CertificateUpdateView.as_view(),
                name="certificate-update",
            ),
            path(
                "certificates/<int:pk>/delete/",
                cert.CertificateDeleteView.as_view(),
                name="certificate-delete",
            ),
        ]
        return super().get_urls() + self.post_process_urls(urls)
