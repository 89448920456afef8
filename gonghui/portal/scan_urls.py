"""The console's card check, under ``/scan/``: staff verify a worker's electronic
membership card."""

app_name = "scan"

urlpatterns: list = []
