from django.urls import path

from . import views

app_name = "stations"

urlpatterns = [
    path("", views.StationList.as_view(), name="list"),
    path("new/", views.StationCreate.as_view(), name="create"),
    path("use/", views.StationUse.as_view(), name="use"),
    path("<int:pk>/", views.StationDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.StationUpdate.as_view(), name="update"),
    path("<int:pk>/visits/", views.VisitRecord.as_view(), name="visit-record"),
    path("<int:pk>/photo/", views.StationPhotoSet.as_view(), name="photo-set"),
    path("<int:pk>/photo.jpg", views.StationPhotoFile.as_view(), name="photo"),
]
