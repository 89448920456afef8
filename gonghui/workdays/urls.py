from django.urls import path

from . import views

app_name = "workdays"

urlpatterns = [
    path("", views.YearList.as_view(), name="year-list"),
    path("enter/", views.YearEnter.as_view(), name="year-enter"),
]
