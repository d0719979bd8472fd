from django.urls import path, re_path

from payments import views, webhooks

app_name = "payments"
# Order numbers are digits, so the payment pages never shadow other two-part paths here.
PAGE = r"(?P<order_number>[0-9]+)/(?P<hash>[^/]+)/"

urlpatterns = [
    path("webhooks/<slug:source>/", webhooks.receive, name="webhook"),
    # The shopper's payment page; `hash` is Oscar's signed order hash (order.verification_hash).
    re_path(rf"^{PAGE}$", views.pay, name="pay"),
    re_path(rf"^{PAGE}status/$", views.status, name="pay-status"),
    re_path(rf"^{PAGE}qr\.png$", views.qr_png, name="pay-qr-png"),
    re_path(rf"^{PAGE}qr\.svg$", views.qr_svg, name="pay-qr-svg"),
    re_path(rf"^{PAGE}switch/$", views.switch, name="pay-switch"),
    re_path(rf"^{PAGE}simulate/$", views.simulate, name="pay-simulate"),
]
