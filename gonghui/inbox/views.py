"""The worker's messages (``/m/messages/``): thin, over ``services``, every read
through the worker's rule (``portal/mine.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, FormView, ListView

from gonghui.portal.auth import WorkerRequiredMixin

from . import services
from .forms import SmsPreferencesForm


class MessageList(WorkerRequiredMixin, ListView):
    """The worker's messages, newest first, the unread ones marked."""

    template_name = "inbox/list.html"
    context_object_name = "inbox"
    paginate_by = 20
    extra_context = {"title": gettext_lazy("Messages")}

    def get_queryset(self):
        return services.messages_of(self.account).only(
            "pk", "kind", "title", "created_at", "read_at", "person_id"
        )


class MessageDetail(WorkerRequiredMixin, DetailView):
    """One message of the worker's (another worker's is not found: 404); opening it
    marks it read."""

    template_name = "inbox/detail.html"
    context_object_name = "message"

    def get_queryset(self):
        return services.messages_of(self.account)

    def get_object(self, queryset=None):
        message = super().get_object(queryset)
        return services.message_read(account=self.account, message=message)

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.object.title, **kwargs)


class SmsSettings(WorkerRequiredMixin, FormView):
    """Which kinds of message also come by text message; works without JavaScript."""

    template_name = "inbox/settings.html"
    form_class = SmsPreferencesForm
    extra_context = {"title": gettext_lazy("Text messages")}

    def get_initial(self):
        person = self.account.person
        if person is None:
            return {}
        chosen = services.sms_preferences(person)
        return {"send": [kind for kind, send in chosen.items() if send]}

    def form_valid(self, form):
        person = self.account.person
        if person is None:
            return redirect("portal:bind")
        services.sms_preferences_save(person=person, send=form.cleaned_data["send"])
        messages.success(self.request, _("Saved."))
        return redirect("inbox:settings")
