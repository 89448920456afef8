"""The merchant's redemption page, without signing in, under ``/redeem/``."""

from django.urls import path

from . import merchant_views

app_name = "merchant"

urlpatterns = [
    path("", merchant_views.RedeemView.as_view(), name="redeem"),
]
