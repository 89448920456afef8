"""The console's card check, under ``/scan/``: staff verify a worker's electronic
membership card."""

from django.urls import path

from . import membership_views as views

app_name = "scan"

urlpatterns = [
    path("", views.CardCheckView.as_view(), name="check"),
]
