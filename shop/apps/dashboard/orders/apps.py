import oscar.apps.dashboard.orders.apps as apps


class OrdersDashboardConfig(apps.OrdersDashboardConfig):
    """Oscar's order pages; cooperative owners see only their own lines (see `views`).

    Statistics (whole-order totals), order notes and editing the delivery address stay with
    platform staff.
    """

    name = "shop.apps.dashboard.orders"

    def configure_permissions(self):
        super().configure_permissions()
        for staff_only in ("order-stats", "order-detail-note", "order-shipping-address"):
            staff_permissions, _partner_access = self.permissions_map[staff_only]
            self.permissions_map[staff_only] = staff_permissions
