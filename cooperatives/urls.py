"""Public pages of the cooperatives, under /hop-tac-xa/ (mounted before Wagtail's catch-all)."""

from django.urls import path

from . import views
from .invitation_views import AcceptInvitationView

app_name = "cooperatives"

urlpatterns = [
    path("", views.cooperative_list, name="list"),
    path(
        "loi-moi/<uidb64>/<token>/",
        AcceptInvitationView.as_view(),
        name="accept-invitation",
    ),
    path("<slug:slug>/", views.cooperative_detail, name="detail"),
]
