from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudiosConfig(AppConfig):
    name = "gonghui.studios"
    verbose_name = _("Innovation studios and mentoring")
