"""The worker portal's page of the worker's own skill levels (under ``/m/skills/``)."""

from django.urls import path

from . import portal_views

app_name = "portal-skills"

urlpatterns = [
    path("", portal_views.MySkillsView.as_view(), name="mine"),
]
