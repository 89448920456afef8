"""Reading the audit trail (django-auditlog) of a record."""

from collections import defaultdict
from dataclasses import dataclass
from functools import partial

from auditlog.models import LogEntry
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    LogEntry.Action.CREATE: _("Created"),
    LogEntry.Action.UPDATE: _("Changed"),
    LogEntry.Action.DELETE: _("Deleted"),
    LogEntry.Action.ACCESS: _("Viewed"),
}
#: auditlog stores a missing value as the text "None".
EMPTY = ("None", "")


@dataclass(frozen=True)
class HistoryRow:
    entry: LogEntry
    action: str
    changes: list[tuple[str, str, str]]  # (field label, before, after)


def _shown(value) -> str:
    return "—" if value is None or value in EMPTY else str(value)


def _foreign_key_values(entry):
    """(field, stored value) for each foreign-key change recorded in ``entry``."""
    model = entry.content_type.model_class()
    for name, values in entry.changes_dict.items():
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and (field.many_to_one or field.one_to_one):
            for value in values:
                if value not in EMPTY:
                    yield field, value


def _pk(field, value):
    try:
        return field.related_model._meta.pk.to_python(value)
    except ValidationError:
        return None


def _foreign_key_labels(entries) -> dict:
    """The text of every object a foreign-key change points to, one query per model."""
    wanted = defaultdict(set)
    for entry in entries:
        for field, value in _foreign_key_values(entry):
            pk = _pk(field, value)
            if pk is not None:
                wanted[field.related_model].add(pk)
    return {
        (model, obj.pk): str(obj)
        for model, pks in wanted.items()
        for obj in model._default_manager.filter(pk__in=pks)
    }


def _foreign_key_label(labels: dict, field, value) -> str:
    """auditlog's own display of a foreign-key value, answered from ``labels``."""
    if value in EMPTY:
        return value
    pk = _pk(field, value)
    if pk is None:
        return value
    return labels.get(
        (field.related_model, pk), f"Deleted '{field.related_model.__name__}' ({value})"
    )


def history_for(obj, limit: int = 50) -> list[HistoryRow]:
    """The newest audit entries of ``obj``, newest first, ready to show."""
    entries = list(
        LogEntry.objects.get_for_object(obj)
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )
    # auditlog looks each foreign-key value up with a query of its own; the
    # labels of all entries are fetched together instead and handed to it.
    labels = _foreign_key_labels(entries)
    for entry in entries:
        entry._get_changes_display_for_fk_field = partial(_foreign_key_label, labels)
    return [
        HistoryRow(
            entry=entry,
            action=ACTION_LABELS.get(entry.action, entry.get_action_display()),
            changes=[
                (str(label), _shown(change[0]), _shown(change[1]))
                for label, change in entry.changes_display_dict.items()
                if isinstance(change, (list, tuple)) and len(change) == 2
            ],
        )
        for entry in entries
    ]


#: Columns every model has that say nothing to a reader of the history.
NOISE_FIELDS = {"id", "created_at", "updated_at"}


def audit_register(model, *, exclude: tuple[str, ...] = (), **options) -> None:
    """Register ``model`` with auditlog, recording its own columns only.

    auditlog would otherwise also list reverse relations (an employer's
    "people") and the id/timestamps on every entry. Listing the fields to
    include keeps a new reverse relation added by a later app out of the
    history without touching this app.
    """
    from auditlog.registry import auditlog

    fields = [
        field.name
        for field in model._meta.concrete_fields
        if field.name not in NOISE_FIELDS and field.name not in exclude
    ]
    auditlog.register(model, include_fields=fields, **options)
