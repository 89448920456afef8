"""What waits in background jobs: the reader's own jobs that ended lately, done
(a file to download) or failed (``core.todo``)."""

from __future__ import annotations

from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from gonghui.core.todo import TodoItem, register

from .models import JobStatus
from .selectors import own_jobs

#: A job that ended longer ago than this waits for nobody any more.
RECENT_DAYS = 7


@register
def jobs_todo(user) -> list[TodoItem]:
    items = []
    for status, label in (
        (JobStatus.DONE, _("Your background jobs finished in the last %(days)s days")),
        (JobStatus.FAILED, _("Your background jobs that failed in the last %(days)s days")),
    ):
        label = label % {"days": RECENT_DAYS}
        query = f"status={status.value}&days={RECENT_DAYS}"
        count = own_jobs(user, QueryDict(query)).count()
        items.append(TodoItem(label, count, f"{reverse('jobs:list')}?{query}"))
    return items
