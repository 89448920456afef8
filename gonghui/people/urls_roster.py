"""Pages of member rosters: import (花名册导入) and export, under people/roster/."""

from django.urls import path

from . import views_roster

app_name = "roster"
urlpatterns = [
    path("import/", views_roster.RosterImport.as_view(), name="import"),
    path("import/template/", views_roster.RosterTemplate.as_view(), name="template"),
    path("import/<int:pk>/run/", views_roster.RosterImportRun.as_view(), name="import-run"),
    path("export/", views_roster.RosterExport.as_view(), name="export"),
]
