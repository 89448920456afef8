"""The worker portal's pages for spring jobs for the worker (under ``/m/``)."""

app_name = "portal-jobs"

urlpatterns: list = []
