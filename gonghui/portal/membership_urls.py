"""The worker's membership in the portal, under ``/m/membership/``: the electronic card,
joining, transfer and leaving."""

from django.urls import path

from . import membership_views as views

app_name = "membership"

urlpatterns = [
    path("card/", views.CardView.as_view(), name="card"),
    path("join/", views.JoinView.as_view(), name="join"),
    path("join/done/", views.JoinDoneView.as_view(), name="join-done"),
]
