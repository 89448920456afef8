from django.urls import path

from . import views

app_name = "congress"
urlpatterns = [
    path("", views.Overview.as_view(), name="overview"),
    path("employers/<int:pk>/", views.EmployerCongress.as_view(), name="employer"),
    path("employers/<int:pk>/sessions/new/", views.SessionCreate.as_view(), name="session-create"),
    path(
        "employers/<int:pk>/delegates/new/", views.DelegateCreate.as_view(), name="delegate-create"
    ),
    path(
        "employers/<int:pk>/disclosures/new/",
        views.DisclosureCreate.as_view(),
        name="disclosure-create",
    ),
    path("sessions/<int:pk>/", views.SessionDetail.as_view(), name="session-detail"),
    path("sessions/<int:pk>/edit/", views.SessionUpdate.as_view(), name="session-update"),
    path(
        "sessions/<int:pk>/attendance/", views.AttendanceUpdate.as_view(), name="attendance-update"
    ),
    path(
        "sessions/<int:pk>/proposals/new/", views.ProposalCreate.as_view(), name="proposal-create"
    ),
    path(
        "sessions/<int:pk>/resolutions/new/",
        views.ResolutionCreate.as_view(),
        name="resolution-create",
    ),
    path("delegates/<int:pk>/edit/", views.DelegateUpdate.as_view(), name="delegate-update"),
    path("proposals/<int:pk>/", views.ProposalUpdate.as_view(), name="proposal-update"),
    path("resolutions/<int:pk>/edit/", views.ResolutionUpdate.as_view(), name="resolution-update"),
    path("disclosures/", views.DisclosureList.as_view(), name="disclosure-list"),
    path("disclosures/<int:pk>/edit/", views.DisclosureUpdate.as_view(), name="disclosure-update"),
]
