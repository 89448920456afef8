"""Nominations in public notice (公示), open to anyone, under ``/notice/``."""

from django.urls import path

from . import public_views

app_name = "notice"

urlpatterns = [
    path("", public_views.NoticeList.as_view(), name="list"),
    path("<int:pk>/objection/", public_views.ObjectionLodge.as_view(), name="objection"),
]
