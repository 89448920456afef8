"""What waits in people and membership: join applications, file-transfer requests
and members' transfer and leaving requests to decide (``core.todo``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, list_item, register

from .models import FileTransferStatus
from .vocabularies import JoinStatus


@register
def people_todo(user) -> list[TodoItem]:
    from .views import FileTransferList, JoinApplicationList
    from .views_membership_requests import DECIDE_MEMBERSHIP_REQUESTS, MembershipRequestList

    items = []
    if user.has_perm("people.decide_joinapplication"):
        items.append(
            list_item(
                user,
                _("Join applications to decide"),
                JoinApplicationList,
                "people:application-list",
                f"status={JoinStatus.PENDING.value}",
            )
        )
    if user.has_perm("people.decide_filetransfer"):
        items.append(
            list_item(
                user,
                _("File transfer requests to answer"),
                FileTransferList,
                "people:file-transfer-list",
                f"status={FileTransferStatus.REQUESTED.value}",
            )
        )
    if user.has_perm(DECIDE_MEMBERSHIP_REQUESTS):
        items.append(
            list_item(
                user,
                _("Transfer and leaving requests to answer"),
                MembershipRequestList,
                "membership-requests:list",
                "status=requested",
            )
        )
    return [item for item in items if item is not None]
