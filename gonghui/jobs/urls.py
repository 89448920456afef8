from django.urls import path

from . import views

app_name = "jobs"
urlpatterns = [
    path("", views.JobList.as_view(), name="list"),
    path("<int:pk>/", views.JobDetail.as_view(), name="detail"),
    path("<int:pk>/download/", views.job_download, name="download"),
]
