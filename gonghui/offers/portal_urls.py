"""The member's offer pages in the portal (under ``/m/offers/``)."""

from django.urls import path

from . import portal_views

app_name = "portal-offers"

urlpatterns = [
    path("", portal_views.OfferListView.as_view(), name="list"),
    path("<int:pk>/", portal_views.OfferView.as_view(), name="detail"),
    path("claims/<int:pk>/", portal_views.ClaimView.as_view(), name="claim"),
]
