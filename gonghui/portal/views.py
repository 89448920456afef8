"""The worker portal's pages (``/m/``): thin, over ``services``; and the console's
queue of bindings waiting for a union's confirmation."""

from __future__ import annotations

import io

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from gonghui.accounts.lockout import client_address
from gonghui.core.exports import XLSX_CONTENT_TYPE
from gonghui.core.views import Column, ObjectDetailView, ObjectListView, ServiceFormView
from gonghui.security.events import EventKind, security_event

from . import auth, drafts, mydata, selectors, services
from .forms import AnswerForm, BindForm, CodeForm, CorrectionForm, PhoneForm, RefuseForm
from .mine import mine
from .models import BindingRequest, BindingStatus, CorrectionRequest, CorrectionStatus


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith(auth.COOKIE_PATH) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("portal:home")


# --- Signing in --------------------------------------------------------------------------


class SignInView(FormView):
    """Step one: the number. A valid one gets a code by text message, and the page
    asks for it (step two, ``CodeView``)."""

    template_name = "portal/sign_in.html"
    form_class = PhoneForm

    def dispatch(self, request, *args, **kwargs):
        if auth.worker_of(request) is not None:
            return redirect(_next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        phone = form.cleaned_data["phone"]
        try:
            services.code_send(phone=phone, address=client_address(self.request))
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        code_form = CodeForm(initial={"phone": phone})
        return self.render_to_response(self.get_context_data(code_form=code_form, sent_to=phone))

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request), **kwargs)


class CodeView(FormView):
    template_name = "portal/sign_in.html"
    form_class = CodeForm

    def get(self, request, *args, **kwargs):
        return redirect("portal:sign-in")

    def form_valid(self, form):
        try:
            account = services.code_check(
                phone=form.cleaned_data["phone"],
                code=form.cleaned_data["code"],
                address=client_address(self.request),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        return auth.sign_in(redirect(_next_url(self.request)), account)

    def form_invalid(self, form):
        phone = form.data.get("phone", "")
        return self.render_to_response(
            self.get_context_data(code_form=form, sent_to=phone, form=PhoneForm())
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=_next_url(self.request), **kwargs)


class LanguageView(View):
    """The portal's language switch: a link, not a form, so that the footer every page
    carries is the same for everyone (Django's ``set_language`` wants a POST with a
    CSRF token). It sets only the visitor's own language cookie."""

    def get(self, request, code: str):
        if code not in dict(settings.LANGUAGES):
            raise Http404
        response = redirect(_next_url(request))
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )
        return response


class DraftView(auth.WorkerRequiredMixin, View):
    """A form's draft (``drafts.py``), the form named by ``?form=``: GET gives the
    fields kept, POST keeps them."""

    def get(self, request):
        return JsonResponse(drafts.draft_load(self.account, request.GET.get("form", "")))

    def post(self, request):
        try:
            drafts.draft_save(self.account, request.GET.get("form", ""), request.POST.dict())
        except ValidationError:
            return HttpResponse(status=400)
        return HttpResponse(status=204)


class SignOutView(View):
    def post(self, request):
        return auth.sign_out(request, redirect("portal:sign-in"))


# --- The worker's pages ----------------------------------------------------------------------


class HomeView(auth.WorkerRequiredMixin, TemplateView):
    """What matters to the worker now: their card, their applications, what to do next."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        account = self.account
        person = account.person
        context = super().get_context_data(person=person, **kwargs)
        if person is None:
            context["waiting"] = account.binding_requests.filter(
                status=BindingStatus.PENDING
            ).exists()
            context["refused"] = (
                account.binding_requests.filter(status=BindingStatus.REFUSED)
                .order_by("-decided_at")
                .first()
            )
            return context
        context["union"] = person.current_union
        facts = selectors.home_facts(account)
        joining = any(item.kind == "join" for item in facts.open_items)
        context.update(open_items=facts.open_items, unread=facts.unread, joining=joining)
        return context


class MeView(auth.WorkerRequiredMixin, TemplateView):
    """The worker's account: the number signed in, the link to the file, signing out."""

    template_name = "portal/me.html"


class BindView(auth.WorkerRequiredMixin, FormView):
    """Once: the worker's name and ID number link the account to their file."""

    template_name = "portal/bind.html"
    form_class = BindForm

    def get(self, request, *args, **kwargs):
        if self.account.person_id is not None:
            return redirect("portal:home")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            waiting = services.binding_submit(account=self.account, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        if waiting is not None:
            messages.info(
                self.request,
                _(
                    "Your union will confirm that this is you: we let you know here. "
                    "Until then your file is not shown."
                ),
            )
        else:
            messages.success(self.request, _("Your account is linked to your file."))
        return redirect("portal:home")


# --- The console: bindings to confirm ---------------------------------------------------------

VIEW_BINDINGS = "portal.view_bindingrequest"
DECIDE_BINDINGS = "portal.change_bindingrequest"


class QueueList(ObjectListView):
    """A queue of workers' requests: those still waiting unless ``?status=`` says
    otherwise, oldest (or soonest due) first; what a union opens the page for."""

    statuses = None  # the request's TextChoices
    waiting = ""  # the status shown by default
    order = ("created_at", "pk")
    search_fields = ("person__name__startswith",)

    def get_queryset(self):
        queryset = super().get_queryset().select_related("person")
        status = self.request.GET.get("status", self.waiting)
        if status in self.statuses.values:
            queryset = queryset.filter(status=status)
        return queryset.order_by(*self.order)


class BindingList(QueueList):
    model = BindingRequest
    permission_required = VIEW_BINDINGS
    title = gettext_lazy("Portal accounts to confirm")
    columns = [
        Column("person.name", gettext_lazy("person"), link=True),
        Column("reason", gettext_lazy("reason")),
        Column("status", gettext_lazy("status")),
        Column("created_at", gettext_lazy("asked at")),
    ]
    export_stem = "portal-bindings"
    statuses, waiting = BindingStatus, BindingStatus.PENDING


class BindingDetail(ObjectDetailView):
    model = BindingRequest
    permission_required = VIEW_BINDINGS
    template_name = "portal/binding_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "account", "decided_by")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Portal account of %(name)s to confirm") % {"name": self.object.person.name},
            refuse_form=RefuseForm(),
            **kwargs,
        )


class BindingDecision(ServiceFormView):
    permission_required = DECIDE_BINDINGS

    def get_object(self):
        return get_object_or_404(
            BindingRequest.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return redirect(self.object)


class BindingConfirm(BindingDecision):
    form_class = forms.Form  # the confirmation carries nothing but its CSRF token

    def perform(self, form):
        request = services.binding_confirm(by=self.request.user, request=self.object)
        messages.success(self.request, _("Confirmed: the account is linked to the file."))
        return request


class BindingRefuse(BindingDecision):
    form_class = RefuseForm

    def perform(self, form):
        request = services.binding_refuse(
            by=self.request.user, request=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Refused. The worker is told why."))
        return request


# --- My data (PIPL arts. 44–46) -------------------------------------------------------------


class MyDataView(auth.WorkerRequiredMixin, FormView):
    """Everything held about the worker, to read and to download, and the way to ask
    for a correction."""

    template_name = "portal/my_data.html"
    form_class = CorrectionForm

    def get(self, request, *args, **kwargs):
        wanted = request.GET.get("format")
        if wanted in ("json", "xlsx"):
            return self.download(wanted)
        return super().get(request, *args, **kwargs)

    def download(self, wanted: str):
        sections = mydata.my_data(self.account)
        if not sections:
            return redirect("portal:bind")
        security_event(kind=EventKind.DOWNLOAD, obj=self.account, detail={"my_data": wanted})
        stem = f"my-data-{timezone.localtime():%Y%m%d}"
        if wanted == "json":
            response = HttpResponse(
                mydata.my_data_json(sections), content_type="application/json; charset=utf-8"
            )
        else:
            buffer = io.BytesIO()
            mydata.my_data_workbook(sections, buffer)
            response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{stem}.{wanted}"'
        return response

    def get_context_data(self, **kwargs):
        requests = CorrectionRequest.objects.none()
        if self.account.person_id is not None:
            requests = mine(self.account, CorrectionRequest.objects.order_by("-created_at"))
        return super().get_context_data(
            sections=mydata.my_data(self.account, masked=True), requests=list(requests), **kwargs
        )

    def form_valid(self, form):
        try:
            services.correction_request(account=self.account, **form.cleaned_data)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.form_invalid(form)
        drafts.draft_clear(self.account, "correction")
        messages.success(
            self.request,
            _("Your request was sent to your union. The answer will appear on this page."),
        )
        return redirect("portal:my-data")


class CorrectionList(QueueList):
    model = CorrectionRequest
    permission_required = "portal.view_correctionrequest"
    title = gettext_lazy("Requests to correct personal data")
    columns = [
        Column("person.name", gettext_lazy("person"), link=True),
        Column("status", gettext_lazy("status")),
        Column("created_at", gettext_lazy("asked at")),
        Column("due_on", gettext_lazy("answer due by")),
    ]
    export_stem = "correction-requests"
    statuses, waiting = CorrectionStatus, CorrectionStatus.OPEN
    order = ("due_on", "pk")


class CorrectionDetail(ObjectDetailView):
    model = CorrectionRequest
    permission_required = "portal.view_correctionrequest"
    template_name = "portal/correction_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "answered_by")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Correction request of %(name)s") % {"name": self.object.person.name},
            answer_form=AnswerForm(),
            **kwargs,
        )


class CorrectionAnswer(ServiceFormView):
    permission_required = "portal.change_correctionrequest"
    form_class = AnswerForm

    def get_object(self):
        return get_object_or_404(
            CorrectionRequest.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    def get(self, request, *args, **kwargs):
        return redirect(self.get_object())

    def perform(self, form):
        request = services.correction_answer(
            by=self.request.user, request=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Answered. The worker reads it in the portal."))
        return request
