"""The worker's rights cases in the portal, under ``/m/rights/``."""

from django.urls import path

from . import portal_views

app_name = "portal-rights"

urlpatterns = [
    path("", portal_views.CaseListView.as_view(), name="mine"),
    path("new/", portal_views.CaseNewView.as_view(), name="new"),
    path("sent/", portal_views.CaseLodgedView.as_view(), name="lodged"),
    path("<int:pk>/", portal_views.CaseDetailView.as_view(), name="detail"),
]
