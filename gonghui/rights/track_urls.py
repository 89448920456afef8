"""Following a case by its tracking code, without signing in, under ``/track/``."""

from django.urls import path  # noqa: F401

app_name = "track"

urlpatterns: list = []
