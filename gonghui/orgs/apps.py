from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "gonghui.orgs"
    verbose_name = _("Organisations")

    def ready(self):
        from gonghui.core.audit import audit_register

        from .models import Employer, Organisation

        audit_register(Organisation, exclude=("path", "depth"))
        audit_register(Employer)
