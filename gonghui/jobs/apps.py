from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "gonghui.jobs"
    verbose_name = _("Background jobs")

    def ready(self):
        from . import todo  # noqa: F401  (registers the app's to-do items)
