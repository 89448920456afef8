"""The portal's rest stations (under ``/m/stations/``): open to anyone, signed in or not."""

from django.urls import path

from . import portal_views

app_name = "portal-stations"

urlpatterns = [
    path("", portal_views.StationListView.as_view(), name="list"),
    path("<int:pk>/", portal_views.StationView.as_view(), name="detail"),
    path("<int:pk>/photo.jpg", portal_views.StationPhotoView.as_view(), name="photo"),
]
