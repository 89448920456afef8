"""The worker's membership in the portal, under ``/m/membership/``: the electronic card,
joining, transfer and leaving."""

from django.urls import path

from . import membership_views as views
from . import transfer_views

app_name = "membership"

urlpatterns = [
    path("card/", views.CardView.as_view(), name="card"),
    path("join/", views.JoinView.as_view(), name="join"),
    path("join/done/", views.JoinDoneView.as_view(), name="join-done"),
    path("transfer/", transfer_views.TransferView.as_view(), name="transfer"),
    path("leave/", transfer_views.LeaveView.as_view(), name="leave"),
    path("requests/<int:pk>/", transfer_views.RequestDetailView.as_view(), name="request"),
    path(
        "requests/<int:pk>/withdraw/",
        transfer_views.RequestWithdrawView.as_view(),
        name="request-withdraw",
    ),
]
