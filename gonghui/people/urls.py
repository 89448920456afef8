from django.urls import include, path

from . import views

app_name = "people"
urlpatterns = [
    path("", views.PersonList.as_view(), name="person-list"),
    path("unions/", views.UnionSuggestions.as_view(), name="union-suggestions"),
    path("workers/", views.WorkerSuggestions.as_view(), name="worker-suggestions"),
    path("new/", views.PersonCreate.as_view(), name="person-create"),
    path("<int:pk>/", views.PersonDetail.as_view(), name="person-detail"),
    path("<int:pk>/edit/", views.PersonUpdate.as_view(), name="person-update"),
    path("<int:pk>/reveal/<slug:field>/", views.PersonReveal.as_view(), name="person-reveal"),
    path("<int:pk>/transfer/", views.MembershipTransfer.as_view(), name="membership-transfer"),
    path("<int:pk>/leave/", views.MembershipLeave.as_view(), name="membership-leave"),
    path("<int:pk>/join/", views.PersonJoin.as_view(), name="person-join"),
    path("applications/", views.JoinApplicationList.as_view(), name="application-list"),
    path("applications/new/", views.JoinApplicationCreate.as_view(), name="application-create"),
    path(
        "applications/<int:pk>/",
        views.JoinApplicationDetail.as_view(),
        name="application-detail",
    ),
    path(
        "applications/<int:pk>/approve/",
        views.JoinApplicationApprove.as_view(),
        name="application-approve",
    ),
    path(
        "applications/<int:pk>/reject/",
        views.JoinApplicationReject.as_view(),
        name="application-reject",
    ),
    path("transfers/", views.FileTransferList.as_view(), name="file-transfer-list"),
    path(
        "transfers/requested/",
        views.FileTransferRequestedList.as_view(),
        name="file-transfer-requested",
    ),
    path("transfers/<int:pk>/", views.FileTransferDetail.as_view(), name="file-transfer-detail"),
    path(
        "transfers/<int:pk>/confirm/",
        views.FileTransferConfirm.as_view(),
        name="file-transfer-confirm",
    ),
    path(
        "transfers/<int:pk>/decline/",
        views.FileTransferDecline.as_view(),
        name="file-transfer-decline",
    ),
    path(
        "transfers/<int:pk>/withdraw/",
        views.FileTransferWithdraw.as_view(),
        name="file-transfer-withdraw",
    ),
    path("reveals/", views.RevealLogList.as_view(), name="reveal-log"),
    path("roster/", include("gonghui.people.urls_roster")),
]
