"""The coverage pages read other apps' tables; this app owns only its permission."""

from django.db import models
from django.utils.translation import gettext_lazy as _

VIEW_COVERAGE = "coverage.view_coverage"


class Coverage(models.Model):
    """Holds the permission to see coverage figures; no table is ever created for it."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_coverage", _("Can see union coverage and membership rates")),
        ]

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
