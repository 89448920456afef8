from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.core.widgets import DateInput
from gonghui.orgs.models import Organisation

from .models import ArticleStatus, Category

BODY_HELP = _(
    "Write HTML. Kept: headings <h2>–<h4>, paragraphs <p>, line breaks <br>, lists "
    "<ul>/<ol>/<li>, <strong>, <em>, <u>, quotes <blockquote>, tables "
    '<table>/<tr>/<th>/<td>, links <a href="https://…">, and images of this article: '
    "upload them on the article's page, then paste the <img> line shown there. "
    "Everything else (scripts, styles, frames, other pictures) is removed when saved; "
    "use Preview to see the result."
)


class ArticleForm(forms.Form):
    """An article's fields; the publishing organisation is chosen in the user's scope."""

    organisation = forms.ModelChoiceField(
        label=_("publishing organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("Its members and those of the unions below it read the article."),
        error_messages={"invalid_choice": _("Choose a union in your scope.")},
    )
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    summary = forms.CharField(
        label=_("summary"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    body = forms.CharField(
        label=_("body"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 18, "spellcheck": "false"}),
        help_text=BODY_HELP,
    )
    publish_on = forms.DateField(
        label=_("publish on"),
        required=False,
        widget=DateInput,
        help_text=_("Readers see it from this day once published; empty: the day it is published."),
    )
    withdraw_on = forms.DateField(
        label=_("withdraw on"),
        required=False,
        widget=DateInput,
        help_text=_("Readers no longer see it from this day; empty: until withdrawn."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_user(user).order_by("path")


class ArticleFilterForm(forms.Form):
    category = forms.ChoiceField(
        label=_("category"), choices=[("", _("all")), *Category.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("status"), choices=[("", _("all")), *ArticleStatus.choices], required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        return queryset


class ImageForm(forms.Form):
    image = forms.FileField(
        label=_("image"),
        error_messages={"required": _("Choose an image to upload.")},
    )
