"""Aid pages: thin views over ``aid.services`` and ``aid.selectors``, every record
read through the scope rule."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views import View

from gonghui.accounts.selectors import active_staff
from gonghui.core import exports
from gonghui.core.views import (
    Column,
    ObjectDetailView,
    ObjectListView,
    ServiceFormView,
    StaffPermissionMixin,
    is_htmx,
    show_form_errors,
)
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person
from gonghui.people.selectors import person_search

from . import duties, evidence, selectors, services
from .forms import (
    BULK_APPROVAL_MAX,
    ApplicationFilterForm,
    ApplicationForm,
    BulkApproveForm,
    CampaignForm,
    CommentForm,
    ConsentForm,
    DecideForm,
    DraftForm,
    EmptyForm,
    EvidenceForm,
    FactsForm,
    FundForm,
    MarkPaidForm,
    PayForm,
    PrivacyNoticeForm,
    ProgrammeForm,
    StaffPersonForm,
    YearForm,
)
from .models import AidApplication, Campaign, Consent, Fund, PrivacyNotice, Programme
from .vocabularies import AidStatus, ConsentKind

logger = logging.getLogger(__name__)

FACT_NAMES = [name for name in FactsForm.base_fields if name != "amount_requested"]


class RefusalAsFormError:
    """A PermissionDenied from a service is shown on the form (403), like a ValidationError."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            response = self.form_invalid(form)
            response.status_code = 403
            return response


# --- applications ------------------------------------------------------------------------


class ApplicationList(ObjectListView):
    model = AidApplication
    permission_required = "aid.view_aidapplication"
    title = gettext_lazy("Aid applications")
    columns = [
        Column("person.name", gettext_lazy("applicant"), link=True),
        Column("campaign", gettext_lazy("campaign")),
        Column("organisation.name", gettext_lazy("organisation")),
        Column("amount", gettext_lazy("amount")),
        Column("status", gettext_lazy("status")),
        Column("current_level.name", gettext_lazy("awaiting approval at")),
    ]
    search_fields = ("person__name__startswith",)
    filter_form_class = ApplicationFilterForm
    export_stem = "aid-applications"
    template_name = "aid/application_list.html"
    table_template_name = "aid/_application_table.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "person", "campaign__programme", "organisation", "current_level", "programme"
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = self.filter_form
        if form is not None and form.is_valid() and form.awaiting_refused:
            if not is_htmx(self.request):  # the table alone shows no messages
                messages.warning(
                    self.request,
                    _(
                        "You have no right to decide on aid applications, so none await "
                        "your decision."
                    ),
                )
        context.update(
            awaiting=form is not None and form.is_valid() and form.awaiting,
            bulk_form=BulkApproveForm(initial={"query": context["querystring"]}),
            bulk_max=BULK_APPROVAL_MAX,
        )
        return context


def awaiting_matching(user, query: str):
    """Applications awaiting ``user``'s decision that match the list's query string
    (search and filters, as ``ApplicationList`` reads them), oldest first."""
    return duties.awaiting_decision(
        user, ApplicationList.for_query(user, query).get_queryset()
    ).order_by("pk")


class ApplicationBulkApprove(StaffPermissionMixin, View):
    """POST only: approve the ticked applications, or all awaiting the user that match
    the filter (at most ``BULK_APPROVAL_MAX``), and show what was approved and what
    was refused with the reason.

    Only applications in the user's scope reach the service; a posted id
    outside it is counted as not found and nothing about it is shown.
    """

    permission_required = "aid.approve_aidapplication"

    def post(self, request):
        form = BulkApproveForm(request.POST)
        if not form.is_valid():
            show_form_errors(request, form)
            return redirect(self.list_url(form.data.get("query", "")))
        data = form.cleaned_data
        not_found = more_remain = 0
        if data["target"] == BulkApproveForm.SELECTED:
            chosen = data["applications"]
            applications = list(
                selectors.applications_for(request.user).filter(pk__in=chosen).order_by("pk")
            )
            not_found = len(chosen) - len(applications)
        else:
            matching = awaiting_matching(request.user, data["query"])
            applications = list(matching[: BULK_APPROVAL_MAX + 1])
            if len(applications) > BULK_APPROVAL_MAX:
                applications = applications[:BULK_APPROVAL_MAX]
                more_remain = matching.count() - BULK_APPROVAL_MAX
        if not applications:
            messages.error(request, _("No application awaiting your decision was found."))
            return redirect(self.list_url(data["query"]))
        result = services.aid_applications_approve(
            by=request.user, applications=applications, comment=data["comment"]
        )
        return render(
            request,
            "aid/bulk_result.html",
            {
                "title": _("Bulk approval"),
                "result": result,
                "approved_rows": self.outcomes(request.user, result.approved),
                "not_found": not_found,
                "more_remain": more_remain,
                "back_url": self.list_url(data["query"]),
            },
        )

    @staticmethod
    def outcomes(user, approved) -> list[tuple[AidApplication, str]]:
        """Each approved application with where it stands now; the next levels' names
        are read in one query."""
        levels = Organisation.objects.in_bulk(
            {a.current_level_id for a in approved if a.current_level_id is not None}
        )
        rows = []
        for application in approved:
            if application.status == AidStatus.APPROVED:
                text = _("Approved: ¥%(amount)s reserved from the fund.") % {
                    "amount": application.amount
                }
            elif application.first_county_approver_id == user.pk:
                text = _("First approval recorded; a second approver is needed.")
            else:
                text = _("Approved at this level; sent on to %(org)s.") % {
                    "org": levels[application.current_level_id].name
                }
            rows.append((application, text))
        return rows

    @staticmethod
    def list_url(query: str) -> str:
        params = QueryDict(query, mutable=True)
        params["show"] = ApplicationFilterForm.AWAITING
        return f"{reverse('aid:application-list')}?{params.urlencode()}"


class ApplicationDetail(ObjectDetailView):
    model = AidApplication
    permission_required = "aid.view_aidapplication"
    template_name = "aid/application_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "person", "campaign", "programme", "organisation", "current_level", "fund"
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        user = self.request.user
        decider = duties.decider_for(user)
        context.update(
            title=_("Aid for %(name)s") % {"name": application.person.name},
            steps=application.steps.select_related("by", "level"),
            evidence=application.evidence.all(),
            may_add_evidence=application.status
            in (AidStatus.DRAFT, AidStatus.RETURNED, AidStatus.SUBMITTED)
            and user.has_perm("aid.add_evidence"),
            flags=selectors.precision_flags(application),
            cap=services.rule_cap(application),
            may_decide=duties.may_decide(decider, application),
            may_pay=duties.may_pay(decider, application),
            waiting_reason=duties.waiting_reason(application, decider),
            may_cancel=services.may_cancel(user, application),
            # Three forms on one page: each its own ids (two have a "comment").
            decide_form=DecideForm(auto_id="decide-%s"),
            cancel_form=CommentForm(auto_id="cancel-%s"),
            pay_form=PayForm(auto_id="pay-%s"),
            payment=getattr(application, "payment", None)
            if application.status == AidStatus.PAID
            else None,
        )
        return context


class ScopedApplicationMixin:
    def get_object(self):
        return get_object_or_404(
            AidApplication.objects.for_user(self.request.user).select_related(
                "person", "campaign", "programme", "current_level"
            ),
            pk=self.kwargs["pk"],
        )


class ApplicationCreate(RefusalAsFormError, ServiceFormView):
    """A new application: from the aid list (the worker chosen on the page) or from a
    worker's file (``?person=``, chosen in advance)."""

    permission_required = "aid.add_aidapplication"
    form_class = ApplicationForm
    title = gettext_lazy("New aid application")
    template_name = "aid/application_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        person = self.request.GET.get("person")
        if person and person.isdigit():
            kwargs.setdefault("initial", {})["person"] = int(person)
            # Only the consents the worker has not given yet are offered.
            kwargs["consented_kinds"] = Consent.objects.filter(
                person__in=Person.objects.for_user(self.request.user).filter(pk=int(person))
            ).values_list("kind", flat=True)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        worker = context["form"].worker_choices()
        context["worker"] = worker
        chosen = next((p for p in worker["people"] if p.pk == worker["chosen"]), None)
        if chosen is not None:
            context["title"] = _("New aid application for %(name)s") % {"name": chosen.name}
        return context

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("worker")
        return services.aid_application_create(
            by=self.request.user,
            campaign=data.pop("campaign"),
            person=data.pop("person"),
            **data,
        )


class ApplicationUpdate(RefusalAsFormError, ScopedApplicationMixin, ServiceFormView):
    permission_required = "aid.change_aidapplication"
    template_name = "aid/application_form.html"

    def get_form_class(self):
        # Only a draft may move to another campaign (services._move_draft).
        return DraftForm if self.object.status == AidStatus.DRAFT else FactsForm

    def get_initial(self):
        application = self.object
        # Never the bank account: the form shows it masked and keeps it when left empty.
        initial = {
            name: getattr(application, name)
            for name in ["amount_requested", *FACT_NAMES]
            if name not in ("bank_account", "consents")
        }
        initial["campaign"] = application.campaign_id
        return initial

    def get_form_kwargs(self):
        application = self.object
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "stored_account": application.masked_bank_account(),
            "account_locked": application.status == AidStatus.PAID,
            "consented_kinds": application.person.aid_consents.values_list("kind", flat=True),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Change the aid application of %(name)s") % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        return services.aid_application_update(
            by=self.request.user, application=self.object, **form.cleaned_data
        )


class ApplicationDelete(RefusalAsFormError, ScopedApplicationMixin, ServiceFormView):
    """Delete a draft never submitted, after a confirmation (POST)."""

    permission_required = "aid.delete_aidapplication"
    form_class = EmptyForm
    template_name = "aid/application_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Delete the draft aid application of %(name)s")
            % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        person = self.object.person
        services.aid_application_delete(by=self.request.user, application=self.object)
        messages.success(self.request, _("Draft deleted."))
        return person

    def get_success_url(self):
        return reverse("aid:application-list")


class ApplicationSubmit(RefusalAsFormError, ScopedApplicationMixin, ServiceFormView):
    permission_required = "aid.add_aidapplication"
    form_class = EmptyForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Submit the aid application of %(name)s") % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        application = services.aid_application_submit(by=self.request.user, application=self.object)
        messages.success(
            self.request,
            _("Submitted; it now awaits approval at %(org)s.")
            % {"org": application.current_level.name},
        )
        return application


class ApplicationDecide(RefusalAsFormError, ScopedApplicationMixin, ServiceFormView):
    permission_required = "aid.approve_aidapplication"
    form_class = DecideForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Decide on the aid application of %(name)s")
            % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        data = form.cleaned_data
        by, application = self.request.user, self.object
        if data["decision"] == DecideForm.APPROVE:
            application = services.aid_application_approve(
                by=by, application=application, amount=data["amount"], comment=data["comment"]
            )
            if application.status == AidStatus.APPROVED:
                message = _("Approved: ¥%(amount)s reserved from the fund.")
            elif application.current_level_id is not None and application.first_county_approver_id:
                message = _("First approval recorded; a second approver is needed.")
            else:
                message = _("Approved at this level; sent on to %(org)s.")
            messages.success(
                self.request,
                message
                % {
                    "amount": application.amount,
                    "org": getattr(application.current_level, "name", ""),
                },
            )
        elif data["decision"] == DecideForm.RETURN:
            application = services.aid_application_return(
                by=by, application=application, comment=data["comment"]
            )
            messages.success(self.request, _("Returned for more information."))
        else:
            application = services.aid_application_reject(
                by=by, application=application, comment=data["comment"]
            )
            messages.success(self.request, _("Application rejected."))
        return application


class ApplicationCancel(RefusalAsFormError, ScopedApplicationMixin, ServiceFormView):
    permission_required = "aid.approve_aidapplication"
    form_class = CommentForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Cancel the aid application of %(name)s") % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        application = services.aid_application_cancel(
            by=self.request.user, application=self.object, comment=form.cleaned_data["comment"]
        )
        messages.success(self.request, _("Application cancelled."))
        return application


class ApplicationPay(RefusalAsFormError, ScopedApplicationMixin, ServiceFormView):
    permission_required = "aid.pay_aidapplication"
    form_class = PayForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Pay the aid of %(name)s") % {"name": self.object.person.name}, **kwargs
        )

    def perform(self, form):
        payment = services.aid_application_pay(
            by=self.request.user, application=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Paid: ¥%(amount)s.") % {"amount": payment.amount})
        return payment.application


class ConsentCreate(RefusalAsFormError, ServiceFormView):
    """Record a worker's consent, the notice chosen among those in force and its text
    shown to be read out; back to ``next`` (the form the clerk came from) or the file."""

    permission_required = "aid.add_consent"
    form_class = ConsentForm
    template_name = "aid/consent_form.html"

    def get_object(self):
        return get_object_or_404(
            Person.objects.for_user(self.request.user), pk=self.kwargs["person"]
        )

    def get_initial(self):
        kind = self.request.GET.get("kind")
        notice = PrivacyNotice.objects.in_force().filter(kind=kind).first() if kind else None
        return {"notice": notice.pk} if notice else {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record the consent of %(name)s") % {"name": self.object.name},
            notices=PrivacyNotice.objects.in_force(),
            consents=self.object.aid_consents.select_related("notice", "recorded_by"),
            next_url=self.next_url(),
            **kwargs,
        )

    def next_url(self) -> str:
        url = self.request.POST.get("next") or self.request.GET.get("next") or ""
        if url and url_has_allowed_host_and_scheme(
            url, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return url
        return self.object.get_absolute_url()

    def perform(self, form):
        consent = services.consent_record(
            by=self.request.user, person=self.object, notice=form.cleaned_data["notice"]
        )
        messages.success(
            self.request,
            _("Consent to %(kind)s recorded.") % {"kind": ConsentKind(consent.kind).label.lower()},
        )
        return self.object

    def get_success_url(self):
        return self.next_url()


class PrivacyNoticeList(StaffPermissionMixin, View):
    """The notices read to workers before they consent, each version with its text."""

    permission_required = "aid.view_privacynotice"

    def get(self, request):
        return render(
            request,
            "aid/notice_list.html",
            {
                "title": _("Privacy notices"),
                "notices": PrivacyNotice.objects.all(),
                "today": timezone.localdate(),
            },
        )


class PrivacyNoticeCreate(RefusalAsFormError, ServiceFormView):
    permission_required = "aid.add_privacynotice"
    form_class = PrivacyNoticeForm
    title = gettext_lazy("Publish a privacy notice")

    def perform(self, form):
        services.privacy_notice_publish(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Notice published."))

    def get_success_url(self):
        return reverse("aid:notice-list")


class EvidenceUpload(RefusalAsFormError, ScopedApplicationMixin, ServiceFormView):
    permission_required = "aid.add_evidence"
    form_class = EvidenceForm
    template_name = "aid/evidence_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Add evidence to the aid application of %(name)s")
            % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        evidence.evidence_add(by=self.request.user, application=self.object, **form.cleaned_data)
        messages.success(self.request, _("Evidence added."))
        return self.object


class EvidenceDownload(StaffPermissionMixin, View):
    """An evidence file, only for users who see its application (404 otherwise)."""

    permission_required = "aid.view_aidapplication"

    def get(self, request, pk, evidence_pk):
        application = get_object_or_404(AidApplication.objects.for_user(request.user), pk=pk)
        item = get_object_or_404(application.evidence, pk=evidence_pk)
        try:
            handle = item.file.open("rb")
        except FileNotFoundError:
            # The record outlived its file (a lost disk, a restore without media/):
            # say so instead of failing; `gonghui check_files` lists every such record.
            logger.warning(
                "Evidence %s of aid application %s: the file is missing from storage.",
                item.pk,
                application.pk,
            )
            return render(
                request,
                "aid/evidence_missing.html",
                {"title": _("Evidence file missing"), "application": application, "item": item},
                status=410,
            )
        return FileResponse(
            handle,
            as_attachment=True,
            filename=item.original_name,
            content_type=item.content_type,
        )


# --- staff accounts and their person records ---------------------------------------------


def staff_for(user):
    """Active staff accounts of the user's subtree, with their linked person if any."""
    return (
        active_staff(user)
        .select_related("organisation", "aid_person__person")
        .order_by("organisation__path", "username")
    )


class StaffPersonList(StaffPermissionMixin, View):
    """Staff accounts in scope and the person each belongs to (for separation of duties)."""

    permission_required = "aid.add_staffperson"

    def get(self, request):
        accounts = staff_for(request.user)
        term = request.GET.get("q", "").strip()[:50]
        if term:
            accounts = accounts.filter(username__istartswith=term)
        paginator = Paginator(accounts, settings.PAGE_SIZE)
        page = paginator.get_page(request.GET.get("page"))
        return render(
            request,
            "aid/staff_person_list.html",
            {"title": _("Staff members' person records"), "page_obj": page, "q": term},
        )


class StaffPersonEdit(StaffPermissionMixin, View):
    """Link a staff account to a person found by name or the end of the ID number, or
    change the link; the search is the people list's (``people.selectors.person_search``)."""

    permission_required = "aid.add_staffperson"

    def account(self, request, pk):
        return get_object_or_404(staff_for(request.user), pk=pk)

    def get(self, request, pk):
        return self.render(request, self.account(request, pk), StaffPersonForm(user=request.user))

    def post(self, request, pk):
        account = self.account(request, pk)
        form = StaffPersonForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.staff_person_link(
                    by=request.user, user=account, person=form.cleaned_data["person"]
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                return self.render(request, account, form, status=403)
            else:
                messages.success(
                    request,
                    _("%(user)s is now linked to %(person)s.")
                    % {"user": account.username, "person": form.cleaned_data["person"].name},
                )
                return redirect("aid:staff-person-list")
        return self.render(request, account, form, status=400)

    def render(self, request, account, form, status=200):
        term = request.GET.get("q", "").strip()[:50]
        people = []
        if term:
            people = list(
                person_search(Person.objects.for_user(request.user), term)
                .select_related("employer", "current_union")
                .order_by("name", "pk")[:20]
            )
        return render(
            request,
            "aid/staff_person_form.html",
            {
                "title": _("Person record of %(user)s") % {"user": account.username},
                "account": account,
                "link": getattr(account, "aid_person", None),
                "form": form,
                "q": term,
                "people": people,
            },
            status=status,
        )


class StaffPersonUnlink(StaffPermissionMixin, View):
    """POST only: remove a staff account's link to its person."""

    permission_required = "aid.add_staffperson"

    def post(self, request, pk):
        account = get_object_or_404(staff_for(request.user), pk=pk)
        try:
            services.staff_person_unlink(by=request.user, user=account)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request,
                _("The person record of %(user)s is unlinked.") % {"user": account.username},
            )
        return redirect("aid:staff-person-list")


# --- programmes, campaigns, funds ----------------------------------------------------------


class ProgrammeList(StaffPermissionMixin, View):
    """Programmes are the county's rules, not records of an organisation: all staff see them."""

    permission_required = "aid.view_programme"

    def get(self, request):
        return render(
            request,
            "aid/programme_list.html",
            {"title": _("Programmes"), "programmes": Programme.objects.all()},
        )


class ProgrammeCreate(RefusalAsFormError, ServiceFormView):
    permission_required = "aid.add_programme"
    form_class = ProgrammeForm
    title = gettext_lazy("New programme")

    def perform(self, form):
        data = form.rules()
        return services.programme_create(by=self.request.user, **data)


class CampaignList(ObjectListView):
    model = Campaign
    permission_required = "aid.view_campaign"
    title = gettext_lazy("Campaigns")
    columns = [
        Column("year", gettext_lazy("year")),
        Column("programme.name", gettext_lazy("programme"), link=True),
        Column("organisation.name", gettext_lazy("run by")),
        Column("starts_on", gettext_lazy("starts on")),
        Column("ends_on", gettext_lazy("ends on")),
        Column("status", gettext_lazy("status")),
    ]
    create_url_name = "aid:campaign-create"
    create_permission = "aid.add_campaign"
    export_stem = "aid-campaigns"

    def get_queryset(self):
        return super().get_queryset().select_related("programme", "organisation")


class CampaignCreate(RefusalAsFormError, ServiceFormView):
    permission_required = "aid.add_campaign"
    form_class = CampaignForm
    title = gettext_lazy("New campaign")

    form_takes_user = True

    def perform(self, form):
        return services.campaign_create(by=self.request.user, **form.cleaned_data)


class CampaignDetail(ObjectDetailView):
    model = Campaign
    permission_required = "aid.view_campaign"
    template_name = "aid/campaign_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=str(self.object),
            funds=Fund.objects.for_user(self.request.user)
            .filter(campaign=self.object)
            .select_related("organisation"),
        )
        return context


class CampaignNotice(StaffPermissionMixin, View):
    """The public notice (公示) of a campaign's recipients: name, masked ID number,
    organisation, amount; never a phone, an account or a diagnosis."""

    permission_required = "aid.view_aid_reports"

    def get(self, request, pk):
        campaign = get_object_or_404(Campaign.objects.for_user(request.user), pk=pk)
        return render(
            request,
            "aid/notice.html",
            {
                "title": _("Public notice: %(campaign)s") % {"campaign": campaign},
                "campaign": campaign,
                "rows": selectors.notice_rows(request.user, campaign),
            },
        )


class FundCreate(RefusalAsFormError, ServiceFormView):
    permission_required = "aid.add_fund"
    form_class = FundForm

    def get_object(self):
        return get_object_or_404(Campaign.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    form_takes_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New fund for %(campaign)s") % {"campaign": self.object}, **kwargs
        )

    def perform(self, form):
        return services.fund_create(by=self.request.user, campaign=self.object, **form.cleaned_data)


class FundDetail(ObjectDetailView):
    model = Fund
    permission_required = "aid.view_fund"
    template_name = "aid/fund_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("campaign__programme", "organisation")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=str(self.object),
            entries=self.object.entries.select_related("by", "application__person").order_by(
                "-at", "-pk"
            )[:200],
        )
        return context


# --- payment -----------------------------------------------------------------------------


class PaymentList(StaffPermissionMixin, View):
    """Approved applications awaiting payment, with bulk "mark paid"."""

    permission_required = "aid.pay_aidapplication"

    def queryset(self):
        return selectors.payable_for(self.request.user)

    def get(self, request):
        return self.render(MarkPaidForm(queryset=self.queryset()))

    def render(self, form, status=200):
        return render(
            self.request,
            "aid/payment_list.html",
            {
                "title": _("Payment list"),
                "form": form,
                "applications": self.queryset(),
                "may_reveal": self.request.user.has_perm("people.reveal_sensitive"),
            },
            status=status,
        )


class PaymentMarkPaid(PaymentList):
    def get(self, request):
        return redirect("aid:payment-list")

    def post(self, request):
        form = MarkPaidForm(request.POST, queryset=self.queryset())
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            payments = services.aid_applications_pay(
                by=request.user,
                applications=list(form.cleaned_data["applications"]),
                reference=form.cleaned_data["reference"],
            )
        except (ValidationError, PermissionDenied) as exc:
            form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))
            return self.render(form, status=400)
        messages.success(request, _("%(count)s payments marked paid.") % {"count": len(payments)})
        return redirect("aid:payment-list")


class PaymentExport(PaymentList):
    """The payment list in the shape a bank payout needs: name, ID number, account, amount.

    Accounts are written in full, each logged as a reveal; the ID number is
    masked unless the user holds the reveal right and asks for full numbers,
    each logged too (``services.payment_file_rows``).
    """

    def get(self, request):
        rows = services.payment_file_rows(
            by=request.user,
            full_id_numbers=request.GET.get("full") == "1",
            ip_address=request.META.get("REMOTE_ADDR"),
        )
        headers = [
            pgettext("person", "name"),
            _("ID number"),
            _("bank"),
            _("bank account"),
            _("amount (yuan)"),
            _("organisation"),
        ]
        response = HttpResponse(content_type=exports.XLSX_CONTENT_TYPE)
        filename = exports.xlsx_filename("aid-payments")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        exports.write_xlsx(response, headers, rows, sheet_title=str(_("Payment list")))
        return response


# --- reports -----------------------------------------------------------------------------


def _year(request) -> int:
    form = YearForm(request.GET)
    return form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year


class DuplicatesReport(StaffPermissionMixin, View):
    permission_required = "aid.view_aid_reports"

    def get(self, request):
        year = _year(request)
        return render(
            request,
            "aid/duplicates.html",
            {
                "title": _("People helped by several programmes in %(year)s") % {"year": year},
                "year": year,
                "rows": selectors.duplicates_report(request.user, year),
            },
        )


class MissedReport(StaffPermissionMixin, View):
    permission_required = "aid.view_aid_reports"

    def get(self, request):
        year = _year(request)
        return render(
            request,
            "aid/missed.html",
            {
                "title": _("Needy workers with no aid in %(year)s") % {"year": year},
                "year": year,
                "people": selectors.missed_report(request.user, year)[:500],
            },
        )
