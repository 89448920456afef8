"""The worker's messages in the portal, under ``/m/messages/``."""

from django.urls import path

from . import views

app_name = "inbox"

urlpatterns = [
    path("", views.MessageList.as_view(), name="list"),
    path("<int:pk>/", views.MessageDetail.as_view(), name="detail"),
    path("settings/", views.SmsSettings.as_view(), name="settings"),
]
