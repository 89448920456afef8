"""Study online in the portal (``/m/study/``): the articles whose audience holds the
worker's union, by category and newest first; an article, whose first opening is
recorded; the page's beacon (``portal/static/portal/study.js``) adding the time
spent and the end reached; and the worker's own reading record.

Without the script only the opening is recorded. An article outside the worker's
audience, not published yet or withdrawn, does not exist here (404).
"""

from __future__ import annotations

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from gonghui.portal import auth
from gonghui.portal.mine import mine

from . import selectors, services
from .models import ArticleImage, Category, Reading
from .views import image_response

#: Articles shown on one page of the list.
PAGE = 30


def _person(account):
    return account.person if account.person_id else None


def _readable(account, pk: int):
    """The article ``pk`` if the worker may read it today (404 otherwise)."""
    articles = selectors.articles_for_worker(_person(account), timezone.localdate())
    return get_object_or_404(articles.select_related("organisation"), pk=pk)


def _model_worker_stories(account) -> list:
    """The model workers' stories the honours app publishes to the worker's county,
    read through the function it exposes (its own rule of who sees them)."""
    from gonghui.honours.portal_views import county_stories

    return list(county_stories(account)[:PAGE])


class ArticleListView(auth.WorkerRequiredMixin, TemplateView):
    template_name = "study/portal_list.html"

    def get_context_data(self, **kwargs):
        category = self.request.GET.get("category", "")
        if category not in Category.values:
            category = ""
        person = _person(self.account)
        articles = selectors.articles_for_worker(person, timezone.localdate(), category=category)
        shown = list(articles.select_related("organisation")[:PAGE])
        read = set(
            mine(
                self.account, Reading.objects.filter(article__in=[a.pk for a in shown])
            ).values_list("article_id", flat=True)
        )
        return super().get_context_data(
            title=gettext_lazy("Study online"),
            stories=_model_worker_stories(self.account)
            if category == Category.MODEL_WORKERS
            else [],
            person=person,
            categories=Category.choices,
            category=category,
            articles=[(article, article.pk in read) for article in shown],
            **kwargs,
        )


class ArticleReadView(auth.WorkerRequiredMixin, TemplateView):
    """An article. Its first opening by the worker is recorded here."""

    template_name = "study/portal_detail.html"

    def get_context_data(self, **kwargs):
        article = _readable(self.account, self.kwargs["pk"])
        reading = services.reading_open(person=self.account.person, article=article)
        return super().get_context_data(
            title=article.get_category_display(),
            article=article,
            body=mark_safe(article.body),
            reading=reading,
            **kwargs,
        )


class ArticleBeaconView(auth.WorkerRequiredMixin, View):
    """POST from the article's page: ``seconds`` spent since the last beacon, and
    ``finished=1`` once the end of the article was seen. Answers 200 with no content."""

    def post(self, request, pk):
        article = _readable(self.account, pk)
        try:
            seconds = int(request.POST.get("seconds", "0"))
        except ValueError:
            return HttpResponseBadRequest()
        services.reading_beacon(
            person=self.account.person,
            article=article,
            seconds=max(0, seconds),
            finished=request.POST.get("finished") == "1",
        )
        return HttpResponse(status=200)


class ArticleImageView(auth.WorkerRequiredMixin, View):
    """An article's image, for the workers who may read the article (404 otherwise)."""

    def get(self, request, pk):
        image = get_object_or_404(ArticleImage.objects.select_related("article"), pk=pk)
        person = _person(self.account)
        readable = selectors.articles_for_worker(person, timezone.localdate())
        if not readable.filter(pk=image.article_id).exists():
            raise Http404
        return image_response(image)


class MyReadingView(auth.WorkerRequiredMixin, TemplateView):
    """The worker's own reading record: what they opened, how long, whether finished."""

    template_name = "study/portal_mine.html"

    def get_context_data(self, **kwargs):
        readings = mine(self.account, Reading.objects.select_related("article")).order_by(
            "-opened_at", "-pk"
        )[:200]
        readings = list(readings)
        return super().get_context_data(
            title=gettext_lazy("My reading"),
            readings=readings,
            total_minutes=sum(r.seconds for r in readings) // 60,
            finished=sum(1 for r in readings if r.finished_at),
            **kwargs,
        )
