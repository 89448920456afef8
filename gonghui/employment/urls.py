from django.urls import path

from . import views

app_name = "employment"
urlpatterns = [
    path("", views.PostingList.as_view(), name="posting-list"),
    path("new/", views.PostingCreate.as_view(), name="posting-create"),
    path("<int:pk>/", views.PostingDetail.as_view(), name="posting-detail"),
    path("<int:pk>/edit/", views.PostingUpdate.as_view(), name="posting-update"),
    path("<int:pk>/status/", views.PostingSetStatus.as_view(), name="posting-status"),
    path("<int:pk>/apply/", views.ApplicationCreate.as_view(), name="application-create"),
    path("applications/", views.ApplicationList.as_view(), name="application-list"),
    path(
        "applications/<int:pk>/",
        views.ApplicationDetail.as_view(),
        name="application-detail",
    ),
    path(
        "applications/<int:pk>/advance/",
        views.ApplicationAdvance.as_view(),
        name="application-advance",
    ),
    path("fairs/", views.FairList.as_view(), name="fair-list"),
    path("fairs/new/", views.FairCreate.as_view(), name="fair-create"),
    path("fairs/<int:pk>/", views.FairDetail.as_view(), name="fair-detail"),
    path("fairs/<int:pk>/attendance/", views.FairAttendance.as_view(), name="fair-attendance"),
    path("summary/", views.CampaignSummary.as_view(), name="summary"),
]
