"""Shopper pages of the OCOP layer, mounted at the site root (before Wagtail's catch-all).

No namespace: `catalog.trace` reverses "trace" as it is.
"""

from django.urls import path

from catalog import views

urlpatterns = [
    path("truy-xuat/nhan/<int:product_id>/", views.trace_labels, name="trace-labels"),
    path("truy-xuat/<str:code>/", views.trace_page, name="trace"),
    path("xac-nhan-tuoi/", views.age_gate_page, name="age-gate"),
]
