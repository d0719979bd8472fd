from django.urls import path

from payments import webhooks

app_name = "payments"

urlpatterns = [
    path("webhooks/<slug:source>/", webhooks.receive, name="webhook"),
]
