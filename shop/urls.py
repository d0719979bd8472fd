from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path, re_path
from django.views.decorators.cache import cache_control
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from logistics.tracking import TrackOrderView
from shop.addresses.views import communes
from shop.seo import views as seo_views

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("shop/", include(apps.get_app_config("oscar").urls[0])),
    path("dia-chi/xa/", communes, name="address-communes"),
    path("payments/", include("payments.urls")),
    path("logistics/", include("logistics.urls")),
    path("hop-tac-xa/", include("cooperatives.urls")),
    # The public parcel tracking page: order number + phone or e-mail (logistics/tracking.py).
    path("theo-doi-don-hang/", TrackOrderView.as_view(), name="track-order"),
    # Traceability pages and QR label sheets (/truy-xuat/), the age gate (/xac-nhan-tuoi/).
    path("", include("catalog.urls")),
    path("favicon.ico", lambda request: redirect(static("img/logo.svg"), permanent=True)),
    # For search engines: a sitemap index with one sitemap per section, and robots.txt.
    path("sitemap.xml", seo_views.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", seo_views.sitemap_section, name="sitemap-section"),
    path("robots.txt", seo_views.robots_txt, name="robots-txt"),
]

# Pictures a phone keeps for a day instead of asking again on every page. An upload gets a new
# name while its old file exists, so only a photo deleted and uploaded again under the same name
# can show its old version, for a day at most.
MEDIA_MAX_AGE = 24 * 60 * 60

if settings.SERVE_LOCAL_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns.append(
        re_path(
            rf"^{media_prefix}(?P<path>.*)$",
            cache_control(public=True, max_age=MEDIA_MAX_AGE)(serve),
            {"document_root": settings.MEDIA_ROOT},
        )
    )

# Wagtail's catch-all comes last: every path not matched above is a CMS page.
urlpatterns.append(path("", include(wagtail_urls)))
