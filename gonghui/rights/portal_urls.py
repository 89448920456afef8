"""The worker's rights cases in the portal, under ``/m/rights/``."""

from django.urls import path  # noqa: F401

app_name = "portal-rights"

urlpatterns: list = []
