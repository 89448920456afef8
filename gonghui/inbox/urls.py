"""The worker's messages in the portal, under ``/m/messages/``."""

app_name = "inbox"

urlpatterns: list = []
