from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.models import User
from gonghui.orgs.models import Organisation

from .isbns import isbn_normalise
from .models import RoomLevel


class RoomForm(forms.Form):
    """A reading room; its organisation and keeper are chosen in the user's scope only."""

    organisation = forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("Choose an organisation in your scope.")},
    )
    name = forms.CharField(label=_("name"), max_length=100)
    location = forms.CharField(label=_("location"), max_length=200)
    opening_hours = forms.CharField(
        label=_("opening hours"),
        max_length=100,
        required=False,
        help_text=_("For example: weekdays 12:00–13:30 and 17:30–20:00."),
    )
    keeper = forms.ModelChoiceField(
        label=_("keeper (staff account)"),
        queryset=User.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose a staff account in your scope.")},
    )
    keeper_name = forms.CharField(
        label=_("keeper's name"),
        max_length=50,
        required=False,
        help_text=_("When the keeper has no staff account."),
    )
    level = forms.ChoiceField(
        label=_("demonstration level"), choices=RoomLevel.choices, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisations = Organisation.objects.for_user(user).order_by("path")
        self.fields["organisation"].queryset = organisations
        self.fields["keeper"].queryset = User.objects.filter(
            is_active=True, organisation__in=organisations.values("pk")
        ).order_by("username")


class BookForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    author = forms.CharField(label=_("author"), max_length=100, required=False)
    publisher = forms.CharField(label=_("publisher"), max_length=100, required=False)
    isbn = forms.CharField(
        label=_("ISBN"),
        max_length=30,
        required=False,
        help_text=_("10 or 13 digits, with or without hyphens; stored as ISBN-13."),
    )
    copies = forms.IntegerField(label=_("copies"), min_value=1, max_value=999, initial=1)

    def clean_isbn(self):
        return isbn_normalise(self.cleaned_data.get("isbn", ""))


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Title, author or ISBN"), max_length=100, required=False, strip=True
    )


class LoanFilterForm(forms.Form):
    overdue = forms.BooleanField(label=_("overdue"), required=False)
    open = forms.BooleanField(label=_("not returned"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        if self.cleaned_data.get("overdue"):
            queryset = queryset.overdue()
        if self.cleaned_data.get("open"):
            queryset = queryset.open()
        return queryset


class CardForm(forms.Form):
    """The member's card, scanned or typed; then, once the card is read, the book."""

    token = forms.CharField(
        label=_("Card code"),
        max_length=200,
        help_text=_("Scan the QR code on the worker's phone, or type the code printed under it."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    book = forms.IntegerField(required=False, widget=forms.HiddenInput)
    q = forms.CharField(label=_("Book: ISBN or title"), max_length=100, required=False)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "Excel (.xlsx, .xls) or CSV with the columns 书名 (title), 作者 (author), "
            "出版社 (publisher), ISBN and 册数 (copies)."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError(_("The file is too large: at most %(mb)s MB.") % {"mb": 10})
        return upload
