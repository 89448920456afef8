"""The worker portal's pages for spring jobs for the worker (under ``/m/``)."""

from django.urls import path

from . import portal_views

app_name = "portal-jobs"

urlpatterns = [
    path("", portal_views.PostingListView.as_view(), name="list"),
    path("<int:pk>/", portal_views.PostingDetailView.as_view(), name="detail"),
    path("applications/", portal_views.ApplicationListView.as_view(), name="mine"),
]
