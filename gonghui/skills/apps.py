from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SkillsConfig(AppConfig):
    name = "gonghui.skills"
    verbose_name = _("Vocational skill levels")
