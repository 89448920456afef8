"""Following a case by its tracking code, without signing in, under ``/track/``."""

from django.urls import path

from . import track_views

app_name = "track"

urlpatterns = [
    path("", track_views.TrackView.as_view(), name="lookup"),
]
