"""The console's queue of members' own requests from the portal: transfer and leaving."""

from django.urls import path

from . import views_membership_requests as views

app_name = "membership-requests"

urlpatterns = [
    path("", views.MembershipRequestList.as_view(), name="list"),
    path("<int:pk>/", views.MembershipRequestDetail.as_view(), name="detail"),
    path("<int:pk>/confirm/", views.MembershipRequestConfirm.as_view(), name="confirm"),
    path("<int:pk>/decline/", views.MembershipRequestDecline.as_view(), name="decline"),
]
