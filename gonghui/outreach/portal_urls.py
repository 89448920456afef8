"""The worker portal's pages for the worker's micro-wishes (under ``/m/``)."""

app_name = "portal-wishes"

urlpatterns: list = []
