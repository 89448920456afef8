"""Console pages of collective contracts: thin, every record through the scope rule."""

from django.contrib import messages
from django.db.models import Count
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.views import (
    Column,
    ObjectDetailView,
    ObjectListView,
    RecordFormView,
    ServiceFormView,
    StaffPermissionMixin,
    refusals_shown,
    show_form_errors,
)

from . import selectors, services
from .forms import ContractFilterForm, ContractForm, FilingForm, ObjectionForm
from .models import CollectiveContract

VIEW = "contracts.view_collectivecontract"
ADD = "contracts.add_collectivecontract"
CHANGE = "contracts.change_collectivecontract"


class ContractList(ObjectListView):
    model = CollectiveContract
    permission_required = VIEW
    title = gettext_lazy("Collective contracts")
    columns = [
        Column("title", gettext_lazy("title"), link=True),
        Column("kind", gettext_lazy("kind")),
        Column("covered_label", gettext_lazy("employers covered")),
        Column("owner.name", gettext_lazy("union side")),
        Column("signed_on", gettext_lazy("signed on")),
        Column("starts_on", gettext_lazy("term starts on")),
        Column("ends_on", gettext_lazy("term ends on")),
        Column("status", gettext_lazy("status")),
    ]
    search_fields = ("title__icontains", "employer__name__icontains")
    filter_form_class = ContractFilterForm
    create_url_name = "contracts:create"
    create_permission = ADD
    export_stem = "collective-contracts"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("owner", "employer")
            .annotate(covered_count=Count("coverage_rows"))
            .order_by("-starts_on", "-pk")
        )


class ContractDetail(ObjectDetailView):
    model = CollectiveContract
    permission_required = VIEW
    template_name = "contracts/contract_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("owner", "employer", "created_by")

    def get_context_data(self, **kwargs):
        contract = self.object
        today = timezone.localdate()
        editable = services.may_edit(self.request.user, contract)
        return super().get_context_data(
            title=contract.title,
            today=today,
            status=contract.status_on(today),
            editable=editable,
            covered=contract.employers.select_related("township").order_by("name", "pk"),
            filing_form=FilingForm(initial={"filed_on": today}) if editable else None,
            objection_form=ObjectionForm(initial={"objected_on": today}) if editable else None,
            **kwargs,
        )


class ContractCreate(ServiceFormView):
    permission_required = ADD
    form_class = ContractForm
    title = gettext_lazy("New collective contract")
    template_name = "contracts/contract_form.html"

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        employer = self.request.GET.get("employer")
        if employer and employer.isdigit():
            kwargs.setdefault("initial", {})["employer"] = int(employer)
        return kwargs

    def perform(self, form):
        contract = services.contract_create(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Collective contract recorded."))
        return contract


def _editable(user, pk: int) -> CollectiveContract:
    """A contract the user may change: its union side in their subtree (404 otherwise,
    as for a contract out of scope: a chair sees the township's regional contract
    covering their employer, but it lies outside their subtree to change)."""
    contract = get_object_or_404(CollectiveContract.objects.for_user(user), pk=pk)
    if not services.may_edit(user, contract):
        raise Http404
    return contract


class ContractUpdate(RecordFormView):
    permission_required = CHANGE
    form_class = ContractForm
    template_name = "contracts/contract_form.html"

    def get_object(self):
        return _editable(self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def initial_from(self, record):
        initial = super().initial_from(record)
        initial.pop("text", None)  # a file input never shows a stored file
        initial["employers"] = list(record.employers.values_list("pk", flat=True))
        return initial

    def perform(self, form):
        data = dict(form.cleaned_data)
        data.pop("reach", None)
        contract = services.contract_update(by=self.request.user, contract=self.object, **data)
        messages.success(self.request, _("Changes saved."))
        return contract


class _ContractAction(StaffPermissionMixin, View):
    """POST only: a form on the contract's page handed to a service; a refusal is shown there."""

    permission_required = CHANGE
    form_class = None
    done = ""

    def post(self, request, pk):
        contract = _editable(request.user, pk)
        form = self.form_class(request.POST)
        if not form.is_valid():
            show_form_errors(request, form)
            return redirect(contract.get_absolute_url())
        with refusals_shown(request):
            self.perform(contract, form.cleaned_data)
            messages.success(request, str(self.done))
        return redirect(contract.get_absolute_url())


class ContractRecordFiling(_ContractAction):
    form_class = FilingForm
    done = gettext_lazy("Filing recorded.")

    def perform(self, contract, data):
        services.contract_record_filing(by=self.request.user, contract=contract, **data)


class ContractRecordObjection(_ContractAction):
    form_class = ObjectionForm
    done = gettext_lazy("The bureau's objection is recorded.")

    def perform(self, contract, data):
        services.contract_record_objection(by=self.request.user, contract=contract, **data)


class ContractText(StaffPermissionMixin, View):
    """The contract's text, only for users who see the contract (404 otherwise)."""

    permission_required = VIEW

    def get(self, request, pk):
        contract = get_object_or_404(CollectiveContract.objects.for_user(request.user), pk=pk)
        if not contract.text:
            return render(
                request,
                "contracts/text_missing.html",
                {"title": _("Contract text missing"), "object": contract},
                status=404,
            )
        try:
            handle = contract.text.open("rb")
        except FileNotFoundError:
            return render(
                request,
                "contracts/text_missing.html",
                {"title": _("Contract text missing"), "object": contract},
                status=410,
            )
        return FileResponse(
            handle, as_attachment=True, filename=contract.text_name, content_type=contract.text_type
        )


class ContractCoverage(StaffPermissionMixin, View):
    """The share of employers and of workers under a valid contract, in the user's scope."""

    permission_required = VIEW

    def get(self, request):
        report = selectors.coverage_report(request.user)
        return render(
            request,
            "contracts/coverage.html",
            {
                "title": _("Collective contract coverage"),
                "report": report,
                "tables": [
                    (_("By township or street"), report.townships, True),
                    (_("By industry (GB/T 4754 sections)"), report.industries, True),
                    (_("The eight groups of new-employment-form workers"), report.groups, False),
                ],
            },
        )
