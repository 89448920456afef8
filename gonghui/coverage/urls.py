from django.urls import path

from . import views

app_name = "coverage"
urlpatterns = [
    path("", views.CoverageOverview.as_view(), name="overview"),
    path("without-union/", views.UncoveredEmployerList.as_view(), name="uncovered"),
]
