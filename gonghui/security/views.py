"""The auditor's console: the security event log and the change history, each a
scoped list with filters and an Excel export (``core.views.ObjectListView``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.views import Column, ObjectListView

from .forms import ChangeRecordFilterForm, SecurityEventFilterForm
from .models import ChangeRecord, SecurityEvent

VIEW_LOGS = "security.view_securityevent"


class SecurityEventList(ObjectListView):
    template_name = "security/log_list.html"
    model = SecurityEvent
    permission_required = VIEW_LOGS
    title = _("Security events")
    columns = [
        Column("at", _("when")),
        Column("kind", _("event")),
        Column("result", _("result")),
        Column("username", _("account")),
        Column("roles", _("roles")),
        Column("organisation_name", _("organisation")),
        Column("ip_address", _("from address")),
        Column("object_type", _("object type")),
        Column("object_id", _("object id")),
        Column("object_repr", _("object")),
        Column("request_id", _("request id")),
    ]
    filter_form_class = SecurityEventFilterForm
    export_stem = "security-events"


class ChangeRecordList(ObjectListView):
    template_name = "security/log_list.html"
    model = ChangeRecord
    permission_required = VIEW_LOGS
    title = _("Change history")
    columns = [
        Column("timestamp", _("when")),
        Column("action", _("action")),
        Column("actor.username", _("account")),
        Column("content_type.name", _("record type")),
        Column("object_pk", _("object id")),
        Column("object_repr", _("object")),
        Column("changes_shown", _("changes")),
        Column("remote_addr", _("from address")),
        Column("cid", _("request id")),
    ]
    filter_form_class = ChangeRecordFilterForm
    export_stem = "change-history"

    def get_queryset(self):
        return super().get_queryset().select_related("actor", "content_type")
