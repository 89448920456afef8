from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.scope import is_in_scope
from gonghui.core.views import (
    Column,
    ObjectDetailView,
    ObjectListView,
    ServiceFormView,
    StaffPermissionMixin,
    show_refusal,
)

from . import services
from .forms import (
    EmployerFilterForm,
    EmployerForm,
    OrganisationFilterForm,
    OrganisationForm,
    OrganisationMoveForm,
)
from .models import Employer, Organisation
from .sections import render_employer_sections, render_organisation_sections


class OrganisationList(ObjectListView):
    model = Organisation
    permission_required = "orgs.view_organisation"
    title = gettext_lazy("Organisations")
    columns = [
        Column("code", gettext_lazy("code")),
        Column("name", gettext_lazy("name"), link=True),
        Column("kind", gettext_lazy("kind")),
        Column("parent.name", gettext_lazy("parent organisation")),
        Column("credit_code", gettext_lazy("credit code")),
    ]
    search_fields = ("name__icontains", "code__iexact", "credit_code__iexact")
    filter_form_class = OrganisationFilterForm
    create_url_name = "orgs:organisation-create"
    create_permission = "orgs.add_organisation"
    export_stem = "organisations"

    def get_queryset(self):
        return super().get_queryset().select_related("parent")


class OrganisationDetail(ObjectDetailView):
    model = Organisation
    permission_required = "orgs.view_organisation"
    template_name = "orgs/organisation_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org = self.object
        context.update(
            title=org.name,
            # Ancestors above the user's scope are named but not linked (they would 404).
            ancestors=[(a, is_in_scope(self.request.user, a)) for a in org.ancestors()],
            parent_linked=is_in_scope(self.request.user, org.parent),
            children=org.children.order_by("kind", "name"),
            employers_count=Employer.objects.filter(union=org).count()
            + (Employer.objects.filter(township=org).count() if org.kind == "township" else 0),
            sections=render_organisation_sections(org, self.request),
        )
        return context


class OrganisationCreate(ServiceFormView):
    permission_required = "orgs.add_organisation"
    form_class = OrganisationForm
    title = gettext_lazy("New organisation")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        parent = self.request.GET.get("parent")
        if parent and parent.isdigit():
            kwargs.setdefault("initial", {})["parent"] = parent
        return kwargs

    def perform(self, form):
        org = services.organisation_create(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Organisation “%(name)s” created.") % {"name": org})
        return org


class OrganisationUpdate(ServiceFormView):
    permission_required = "orgs.change_organisation"
    form_class = OrganisationForm

    def get_object(self):
        return get_object_or_404(
            Organisation.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object}, **kwargs)

    def perform(self, form):
        org = services.organisation_update(
            by=self.request.user, organisation=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Changes saved."))
        return org


class OrganisationMove(ServiceFormView):
    permission_required = "orgs.move_organisation"
    form_class = OrganisationMoveForm

    def get_object(self):
        return get_object_or_404(
            Organisation.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "organisation": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Move %(name)s") % {"name": self.object}, **kwargs)

    def perform(self, form):
        org = services.organisation_move(
            by=self.request.user, organisation=self.object, new_parent=form.cleaned_data["parent"]
        )
        messages.success(self.request, _("Organisation moved."))
        return org


class ScopedDeleteView(StaffPermissionMixin, View):
    """POST only: delete through a service; a refusal is shown on the record's page."""

    model = None
    service = None
    success_url_name = ""

    def post(self, request, pk):
        obj = get_object_or_404(self.model.objects.for_user(request.user), pk=pk)
        try:
            self.delete(obj)
        except ValidationError as exc:
            show_refusal(request, exc)
            return redirect(obj.get_absolute_url())
        messages.success(request, _("“%(name)s” deleted.") % {"name": obj})
        return redirect(self.success_url_name)


class OrganisationDelete(ScopedDeleteView):
    model = Organisation
    permission_required = "orgs.delete_organisation"
    success_url_name = "orgs:organisation-list"

    def delete(self, obj):
        services.organisation_delete(by=self.request.user, organisation=obj)


class EmployerList(ObjectListView):
    model = Employer
    permission_required = "orgs.view_employer"
    title = gettext_lazy("Employers")
    columns = [
        Column("name", gettext_lazy("name"), link=True),
        Column("credit_code", gettext_lazy("credit code")),
        Column("industry", gettext_lazy("industry")),
        Column("ownership", gettext_lazy("ownership")),
        Column("employee_count", gettext_lazy("employees")),
        Column("township.name", gettext_lazy("township / street")),
        Column("union.name", gettext_lazy("covering union")),
    ]
    search_fields = ("name__icontains", "credit_code__iexact")
    filter_form_class = EmployerFilterForm
    create_url_name = "orgs:employer-create"
    create_permission = "orgs.add_employer"
    export_stem = "employers"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "union")


class EmployerDetail(ObjectDetailView):
    model = Employer
    permission_required = "orgs.view_employer"
    template_name = "orgs/employer_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.object.name,
            sections=render_employer_sections(self.object, self.request),
            **kwargs,
        )


class EmployerCreate(ServiceFormView):
    permission_required = "orgs.add_employer"
    form_class = EmployerForm
    title = gettext_lazy("New employer")

    form_takes_user = True

    def perform(self, form):
        employer = services.employer_create(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Employer “%(name)s” registered.") % {"name": employer})
        return employer


class EmployerUpdate(ServiceFormView):
    permission_required = "orgs.change_employer"
    form_class = EmployerForm

    def get_object(self):
        return get_object_or_404(Employer.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object}, **kwargs)

    def perform(self, form):
        employer = services.employer_update(
            by=self.request.user, employer=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Changes saved."))
        return employer


class EmployerDelete(ScopedDeleteView):
    model = Employer
    permission_required = "orgs.delete_employer"
    success_url_name = "orgs:employer-list"

    def delete(self, obj):
        services.employer_delete(by=self.request.user, employer=obj)
