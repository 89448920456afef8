"""The filters of the auditor's console."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import subtree_q
from gonghui.core.widgets import DateInput

from .models import ChangeRecord, EventKind, EventResult


def _start_of(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


class PeriodFilterForm(forms.Form):
    """A time range (whole days, both ends included) and the account."""

    time_field = "at"
    account_field = "username"

    since = forms.DateField(label=_("from"), required=False, widget=DateInput)
    until = forms.DateField(label=_("until"), required=False, widget=DateInput)
    account = forms.CharField(label=_("account"), required=False, max_length=150)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError(_("The start of the period is after its end."))
        return data

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("since"):
            queryset = queryset.filter(**{f"{self.time_field}__gte": _start_of(data["since"])})
        if data.get("until"):
            end = _start_of(data["until"] + timedelta(days=1))
            queryset = queryset.filter(**{f"{self.time_field}__lt": end})
        if data.get("account"):
            queryset = queryset.filter(**{f"{self.account_field}__iexact": data["account"].strip()})
        return queryset


def _organisation_field(user) -> forms.ModelChoiceField:
    from gonghui.orgs.models import Organisation

    return forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Organisation.objects.for_user(user).order_by("path"),
        required=False,
        empty_label=_("All organisations"),
    )


class SecurityEventFilterForm(PeriodFilterForm):
    kind = forms.ChoiceField(label=_("event"), required=False)
    result = forms.ChoiceField(label=_("result"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["organisation"] = _organisation_field(user)
        self.fields["kind"].choices = [("", _("All events")), *EventKind.choices]
        self.fields["result"].choices = [("", _("All results")), *EventResult.choices]

    def filter(self, queryset):
        queryset = super().filter(queryset)
        data = self.cleaned_data
        if data.get("organisation"):
            queryset = queryset.filter(subtree_q(data["organisation"].path, "organisation"))
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("result"):
            queryset = queryset.filter(result=data["result"])
        return queryset


class ChangeRecordFilterForm(PeriodFilterForm):
    time_field = "timestamp"
    account_field = "actor__username"

    action = forms.ChoiceField(label=_("action"), required=False)
    record_type = forms.ModelChoiceField(
        label=_("record type"),
        queryset=ContentType.objects.none(),
        required=False,
        empty_label=_("All record types"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["organisation"] = _organisation_field(user)
        self.fields["action"].choices = [("", _("All actions")), *ChangeRecord.Action.choices]
        # The types of record the history holds: the models registered with auditlog.
        from auditlog.registry import auditlog

        models = auditlog.get_models()
        self.fields["record_type"].queryset = ContentType.objects.filter(
            pk__in=[ContentType.objects.get_for_model(model).pk for model in models]
        ).order_by("app_label", "model")
        self.fields["record_type"].label_from_instance = lambda ct: str(
            ct.model_class()._meta.verbose_name if ct.model_class() else ct.model
        )

    def filter(self, queryset):
        queryset = super().filter(queryset)
        data = self.cleaned_data
        if data.get("organisation"):
            queryset = queryset.filter(subtree_q(data["organisation"].path, "actor__organisation"))
        if data.get("action") not in (None, ""):
            queryset = queryset.filter(action=int(data["action"]))
        if data.get("record_type"):
            queryset = queryset.filter(content_type=data["record_type"])
        return queryset
