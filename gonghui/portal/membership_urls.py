"""The worker's membership in the portal, under ``/m/membership/``: the electronic card,
joining, transfer and leaving."""

app_name = "membership"

urlpatterns: list = []
