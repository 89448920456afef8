from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.ActivityList.as_view(), name="list"),
    path("new/", views.ActivityCreate.as_view(), name="create"),
    path("attendance/", views.Attendance.as_view(), name="attendance"),
    path("<int:pk>/", views.ActivityDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.ActivityUpdate.as_view(), name="update"),
    path("<int:pk>/status/", views.ActivitySetStatus.as_view(), name="status"),
    path("<int:pk>/check-in/", views.ActivityCheckIn.as_view(), name="check-in"),
    path("<int:pk>/code/", views.ActivityCode.as_view(), name="code"),
    path("<int:pk>/photos/", views.ActivityPhotoAdd.as_view(), name="photo-add"),
    path("photos/<int:pk>/", views.ActivityPhotoFile.as_view(), name="photo"),
]
