"""Reading the audit trail (django-auditlog) of a record."""

from dataclasses import dataclass

from auditlog.models import LogEntry
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


def history_for(obj, limit: int = 50) -> list[HistoryRow]:
    """The newest audit entries of ``obj``, newest first, ready to show."""
    entries = (
        LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")[:limit]
    )
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
