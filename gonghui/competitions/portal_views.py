"""The worker's competition pages in the portal (``/m/competitions/``): the competitions
open to them, registering (a double tap makes one entry), their entries and results,
and their certificate once the results are published. Thin, over ``services``.

A competition is shown only when its organiser covers the worker's employer
(``selectors.competitions_for_worker``); entries are read through ``mine()``, so
another worker's entry does not exist here (404).
"""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gonghui.portal import auth
from gonghui.portal.mine import mine

from . import certificates, selectors, services
from .models import CompetitionStatus, Entry


def _my_entries(account):
    return mine(account, Entry.objects.select_related("competition__organiser"))


class CompetitionListView(auth.WorkerRequiredMixin, TemplateView):
    """Open competitions the worker may enter, then the worker's own entries."""

    template_name = "competitions/portal/list.html"

    def get_context_data(self, **kwargs):
        person = self.account.person
        context = super().get_context_data(title=_("Competitions"), person=person, **kwargs)
        if person is None:
            return context
        entered = set(_my_entries(self.account).values_list("competition_id", flat=True))
        context["open"] = [
            c
            for c in selectors.open_competitions_for_worker(person).order_by(
                "registration_closes_on"
            )
            if c.pk not in entered and services.eligibility_problem(c, person) is None
        ]
        context["entries"] = list(_my_entries(self.account).order_by("-competition__starts_on"))
        return context


class CompetitionView(auth.WorkerRequiredMixin, TemplateView):
    """One competition: who may enter, the register button, the published results."""

    template_name = "competitions/portal/competition.html"

    def get(self, request, *args, **kwargs):
        self.competition = get_object_or_404(
            selectors.competitions_for_worker(self.account.person), pk=kwargs["pk"]
        )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        competition = self.competition
        person = self.account.person
        entry = _my_entries(self.account).filter(competition=competition).first()
        return super().get_context_data(
            title=competition.name,
            competition=competition,
            entry=entry,
            problem=None if entry else services.registration_problem(competition, person),
            events=list(competition.events.all()),
            results=selectors.published_results(competition),
            **kwargs,
        )


class RegisterView(auth.WorkerRequiredMixin, View):
    """Register the signed-in worker. The database keeps one entry per worker and
    competition, so a second post (a double tap) finds the first one's entry and
    lands on it."""

    def post(self, request, pk: int):
        person = self.account.person
        competition = get_object_or_404(selectors.competitions_for_worker(person), pk=pk)
        already = _my_entries(self.account).filter(competition=competition).first()
        if already is not None:
            return redirect("portal-competitions:entry", pk=already.pk)
        try:
            entry = services.entry_register(by=None, competition=competition, person=person)
        except ValidationError as exc:
            already = _my_entries(self.account).filter(competition=competition).first()
            if already is not None:
                return redirect("portal-competitions:entry", pk=already.pk)
            messages.error(request, " ".join(exc.messages))
            return redirect("portal-competitions:competition", pk=pk)
        messages.success(
            request, _("Registered. The organiser will approve it; you are told here.")
        )
        return redirect("portal-competitions:entry", pk=entry.pk)


class EntryView(auth.WorkerRequiredMixin, TemplateView):
    template_name = "competitions/portal/entry.html"

    def get(self, request, *args, **kwargs):
        self.entry = get_object_or_404(_my_entries(self.account), pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        entry = self.entry
        return super().get_context_data(
            title=entry.competition.name,
            entry=entry,
            locked=entry.competition.status == CompetitionStatus.LOCKED,
            **kwargs,
        )


class CertificateView(auth.WorkerRequiredMixin, View):
    """The worker's own certificate; before the results are locked, the reason why not."""

    def get(self, request, pk: int):
        entry = get_object_or_404(_my_entries(self.account).select_related("person"), pk=pk)
        try:
            pdf = certificates.certificate_for(entry)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("portal-competitions:entry", pk=pk)
        return FileResponse(
            io.BytesIO(pdf),
            as_attachment=True,
            filename=f"certificate-{entry.pk}.pdf",
            content_type="application/pdf",
        )
