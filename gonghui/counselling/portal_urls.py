"""The worker portal's pages for the worker's counselling bookings (under ``/m/``)."""

from django.urls import path

from . import portal_views

app_name = "portal-counselling"

urlpatterns = [
    path("", portal_views.SlotListView.as_view(), name="slots"),
    path("slots/<int:pk>/book/", portal_views.BookView.as_view(), name="book"),
    path("bookings/", portal_views.MyBookingsView.as_view(), name="mine"),
    path("bookings/<int:pk>/", portal_views.BookingView.as_view(), name="booking"),
    path("bookings/<int:pk>/cancel/", portal_views.CancelView.as_view(), name="cancel"),
]
