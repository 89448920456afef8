from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .entries import BadLines, parse_days
from .services import FIRST_YEAR


class YearForm(forms.Form):
    """A year's holidays as lines (``entries``): every bad line is named on the form."""

    year = forms.IntegerField(label=_("year"), min_value=FIRST_YEAR, max_value=2100)
    note = forms.CharField(
        label=_("notice"),
        max_length=200,
        required=False,
        help_text=_("The State Council notice the days come from, e.g. its number."),
    )
    days = forms.CharField(
        label=_("holidays and adjusted working days"),
        widget=forms.Textarea(attrs={"rows": 24, "cols": 48, "spellcheck": "false"}),
        help_text=_(
            "One line per day or run of days: the date, the holiday's name, then 休 for a "
            "holiday or 班 for a weekend day worked in lieu, e.g. "
            "“2027-02-06~2027-02-12 春节 休” or “2027-02-14 春节 班”."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        year, text = cleaned.get("year"), cleaned.get("days")
        if year is None or text is None:
            return cleaned
        try:
            cleaned["days"] = parse_days(text, year)
        except BadLines as bad:
            self.add_error("days", bad.messages())
        return cleaned
