"""/sitemap.xml (an index of the sections), /sitemap-<section>.xml and /robots.txt."""

from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import views as wagtail_sitemap_views

from .sharing import absolute_url
from .sitemaps import SECTIONS

# Addresses that are private (accounts, orders, back offices), endless (search results) or
# behind the age gate. Product and category pages stay open.
DISALLOWED = (
    "/admin/",
    "/django-admin/",
    "/shop/basket/",
    "/shop/checkout/",
    "/shop/accounts/",
    "/shop/dashboard/",
    "/shop/search/",
    "/payments/",
    "/logistics/",
    "/theo-doi-don-hang/",
    "/dia-chi/",
    "/i18n/",
    "/xac-nhan-tuoi/",
)


@require_safe
@x_robots_tag
def sitemap_index(request):
    """The list of section sitemaps, one entry per 50 000 addresses of a section.

    Django's own index view names sections on the `django.contrib.sites` domain; this one on
    the request's host, like every other address of the sitemap.
    """
    entries = []
    for section, sitemap_class in SECTIONS.items():
        sitemap = sitemap_class(request)
        location = absolute_url(reverse("sitemap-section", kwargs={"section": section}), request)
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(SitemapIndexItem(f"{location}?p={page}", lastmod))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@require_safe
def sitemap_section(request, section):
    if section not in SECTIONS:
        raise Http404("No such sitemap section.")
    return wagtail_sitemap_views.sitemap(request, {section: SECTIONS[section]}, section=section)


@require_safe
def robots_txt(request):
    lines = ["User-agent: *", "Allow: /"]
    lines += [f"Disallow: {path}" for path in DISALLOWED]
    lines += ["", f"Sitemap: {absolute_url(reverse('sitemap'), request)}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
