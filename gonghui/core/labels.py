"""Short phrases put together in the interface's language.

Chinese text takes full-width punctuation: a detail in （） and a label
followed by ：, where English has " (…)" and ": ". Code and templates that
join a name to a detail, or a label to its value, go through these functions
so that a Chinese page never carries ASCII brackets or colons.
"""

from __future__ import annotations

from django.utils.translation import gettext, pgettext


def bracketed(name, detail) -> str:
    """``name (detail)`` in English, ``name（detail）`` in Chinese."""
    return gettext("%(name)s (%(detail)s)") % {"name": name, "detail": detail}


def labelled(label, value) -> str:
    """``label: value`` in English, ``label：value`` in Chinese."""
    return gettext("%(label)s: %(value)s") % {"label": label, "value": value}


def colon() -> str:
    """The colon after a label whose value follows in markup of its own."""
    return pgettext("punctuation", ": ")
