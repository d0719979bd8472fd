import oscar.apps.dashboard.catalogue.apps as apps


class CatalogueDashboardConfig(apps.CatalogueDashboardConfig):
    """Oscar's product pages with safer forms for cooperative owners (see `forms`, `formsets`).

    Oscar already limits a partner user to the products stocked by their own partner and keeps
    product types, categories, options and stock alerts for staff.
    """

    name = "shop.apps.dashboard.catalogue"
