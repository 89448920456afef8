"""Everything gonghui holds about a worker, for the worker (PIPL arts. 44–45: the right
to know, to see and to copy): their file, and every record of every app that names
their file, as the worker may read them.

The records are found, not listed: every model with a key to ``people.Person`` is a
section, so a new app's records about a worker are in the copy without a line here.
The file itself is read through ``mine()``; ``LEFT_OUT`` names what is not the
worker's to read, with the reason. Encrypted columns other than the file's ID number
and phone (a bank account) are left out: their owner typed them and sees them masked
on their pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.crypto import CiphertextField
from gonghui.core.exports import write_xlsx_sheets
from gonghui.people.models import Person

from .mine import mine

#: Models about a worker that are not the worker's to read, and why.
LEFT_OUT = {
    # A link between the worker's file and a staff account of theirs: the staff side.
    "aid.staffperson",
}
#: Columns that are keys or checks, not facts: a hash says nothing to a reader.
HIDDEN_SUFFIXES = ("_hash",)


@dataclass(frozen=True)
class Section:
    title: str
    headers: list[str]
    rows: list[list]

    @property
    def labelled(self) -> list[list[tuple]]:
        """Each row as (header, value) pairs, as a page lists them."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


def my_data(account, *, masked: bool = False) -> list[Section]:
    """The worker's file and every record about it, a section each (empty ones left out).
    ``masked``: the ID number and phone as a page shows them, for a screen others may see."""
    person = (
        mine(account, Person.objects.all())
        .select_related("employer", "current_union", "file_org")
        .first()
    )
    if person is None:
        return []
    sections = [_file_section(person, masked)]
    for relation in Person._meta.related_objects:
        model = relation.related_model
        if model._meta.label_lower in LEFT_OUT or relation.many_to_many:
            continue
        queryset = model._base_manager.filter(**{relation.field.name: person})
        section = _section(model, queryset.order_by("pk"))
        if section.rows:
            sections.append(section)
    return sections


def _file_section(person: Person, masked: bool) -> Section:
    fields = _fields(Person)
    row = [_value(person, field) for field in fields]
    headers = [str(field.verbose_name) for field in fields]
    # The two facts kept encrypted, in full in the worker's own copy.
    headers += [_("ID number"), _("mobile phone")]
    if masked:
        row += [person.masked_id_number(), person.masked_phone()]
    else:
        row += [person.plain_id_number(), person.plain_phone()]
    return Section(str(_("My file")), headers, [row])


def _section(model, queryset) -> Section:
    fields = [f for f in _fields(model) if f.name != "person"]
    rows = [[_value(obj, field) for field in fields] for obj in queryset]
    title = str(model._meta.verbose_name_plural)
    return Section(title[:1].upper() + title[1:], [str(f.verbose_name) for f in fields], rows)


def _fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not isinstance(field, CiphertextField)
        and not field.name.endswith(HIDDEN_SUFFIXES)
        and not field.primary_key
    ]


def _value(obj, field: models.Field):
    if field.choices:
        return getattr(obj, f"get_{field.name}_display")()
    value = getattr(obj, field.name)
    if isinstance(field, models.FileField):
        return value.name if value else ""
    if isinstance(value, models.Model):
        return str(value)
    return value


def my_data_json(sections: list[Section]) -> str:
    document = {
        "generated_at": timezone.now(),
        "sections": [
            {"title": s.title, "rows": [dict(zip(s.headers, row, strict=True)) for row in s.rows]}
            for s in sections
        ],
    }
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)


def my_data_workbook(sections: list[Section], target) -> None:
    write_xlsx_sheets(target, [(s.title, s.headers, s.rows) for s in sections])
