"""Console pages of study online: the articles of the user's subtree, their editor
with a preview of the sanitised body, publishing and withdrawing, images, and the
reading activity of the members of the unions in scope. Thin; every record through
the scope rule."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.views import (
    Column,
    ObjectDetailView,
    ObjectListView,
    RecordFormView,
    ServiceFormView,
    StaffPermissionMixin,
    form_refusal,
    refusals_shown,
)

from . import selectors, services
from .forms import ArticleFilterForm, ArticleForm, ImageForm
from .models import Article, ArticleImage
from .richtext import for_console

VIEW = "study.view_article"
ADD = "study.add_article"
CHANGE = "study.change_article"
VIEW_READING = "study.view_reading"


class ArticleList(ObjectListView):
    model = Article
    permission_required = VIEW
    title = gettext_lazy("Study articles")
    columns = [
        Column("title", gettext_lazy("title"), link=True),
        Column("category", gettext_lazy("category")),
        Column("organisation.name", gettext_lazy("publishing organisation")),
        Column("status", gettext_lazy("status")),
        Column("publish_on", gettext_lazy("publish on")),
        Column("withdraw_on", gettext_lazy("withdraw on")),
    ]
    search_fields = ("title__icontains",)
    filter_form_class = ArticleFilterForm
    create_url_name = "study:create"
    create_permission = ADD
    export_stem = "study-articles"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation").order_by("-pk")


def _preview(form, article=None):
    """The sanitised body of a submitted editor form, when its Preview was pressed."""
    body = form.data.get("body", "")
    return mark_safe(for_console(services.article_body_preview(body=body, article=article)))


class _ArticleEditor:
    """The editor's Preview button: the form comes back with the sanitised body shown
    below it and nothing saved."""

    template_name = "study/article_form.html"

    form_takes_user = True

    def post(self, request, *args, **kwargs):
        if "preview" not in request.POST:
            return super().post(request, *args, **kwargs)
        self.object = self.get_object()
        form = self.get_form()
        form.is_valid()  # the errors show beside the preview
        return self.render_to_response(
            self.get_context_data(form=form, preview=_preview(form, self.object))
        )


class ArticleCreate(_ArticleEditor, ServiceFormView):
    permission_required = ADD
    form_class = ArticleForm
    title = gettext_lazy("New study article")

    def get_initial(self):
        return {**super().get_initial(), "organisation": self.request.user.organisation_id}

    def perform(self, form):
        article = services.article_create(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Article saved as a draft."))
        return article


def _article(user, pk: int) -> Article:
    return get_object_or_404(Article.objects.for_user(user), pk=pk)


class ArticleUpdate(_ArticleEditor, RecordFormView):
    permission_required = CHANGE
    form_class = ArticleForm

    def get_object(self):
        return _article(self.request.user, self.kwargs["pk"])

    def perform(self, form):
        article = services.article_update(
            by=self.request.user, article=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Changes saved."))
        return article


class ArticleDetail(ObjectDetailView):
    model = Article
    permission_required = VIEW
    template_name = "study/article_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "author")

    def get_context_data(self, **kwargs):
        article = self.object
        may_change = self.request.user.has_perm(CHANGE)
        return super().get_context_data(
            title=article.title,
            body=mark_safe(for_console(article.body)),
            readable=article.is_readable_on(timezone.localdate()),
            may_change=may_change,
            images=article.images.all(),
            image_form=ImageForm() if may_change else None,
            readers=article.readings.count(),
            **kwargs,
        )


class _ArticleAction(StaffPermissionMixin, View):
    """POST only: a button on the article's page handed to a service."""

    permission_required = CHANGE
    done = ""

    def post(self, request, pk):
        article = _article(request.user, pk)
        with refusals_shown(request):
            self.perform(article)
            messages.success(request, str(self.done))
        return redirect(article.get_absolute_url())


class ArticlePublish(_ArticleAction):
    done = gettext_lazy("Article published.")

    def perform(self, article):
        services.article_publish(by=self.request.user, article=article)


class ArticleWithdraw(_ArticleAction):
    done = gettext_lazy("Article withdrawn.")

    def perform(self, article):
        services.article_withdraw(by=self.request.user, article=article)


class ArticleImageUpload(_ArticleAction):
    done = gettext_lazy("Image added: paste its line into the body.")

    def perform(self, article):
        form = ImageForm(self.request.POST, self.request.FILES)
        if not form.is_valid():
            raise form_refusal(form)
        services.article_image_add(
            by=self.request.user, article=article, upload=form.cleaned_data["image"]
        )


def image_response(image: ArticleImage):
    try:
        handle = image.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


class ArticleImageView(StaffPermissionMixin, View):
    """An article's image, for staff who see the article (404 otherwise)."""

    permission_required = VIEW

    def get(self, request, pk):
        image = get_object_or_404(ArticleImage.objects.for_user(request.user), pk=pk)
        return image_response(image)


class ReadingActivity(StaffPermissionMixin, View):
    """What the members of the unions in scope read: per article and per month."""

    permission_required = VIEW_READING

    def get(self, request):
        articles, months = selectors.reading_activity(request.user)
        return render(
            request,
            "study/activity.html",
            {"title": _("Reading activity"), "articles": articles, "months": months},
        )
