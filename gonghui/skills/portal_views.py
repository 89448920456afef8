"""The worker's skill levels in the portal (``/m/skills/``): read only, their own
records through ``mine``; the union records them (a certificate is checked by staff)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from gonghui.portal import auth
from gonghui.portal.mine import mine

from .models import SkillRecord


class MySkillsView(auth.WorkerRequiredMixin, TemplateView):
    template_name = "skills/portal/mine.html"

    def get_context_data(self, **kwargs):
        records = list(mine(self.account, SkillRecord.objects.order_by("level", "trade", "pk")))
        return super().get_context_data(
            title=_("My skills"),
            person=self.account.person,
            records=records,
            highest=next((record for record in records if record.is_highest), None),
            **kwargs,
        )
