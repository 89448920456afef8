"""The reading rooms in the portal (``/m/library/``): the worker's own loans (through
``mine``) and the rooms near them with their catalogues."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from gonghui.portal import auth
from gonghui.portal.mine import mine

from . import selectors
from .forms import CatalogueSearchForm
from .models import Loan

#: Books of a room shown at once on a phone.
PORTAL_BOOKS = 50


class LibraryHome(auth.WorkerRequiredMixin, TemplateView):
    template_name = "library/portal/home.html"

    def get_context_data(self, **kwargs):
        person = self.account.person
        loans = list(selectors.loans_of(mine(self.account, Loan.objects.all()))[:50])
        rooms = list(selectors.rooms_near(person)[:30]) if person else []
        return super().get_context_data(
            title=_("Reading rooms"),
            person=person,
            loans=loans,
            rooms=rooms,
            today=timezone.localdate(),
            **kwargs,
        )


class RoomCatalogue(auth.WorkerRequiredMixin, TemplateView):
    """A room near the worker and its catalogue; a room not near them does not exist here."""

    template_name = "library/portal/room.html"

    def get_context_data(self, **kwargs):
        person = self.account.person
        if person is None:
            raise Http404
        room = selectors.rooms_near(person).filter(pk=self.kwargs["pk"]).first()
        if room is None:
            raise Http404
        form = CatalogueSearchForm(self.request.GET or None)
        term = form.cleaned_data["q"] if form.is_valid() else ""
        books = selectors.catalogue_search(room.books.all(), term, one_room=True).order_by(
            "title", "pk"
        )
        return super().get_context_data(
            title=room.name,
            room=room,
            search_form=form,
            q=term,
            books=books[:PORTAL_BOOKS],
            **kwargs,
        )
