"""Form widgets every app shares.

``<input type="date">`` and ``<input type="datetime-local">`` take their value in
the HTML standard's format (HTML Living Standard §2.3.5.2 "valid date string":
``YYYY-MM-DD``; §2.3.5.5 "valid normalized local date and time string":
``YYYY-MM-DDTHH:MM``) whatever the language of the page. Django's widgets render
the first of the active language's input formats (``2005/04/07`` in Chinese),
which a browser rejects and shows as an empty field, so the value is lost on the
next save. These widgets always render the standard format.
"""

from django import forms


class DateInput(forms.DateInput):
    """A date picker whose value is always ``YYYY-MM-DD``."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    """A date-and-time picker whose value is always ``YYYY-MM-DDTHH:MM`` (local time)."""

    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
