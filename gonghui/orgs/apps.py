from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "gonghui.orgs"
    verbose_name = _("Organisations")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Employer, Organisation

        auditlog.register(Organisation, exclude_fields=["path", "depth", "updated_at"])
        auditlog.register(Employer, exclude_fields=["updated_at"])
