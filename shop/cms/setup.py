from wagtail.models import Page, Site

from .models import HomePage


def install_home_page(title: str, hero_title: str, hero_text: str = "") -> HomePage:
    """Put a HomePage at the root of the default site (once; later calls return it)."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        # Wagtail's first migration leaves a placeholder "Welcome" page where ours goes.
        for placeholder in root.get_children().filter(slug="home"):
            placeholder.delete()
        home = root.add_child(
            instance=HomePage(title=title, slug="home", hero_title=hero_title, hero_text=hero_text)
        )
    Site.objects.update_or_create(
        is_default_site=True,
        defaults={"hostname": "localhost", "port": 80, "root_page": home, "site_name": title},
    )
    return home
