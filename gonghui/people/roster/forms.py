"""Forms of the roster pages: they validate the choices, services do the work."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.orgs.models import Organisation
from gonghui.people.services import REVEAL_PERMISSION

from .services import max_upload_bytes


class RosterImportForm(forms.Form):
    union = forms.ModelChoiceField(
        label=_("union"),
        queryset=Organisation.objects.none(),
        help_text=_("The grassroots or joint union the people on the roster join."),
    )
    file = forms.FileField(
        label=_("roster file"),
        help_text=_("An Excel workbook (.xlsx or .xls) or a CSV file, at most %(mb)d MB."),
    )
    dry_run = forms.BooleanField(
        label=_("Dry run: check every row and report, write nothing"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        unions = Organisation.objects.for_user(user).unions().order_by("name")
        self.fields["union"].queryset = unions
        if user.organisation_id and unions.filter(pk=user.organisation_id).exists():
            self.fields["union"].initial = user.organisation_id
        self.fields["file"].help_text = self.fields["file"].help_text % {
            "mb": max_upload_bytes() // (1024 * 1024)
        }
        self.fields["file"].widget.attrs["accept"] = ".xlsx,.xls,.csv"

    def visible_fields(self):
        # A dry run or not is chosen by the button pressed (import.html), not a tick box.
        return [field for field in super().visible_fields() if field.name != "dry_run"]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = max_upload_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _(
                    "The file is %(size).1f MB; the limit is %(limit)d MB. Split the roster "
                    "into smaller files."
                ),
                params={"size": upload.size / (1024 * 1024), "limit": limit // (1024 * 1024)},
                code="too_large",
            )
        return upload


class RosterExportForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The active members of the unions in and under this organisation."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_user(user).order_by("path")
        self.fields["organisation"].initial = user.organisation_id
        if user.has_perm(REVEAL_PERMISSION):
            # Only for users with the right: everyone else never sees the choice.
            self.fields["full_numbers"] = forms.BooleanField(
                label=_("Full ID and phone numbers"),
                required=False,
                help_text=_(
                    "Every exported person's ID number and phone are then recorded in the "
                    "reveal log under your name."
                ),
            )
