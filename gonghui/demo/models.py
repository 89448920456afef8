"""Which part of the database is demo data."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoCounty(models.Model):
    """A county built by ``gonghui demo``: its federation and how it was made.

    Marks the demo tree so that ``demo --force`` wipes exactly that subtree (its
    organisations, employers and staff) and never data entered by people.
    """

    root = models.OneToOneField(
        "orgs.Organisation",
        verbose_name=_("county federation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    seed = models.BigIntegerField(_("seed"))
    scale = models.PositiveIntegerField(_("workers"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("demo county")
        verbose_name_plural = _("demo counties")

    def __str__(self) -> str:
        return str(self.root)
