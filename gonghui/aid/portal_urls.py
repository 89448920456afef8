"""The worker portal's pages for aid (under ``/m/aid/``)."""

from django.urls import path

from . import portal_views

app_name = "portal-aid"

urlpatterns = [
    path("", portal_views.AidListView.as_view(), name="list"),
    path("campaigns/<int:pk>/apply/", portal_views.ApplyView.as_view(), name="apply"),
    path("applications/<int:pk>/", portal_views.ApplicationDetailView.as_view(), name="detail"),
]
