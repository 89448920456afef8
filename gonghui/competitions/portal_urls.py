"""The worker portal's competition pages (under ``/m/competitions/``)."""

from django.urls import path

from . import portal_views

app_name = "portal-competitions"

urlpatterns = [
    path("", portal_views.CompetitionListView.as_view(), name="list"),
    path("<int:pk>/", portal_views.CompetitionView.as_view(), name="competition"),
    path("<int:pk>/register/", portal_views.RegisterView.as_view(), name="register"),
    path("entries/<int:pk>/", portal_views.EntryView.as_view(), name="entry"),
    path(
        "entries/<int:pk>/certificate/",
        portal_views.CertificateView.as_view(),
        name="certificate",
    ),
]
