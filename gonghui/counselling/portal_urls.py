"""The worker portal's pages for the worker's counselling bookings (under ``/m/``)."""

app_name = "portal-counselling"

urlpatterns: list = []
