"""The public notice page (公示) of nominations, open to anyone without signing in.

It shows what a notice must: the nominee's name, the nominating union, the title and
a summary of the deeds, and the last day of the notice; never an ID number or a
phone. Anyone may lodge an objection, at most a few an hour from one address (the
portal's limits, ``services._objection_limits``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from gonghui.accounts.lockout import client_address
from gonghui.core.publicnotice import running_notices

from . import services
from .forms import PublicObjectionForm
from .models import Nomination, NominationStatus


def _on_notice():
    return running_notices(
        Nomination.objects.filter(status=NominationStatus.NOTICE), timezone.localdate()
    ).select_related("title", "person", "employer", "organisation")


class NoticeList(View):
    def get(self, request):
        return render(
            request,
            "honours/notice_list.html",
            {"title": _("Nominations on public notice"), "nominations": _on_notice()},
        )


class ObjectionLodge(View):
    def _render(self, request, nomination, form, status=200):
        return render(
            request,
            "honours/notice_objection.html",
            {"title": _("Lodge an objection"), "nomination": nomination, "form": form},
            status=status,
        )

    def get(self, request, pk):
        nomination = get_object_or_404(_on_notice(), pk=pk)
        return self._render(request, nomination, PublicObjectionForm())

    def post(self, request, pk):
        nomination = get_object_or_404(_on_notice(), pk=pk)
        form = PublicObjectionForm(request.POST)
        if form.is_valid():
            try:
                services.nomination_objection_lodge(
                    nomination=nomination, address=client_address(request), **form.cleaned_data
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request, _("Your objection is received. The union will look into it.")
                )
                return redirect("notice:list")
        return self._render(request, nomination, form, status=400)
