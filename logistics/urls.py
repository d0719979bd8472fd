from django.urls import path

from logistics import webhooks

app_name = "logistics"

urlpatterns = [
    path("webhooks/<slug:courier>/", webhooks.receive, name="webhook"),
]
