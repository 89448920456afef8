"""The console's side of the worker's data rights: requests to correct what is held."""

from django.urls import path

from . import views

app_name = "corrections"

urlpatterns = [
    path("", views.CorrectionList.as_view(), name="list"),
    path("<int:pk>/", views.CorrectionDetail.as_view(), name="detail"),
    path("<int:pk>/answer/", views.CorrectionAnswer.as_view(), name="answer"),
]
