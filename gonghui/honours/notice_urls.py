"""Nominations in public notice (公示), open to anyone, under ``/notice/``."""

from django.urls import path  # noqa: F401

app_name = "notice"

urlpatterns: list = []
