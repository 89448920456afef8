"""The portal's rest stations (``/m/stations/``), open without signing in.

A station is for every outdoor worker who passes by, member of a union or not (a
courier, a rider, a sanitation worker), and what is shown is what the sign at its door
says: name, address, hours, what it offers, a photo of the place. Asking a worker to
sign in first would keep away the very people it is for, so the list and a station's
page are public; only active stations are shown, and nothing about who runs them
beyond the township or about their visits.

The list is by township (a chooser) unless the phone sends where it is: the "nearest"
button asks the browser's geolocation only when tapped (``stations/nearest.js``) and
reloads with ``?lat=&lon=``; the position is used for this one answer and kept nowhere.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gonghui.portal import auth

from . import selectors
from .forms import TownshipChoiceForm
from .models import Station
from .views import photo_response


class PublicPortalMixin:
    """A portal page anyone may open; a signed-in worker still gets the tabs."""

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=auth.worker_of(self.request), **kwargs)


class StationListView(PublicPortalMixin, TemplateView):
    template_name = "stations/portal/list.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET
        townships = selectors.station_townships()
        form = TownshipChoiceForm(query or None, townships=townships)
        position = None
        if "lat" in query or "lon" in query:
            position = selectors.parse_position(query.get("lat"), query.get("lon"))
            if position is None:
                messages.warning(
                    self.request,
                    _(
                        "Your location could not be read, so stations are listed by "
                        "township instead."
                    ),
                )
        if position is not None:
            stations = selectors.nearest_stations(*position)
            township = None
        else:
            township = form.cleaned_data.get("township") if form.is_valid() else None
            stations = selectors.stations_in_township(township)
        return super().get_context_data(
            title=_("Rest stations"),
            form=form,
            stations=stations,
            nearest=position is not None,
            **kwargs,
        )


class StationView(PublicPortalMixin, TemplateView):
    template_name = "stations/portal/station.html"

    def get_context_data(self, **kwargs):
        station = get_object_or_404(selectors.public_stations(), pk=self.kwargs["pk"])
        return super().get_context_data(title=station.name, station=station, **kwargs)


class StationPhotoView(View):
    def get(self, request, pk):
        return photo_response(get_object_or_404(Station.objects.active(), pk=pk))
