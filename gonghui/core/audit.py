"""Reading the audit trail (django-auditlog) of a record."""

from auditlog.models import LogEntry


def history_for(obj, limit: int = 50):
    """The newest audit entries of ``obj``, with their actors, newest first."""
    return (
        LogEntry.objects.get_for_object(obj).select_related("actor").order_by("-timestamp")[:limit]
    )
