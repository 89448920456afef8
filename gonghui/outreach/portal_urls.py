"""The worker portal's pages for the worker's micro-wishes (under ``/m/``)."""

from django.urls import path

from . import portal_views

app_name = "portal-wishes"

urlpatterns = [
    path("", portal_views.WishListView.as_view(), name="mine"),
    path("new/", portal_views.WishNewView.as_view(), name="new"),
    path("<int:pk>/", portal_views.WishDetailView.as_view(), name="detail"),
]
