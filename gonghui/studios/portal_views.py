"""Studios in the worker portal (``/m/studios/``): the showcase of published
achievements, the worker's own studios and mentoring pairs. Thin, over ``selectors``.

Who sees what:

- the showcase (成果展示) is the county's: a member of any union of the county reads
  every published achievement of the county's studios, as the console's showcase
  publishes them; a worker who is not a member sees none (the brief's "visible to
  members"), and another county's achievements do not exist for anyone (404);
- a studio's own page is for its current members only (unpublished work included:
  it is theirs);
- a mentoring pair is for its mentor and its apprentice only.
"""

from __future__ import annotations

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView

from gonghui.orgs.models import Organisation, OrgKind
from gonghui.portal import auth
from gonghui.portal.mine import mine

from . import selectors
from .forms import ShowcaseFilterForm
from .models import Achievement, AchievementPhoto, MentoringPair, Studio, StudioMember
from .views import photo_response


def _person(account):
    return account.person if account is not None and account.person_id else None


def my_studios(account):
    """The studios the worker is a current member of (their own record: ``mine``)."""
    memberships = mine(account, StudioMember.objects.filter(left_on__isnull=True))
    return Studio.objects.filter(pk__in=memberships.values("studio_id"))


def my_pairs(account):
    """The pairs the worker is the mentor or the apprentice of.

    ``mine()`` follows one key to the person; a pair has two, so the same rule (the
    account's bound file, nothing for an unbound account) is applied to both here.
    """
    if account is None or account.person_id is None:
        return MentoringPair.objects.none()
    return MentoringPair.objects.filter(
        Q(mentor_id=account.person_id) | Q(apprentice_id=account.person_id)
    )


class ShowcaseView(auth.WorkerRequiredMixin, ListView):
    template_name = "studios/portal/showcase.html"
    context_object_name = "achievements"
    paginate_by = 20

    def get_queryset(self):
        person = _person(self.account)
        self.county = selectors.county_path_of(person)
        townships = Organisation.objects.none()
        if self.county is not None:
            townships = Organisation.objects.filter(
                kind=OrgKind.TOWNSHIP, path__startswith=self.county
            ).order_by("path")
        self.filter_form = ShowcaseFilterForm(self.request.GET or None, townships=townships)
        achievements = selectors.portal_showcase(person).order_by("-year", "-pk")
        if self.filter_form.is_valid():
            achievements = self.filter_form.filter(achievements)
        return achievements.prefetch_related("photos")

    def get_context_data(self, **kwargs):
        query = self.request.GET.copy()
        query.pop("page", None)
        return super().get_context_data(
            title=_("Showcase of achievements"),
            is_member=self.county is not None,
            filter_form=self.filter_form,
            querystring=query.urlencode(),
            studios=my_studios(self.account).order_by("name"),
            pairs=my_pairs(self.account).select_related("mentor", "apprentice"),
            **kwargs,
        )


class AchievementView(auth.WorkerRequiredMixin, DetailView):
    template_name = "studios/portal/achievement.html"
    context_object_name = "achievement"

    def get_queryset(self):
        return selectors.portal_showcase(_person(self.account)).prefetch_related("photos")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.object.title, **kwargs)


class PhotoView(auth.WorkerRequiredMixin, View):
    """A photo of a published achievement of the county, or of the worker's own studio."""

    def get(self, request, pk):
        person = _person(self.account)
        achievements = Achievement.objects.filter(
            Q(pk__in=selectors.portal_showcase(person).values("pk"))
            | Q(studio__in=my_studios(self.account).values("pk"))
        )
        photo = get_object_or_404(
            AchievementPhoto.objects.filter(achievement__in=achievements.values("pk")), pk=pk
        )
        return photo_response(photo)


class StudioView(auth.WorkerRequiredMixin, DetailView):
    template_name = "studios/portal/studio.html"
    context_object_name = "studio"

    def get_queryset(self):
        return my_studios(self.account).select_related("employer", "leader")

    def get_context_data(self, **kwargs):
        studio = self.object
        return super().get_context_data(
            title=studio.name,
            members=studio.memberships.filter(left_on__isnull=True).select_related("person"),
            achievements=studio.achievements.prefetch_related("photos").order_by("-year", "-pk"),
            **kwargs,
        )


class PairView(auth.WorkerRequiredMixin, DetailView):
    template_name = "studios/portal/pair.html"
    context_object_name = "pair"

    def get_queryset(self):
        return my_pairs(self.account).select_related("mentor", "apprentice", "studio")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Mentoring"), **kwargs)


class MineView(auth.WorkerRequiredMixin, TemplateView):
    template_name = "studios/portal/mine.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("My studios and mentoring"),
            studios=my_studios(self.account).order_by("name"),
            pairs=my_pairs(self.account).select_related("mentor", "apprentice"),
            **kwargs,
        )
