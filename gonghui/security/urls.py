from django.urls import path

from . import views

app_name = "security"
urlpatterns = [
    path("events/", views.SecurityEventList.as_view(), name="event-list"),
    path("changes/", views.ChangeRecordList.as_view(), name="change-list"),
]
