"""Generic console views that every app's pages are built from.

Each one reaches records only through ``Model.objects.for_user(user)`` (the
scope rule, ``core.scope``): a record outside the user's subtree is a 404 for
the list, the search, the detail page, the edit page and the export alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db.models import Model, Q, QuerySet
from django.forms.models import model_to_dict
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import DetailView, ListView
from django.views.generic.edit import FormView

from . import exports
from .audit import history_for
from .labels import labelled
from .scope import ScopedQuerySet
from .todo import todo_for


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


# --- A console action's refusals, for the page it redirects to ------------------------------
#
# A POST-only action (approve, cancel, return a book) calls one service and redirects;
# the service's refusal must reach the user on the page they land on, as Django's
# messages, with nothing written.


def show_refusal(request, exc: ValidationError) -> None:
    """Each message of a service's refusal, shown to the user as an error."""
    for message in exc.messages:
        messages.error(request, message)


def form_refusal(form: forms.Form) -> ValidationError:
    """A bound form that failed, as one refusal holding each of its errors: raised in
    a ``refusals_shown`` block, it ends the block as a service's refusal would."""
    return ValidationError([message for errors in form.errors.values() for message in errors])


def show_form_errors(request, form: forms.Form) -> None:
    """Each error of a bound form that failed, shown to the user as an error."""
    show_refusal(request, form_refusal(form))


@contextmanager
def refusals_shown(request) -> Iterator[None]:
    """Run an action's service call and what follows its success: a ValidationError
    raised in the block ends it there, and its messages are shown (``show_refusal``).

        with refusals_shown(request):
            services.loan_return(by=request.user, loan=loan)
            messages.success(request, _("Returned."))
        return redirect(...)
    """
    try:
        yield
    except ValidationError as exc:
        show_refusal(request, exc)


def resolve(obj: Any, accessor: str) -> Any:
    """Follow a dotted accessor ("township.name"); a ``get_x_display`` is used for choices."""
    value = obj
    for part in accessor.split("."):
        if value is None:
            return None
        display = getattr(value, f"get_{part}_display", None)
        value = display() if callable(display) else getattr(value, part)
        if callable(value):
            value = value()
    return value


@dataclass(frozen=True)
class Column:
    """One column of a list page and of its Excel export."""

    accessor: str
    label: Any
    link: bool = False  # the cell links to the record's detail page

    def value(self, obj: Any) -> Any:
        return resolve(obj, self.accessor)


def chosen_display(field: forms.Field, value: Any) -> str:
    """A filter's cleaned ``value`` as the form shows it: a choice by its label,
    a record by its name, a date in the interface's format."""
    if isinstance(value, list | tuple | set | QuerySet):
        return pgettext("list separator", ", ").join(chosen_display(field, v) for v in value)
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(field, forms.ChoiceField):
        for key, label in field.choices:
            options = label if isinstance(label, list | tuple) else [(key, label)]
            for option_key, option_label in options:
                if str(option_key) == str(value):
                    return str(option_label)
    return str(value)


#: Lists that opt in count their rows up to this many and then say "more than".
COUNT_CAP = 5000


class CappedPaginator(Paginator):
    """A paginator that counts at most ``cap`` rows.

    Counting every match of a broad search (a surname alone matches tens of
    thousands of people in a county) costs more than finding the page shown.
    Below the cap the count is exact; past it ``capped`` is true, the count
    is only known to be larger than the cap, and pages are found by walking
    forwards: each page reads one row more than it shows to know whether
    another page follows, so no page number past the known ones is invented.
    """

    def __init__(self, *args, cap: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        """Rows up to ``cap + 1``: more than ``cap`` means the list is capped.

        Counted without the list's order: a search over several indexes cannot read
        its matches in order, and the database would sort them all to count them.
        """
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap

    def validate_number(self, number):
        if not self.capped:
            return super().validate_number(number)
        try:
            if isinstance(number, float) and not number.is_integer():
                raise ValueError
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(self.error_messages["invalid_page"]) from None
        if number < 1:
            raise EmptyPage(self.error_messages["min_page"])
        return number

    def page(self, number):
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if not rows and number > 1:
            raise EmptyPage(self.error_messages["no_results"])
        return CappedPage(rows[: self.per_page], number, self, has_next=len(rows) > self.per_page)


class CappedPage(Page):
    """A page of a capped list: whether a next page exists is read, not computed."""

    def __init__(self, object_list, number, paginator, *, has_next: bool):
        super().__init__(object_list, number, paginator)
        self._has_next = has_next

    def has_next(self) -> bool:
        return self._has_next

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class ScopedQuerysetMixin:
    """Every record a view touches comes from the scoped queryset."""

    model: Any = None

    def get_queryset(self) -> QuerySet:
        return self.model.objects.for_user(self.request.user)


class StaffPermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Signed in, and holding the permission the page needs."""

    raise_exception = True

    def handle_no_permission(self):
        # ``raise_exception`` is for signed-in users only: a visitor is sent to sign in.
        if not self.request.user.is_authenticated:
            return redirect_to_login(
                self.request.get_full_path(), self.get_login_url(), self.get_redirect_field_name()
            )
        return super().handle_no_permission()


class ObjectListView(StaffPermissionMixin, ScopedQuerysetMixin, ListView):
    """A scoped list with search, filters, pagination, htmx refresh and Excel export.

    Subclasses set ``model``, ``permission_required``, ``columns``,
    ``search_fields`` and optionally ``filter_form_class`` (a form with a
    ``filter(queryset)`` method). A list that can hold many thousands of
    rows sets ``count_cap`` (e.g. ``COUNT_CAP``): it then counts no further
    than that and pages forwards past it (``CappedPaginator``).
    """

    template_name = "core/object_list.html"
    table_template_name = "core/_object_table.html"
    columns: list[Column] = []
    search_fields: tuple[str, ...] = ()
    filter_form_class = None
    title: Any = ""
    create_url_name: str | None = None
    create_permission: str | None = None
    export_stem = "export"
    paginate_by = settings.PAGE_SIZE
    count_cap: int | None = None

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        if self.count_cap is None:
            return super().get_paginator(
                queryset, per_page, orphans, allow_empty_first_page, **kwargs
            )
        # No orphans: the last page of a capped list is not known in advance.
        return CappedPaginator(
            queryset, per_page, 0, allow_empty_first_page, cap=self.count_cap, **kwargs
        )

    @classmethod
    def for_query(cls, user, query: str) -> ObjectListView:
        """The list as ``user`` sees it with the query string ``query`` (search and
        filters), for work done outside the request that showed it: a background
        export, or an action on every row that matches."""
        request = HttpRequest()
        request.GET = QueryDict(query)
        request.user = user
        view = cls()
        view.setup(request)
        view.filter_form = view.get_filter_form()
        return view

    def get_filter_form(self):
        if self.filter_form_class is None:
            return None
        return self.filter_form_class(self.request.GET or None, user=self.request.user)

    def search_query(self) -> str:
        return self.request.GET.get("q", "").strip()[:100]

    def apply_search(self, queryset: QuerySet, term: str) -> QuerySet:
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{field: term})
        return queryset.filter(condition)

    @cached_property
    def within_organisation(self):
        """The organisation named by ``?within=<pk>``, whose subtree's rows alone the
        list then shows (an organisation page links its figures to the lists this
        way); None without one. Named outside the user's scope, or not a number: 404,
        as any record outside it. Only lists of records placed in the tree take it."""
        value = self.request.GET.get("within")
        if value is None or not isinstance(self.model.objects.none(), ScopedQuerySet):
            return None
        if not (value.isascii() and value.isdigit()) or len(value) > 18:
            raise Http404
        from gonghui.orgs.models import Organisation

        organisations = Organisation.objects.for_user(self.request.user)
        return get_object_or_404(organisations, pk=int(value))

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        within = self.within_organisation
        if within is not None:
            # The scope rule itself, asked of the organisation: what its own staff see.
            queryset = queryset.in_subtree(within)
        term = self.search_query()
        if term and self.search_fields:
            queryset = self.apply_search(queryset, term)
        form = self.filter_form
        if form is not None and form.is_valid():
            queryset = form.filter(queryset)
        return queryset

    def get(self, request, *args, **kwargs):
        self.filter_form = self.get_filter_form()
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export_rows(self, queryset: QuerySet):
        for obj in queryset.iterator(chunk_size=2000):
            yield [column.value(obj) for column in self.columns]

    def export_headers(self) -> list[str]:
        return [str(column.label) for column in self.columns]

    def export_filters(self) -> list[str]:
        """The search and the filters in force, in words: "label: chosen value"."""
        words = []
        within = self.within_organisation
        if within is not None:
            words.append(labelled(gettext("within"), within.name))
        term = self.search_query()
        if term and self.search_fields:
            words.append(labelled(gettext("search"), term))
        form = self.filter_form
        if form is not None and form.is_valid():
            for name, field in form.fields.items():
                value = form.cleaned_data.get(name)
                if value in (None, "", False) or value == [] or value == ():
                    continue
                words.append(labelled(field.label or name, chosen_display(field, value)))
        return words

    def export_title(self) -> str:
        """The title row of the export: the list, its search and filters, when and by whom."""
        filters = self.export_filters()
        return gettext("%(title)s — %(filters)s — exported %(time)s by %(user)s") % {
            "title": self.title,
            "filters": pgettext("list separator", "; ").join(filters)
            if filters
            else gettext("no search or filter"),
            "time": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
            "user": self.request.user.get_username(),
        }

    def export_write(self, target, queryset, *, rows=None, progress=None) -> int:
        """Write the export of ``queryset`` to ``target``: the same file whether
        written within the request or by a background job (``rows``: the rows
        read in slices)."""
        return exports.write_xlsx(
            target,
            self.export_headers(),
            self.export_rows(queryset) if rows is None else rows,
            sheet_title=str(self.title),
            title=self.export_title(),
            progress=progress,
        )

    def export(self) -> HttpResponse:
        from gonghui.jobs.services import export_start

        queryset = self.get_queryset()
        # Counting past the bound would only cost time: whether there are more is enough.
        if (
            queryset[: settings.EXPORT_INLINE_MAX_ROWS + 1].count()
            > settings.EXPORT_INLINE_MAX_ROWS
        ):
            job = export_start(view=self, by=self.request.user)
            from django.shortcuts import redirect

            return redirect("jobs:detail", pk=job.pk)
        response = HttpResponse(content_type=exports.XLSX_CONTENT_TYPE)
        filename = exports.xlsx_filename(self.export_stem)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        self.export_write(response, queryset)
        return response

    def get_template_names(self):
        if is_htmx(self.request) and self.request.headers.get("HX-Target") == "object-table":
            return [self.table_template_name]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            title=self.title,
            columns=self.columns,
            rows=[
                (obj, [(c.value(obj), c.link) for c in self.columns])
                for obj in context["object_list"]
            ],
            filter_form=self.filter_form,
            within=self.within_organisation,
            q=self.search_query(),
            querystring=query.urlencode(),
            # An htmx refresh of the table also brings the export link, carrying the query.
            export_link_oob=is_htmx(self.request),
            create_url_name=self.create_url_name
            if self.create_permission is None or self.request.user.has_perm(self.create_permission)
            else None,
            has_search=bool(self.search_fields),
        )
        return context


class ObjectDetailView(StaffPermissionMixin, ScopedQuerysetMixin, DetailView):
    """A scoped detail page; staff with the right also see the record's history."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.request.user.has_perm("auditlog.view_logentry"):
            context["history"] = history_for(self.object)
        return context


class ServiceFormView(StaffPermissionMixin, FormView):
    """A form whose valid data is handed to a service function.

    ``perform(form)`` calls the service and returns the saved object; a
    ValidationError from the service is shown on the form and nothing is saved.
    """

    template_name = "core/object_form.html"
    title: Any = ""
    object = None
    #: Whether the form is built with the signed-in user (``user=``), as forms whose
    #: choices or checks depend on the user's scope are.
    form_takes_user = False

    def get_object(self):
        """The scoped record the form is about (None for a new one).

        Loaded by ``get``/``post``, i.e. after the sign-in and permission checks
        of ``dispatch``: an anonymous visitor is sent to sign in and a user
        without the permission gets 403 before the scope decides on a 404.
        """
        return None

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            self.object = self.perform(form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
            return self.form_invalid(form)
        return super().form_valid(form)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.form_takes_user:
            kwargs["user"] = self.request.user
        return kwargs

    def perform(self, form):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    def get_success_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.title)
        context.setdefault("object", self.object)
        return context


class RecordFormView(ServiceFormView):
    """A form that edits one record (``get_object``): it opens showing the record.

    ``FormView`` always hands the form ``initial`` (``get_initial()``), so a form
    cannot fill in its own defaults from the record; the view does, through
    ``initial_from(record)``. A GET shows the stored values, and saving after
    changing one field keeps the others.
    """

    def get_initial(self):
        return {**super().get_initial(), **self.initial_from(self.object)}

    def get_context_data(self, **kwargs):
        # "Edit <the record>" unless the view names its page itself.
        if not self.title:
            kwargs.setdefault("title", _("Edit %(name)s") % {"name": self.object})
        return super().get_context_data(**kwargs)

    def initial_from(self, record) -> dict:
        """The stored value of every form field named like a field of ``record``
        (a foreign key as its id, a many-to-many as its rows). A view whose form
        names things differently, or must not show a stored value, overrides it."""
        return model_to_dict(record, fields=list(self.get_form_class().base_fields))


class HomeView(LoginRequiredMixin, View):
    """The reader's to-do list (``core.todo``): what waits for them, each with a link."""

    def get(self, request):
        waiting = [item for item in todo_for(request.user) if item.count]
        return render(request, "core/home.html", {"title": _("Home"), "waiting": waiting})


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # Rendered without the request: its context processors read the signed-in user, and
    # so the database, which may be what failed (core/tests/test_fault_drills.py).
    return HttpResponse(render_to_string("500.html"), status=500)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def bad_request(request, exception=None):
    return render(request, "400.html", status=400)
