from django.urls import path

from . import views

app_name = "needy"
urlpatterns = [
    path("", views.FileList.as_view(), name="file-list"),
    path("new/", views.FileCreate.as_view(), name="file-create"),
    path("notices/", views.NoticeList.as_view(), name="notice-list"),
    path("thresholds/", views.ThresholdList.as_view(), name="threshold-list"),
    path("thresholds/set/", views.ThresholdSet.as_view(), name="threshold-set"),
    path("<int:pk>/", views.FileDetail.as_view(), name="file-detail"),
    path("<int:pk>/edit/", views.FileUpdate.as_view(), name="file-update"),
    path("<int:pk>/visit/", views.VisitRecord.as_view(), name="file-visit"),
    path("<int:pk>/check-income/", views.IncomeCheck.as_view(), name="file-check-income"),
    path("<int:pk>/notice/", views.NoticeStart.as_view(), name="file-notice"),
    path("<int:pk>/objection/", views.ObjectionRecord.as_view(), name="file-objection"),
    path(
        "<int:pk>/objection/<int:objection>/settle/",
        views.ObjectionResolve.as_view(),
        name="file-objection-resolve",
    ),
    path("<int:pk>/file/", views.FileFile.as_view(), name="file-file"),
    path("<int:pk>/withdraw/", views.FileWithdraw.as_view(), name="file-withdraw"),
    path("<int:pk>/review/", views.FileReview.as_view(), name="file-review"),
    path("<int:pk>/exit/", views.FileExit.as_view(), name="file-exit"),
]
