"""The worker portal's activity pages (under ``/m/activities/``)."""

from django.urls import path

from . import portal_views

app_name = "portal-activities"

urlpatterns = [
    path("", portal_views.ActivityListView.as_view(), name="list"),
    path("<int:pk>/", portal_views.ActivityView.as_view(), name="detail"),
    path("<int:pk>/join/", portal_views.JoinView.as_view(), name="join"),
    path("<int:pk>/check-in/", portal_views.CheckInView.as_view(), name="check-in"),
    path("signups/<int:pk>/cancel/", portal_views.CancelView.as_view(), name="cancel"),
]
