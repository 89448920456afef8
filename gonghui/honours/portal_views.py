"""Model workers in the worker portal (``/m/honours/``): the county's published stories
(劳模故事), each on a page of its own, and the worker's own titles (``portal.mine``)."""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views import View
from django.views.generic import TemplateView

from gonghui.core.scope import SEGMENT_WIDTH
from gonghui.orgs.models import Organisation
from gonghui.portal import auth
from gonghui.portal.mine import mine

from .models import Story, TitleHolding


def county_stories(account):
    """The published stories of the worker's county (the top of their file's tree)."""
    if account is None or account.person_id is None:
        return Story.objects.none()
    path = account.person.file_org.path
    root = Organisation.objects.filter(path=path[:SEGMENT_WIDTH]).first()
    if root is None:
        return Story.objects.none()
    return Story.objects.in_subtree(root).published().select_related("person")


class Stories(auth.WorkerRequiredMixin, TemplateView):
    template_name = "honours/portal/stories.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(stories=county_stories(self.account), **kwargs)


class StoryDetail(auth.WorkerRequiredMixin, TemplateView):
    """One published story with its text and photo; a story not published (or
    withdrawn, or of another county) answers 404 like one that does not exist."""

    template_name = "honours/portal/story_detail.html"

    def get_context_data(self, **kwargs):
        story = get_object_or_404(county_stories(self.account), pk=self.kwargs["pk"])
        return super().get_context_data(story=story, **kwargs)


class StoryPhoto(auth.WorkerRequiredMixin, View):
    def get(self, request, pk):
        story = get_object_or_404(county_stories(self.account), pk=pk)
        if not story.photo:
            raise Http404
        try:
            return FileResponse(story.photo.open("rb"), content_type="image/jpeg")
        except FileNotFoundError:
            raise Http404 from None


class MyTitles(auth.WorkerRequiredMixin, TemplateView):
    template_name = "honours/portal/mine.html"

    def get_context_data(self, **kwargs):
        holdings = mine(self.account, TitleHolding.objects.select_related("title"))
        return super().get_context_data(holdings=holdings.order_by("-year"), **kwargs)
