"""The console's queue of members' own requests from the portal: transfer and leaving."""

from django.urls import path  # noqa: F401

app_name = "membership-requests"

urlpatterns: list = []
