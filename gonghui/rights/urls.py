from django.urls import path

from . import views

app_name = "rights"
urlpatterns = [
    path("", views.CaseList.as_view(), name="case-list"),
    path("new/", views.CaseIntake.as_view(), name="case-intake"),
    path("<int:pk>/", views.CaseDetail.as_view(), name="case-detail"),
    path("<int:pk>/notes/", views.CaseNotes.as_view(), name="case-notes"),
    path("<int:pk>/files/", views.AttachmentAdd.as_view(), name="attachment-add"),
    path("<int:pk>/workers/", views.CaseWorkerAdd.as_view(), name="case-worker-add"),
    path(
        "<int:pk>/files/<int:attachment_pk>/",
        views.AttachmentDownload.as_view(),
        name="attachment-download",
    ),
    path("<int:pk>/<slug:action>/", views.CaseAction.as_view(), name="case-action"),
    path("deadlines/", views.DeadlineRules.as_view(), name="deadline-rules"),
    path("intake-templates/", views.IntakeTemplates.as_view(), name="intake-templates"),
    path("warnings/", views.EarlyWarnings.as_view(), name="early-warnings"),
    path(
        "warnings/<int:pk>/<slug:action>/", views.EmployerWatchSet.as_view(), name="employer-watch"
    ),
    path("quality/", views.QualitySample.as_view(), name="quality-sample"),
    path("quality/<int:pk>/", views.QualityCheckRecord.as_view(), name="quality-check"),
]
