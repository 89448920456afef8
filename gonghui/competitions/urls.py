from django.urls import path

from . import views

app_name = "competitions"

urlpatterns = [
    path("", views.CompetitionList.as_view(), name="list"),
    path("new/", views.CompetitionCreate.as_view(), name="create"),
    path("judging/", views.Judging.as_view(), name="judging"),
    path("<int:pk>/", views.CompetitionDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CompetitionUpdate.as_view(), name="update"),
    path("<int:pk>/advance/", views.CompetitionAdvance.as_view(), name="advance"),
    path("<int:pk>/events/new/", views.EventCreate.as_view(), name="event-create"),
    path("events/<int:pk>/edit/", views.EventUpdate.as_view(), name="event-update"),
    path("events/<int:pk>/remove/", views.EventRemove.as_view(), name="event-remove"),
    path("<int:pk>/entries/", views.EntryList.as_view(), name="entries"),
    path("entries/<int:pk>/approve/", views.EntryApprove.as_view(), name="entry-approve"),
    path("entries/<int:pk>/refuse/", views.EntryRefuse.as_view(), name="entry-refuse"),
    path("entries/<int:pk>/change/", views.ResultChangeView.as_view(), name="result-change"),
    path(
        "entries/<int:pk>/certificate/",
        views.CertificateDownload.as_view(),
        name="certificate",
    ),
    path("<int:pk>/judges/", views.JudgeList.as_view(), name="judges"),
    path("judges/<int:pk>/remove/", views.JudgeRemove.as_view(), name="judge-remove"),
    path("<int:pk>/sheet/", views.ScoreSheet.as_view(), name="sheet"),
    path("<int:pk>/results/", views.Results.as_view(), name="results"),
    path("<int:pk>/lock/", views.ResultsLock.as_view(), name="lock"),
    path("<int:pk>/certificates/", views.CertificatesStart.as_view(), name="certificates"),
]
