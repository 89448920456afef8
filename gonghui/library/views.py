"""Console pages of the reading rooms: thin, every record through the scope rule."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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
)
from gonghui.portal import membership

from . import imports, selectors, services
from .forms import BookForm, CardForm, CatalogueSearchForm, ImportForm, LoanFilterForm, RoomForm
from .models import Book, Loan, ReadingRoom

VIEW_ROOM = "library.view_readingroom"
ADD_ROOM = "library.add_readingroom"
CHANGE_ROOM = "library.change_readingroom"
VIEW_BOOK = "library.view_book"
ADD_BOOK = "library.add_book"
CHANGE_BOOK = "library.change_book"
VIEW_LOAN = "library.view_loan"
ADD_LOAN = "library.add_loan"
CHANGE_LOAN = "library.change_loan"
#: Matches a catalogue search counts before saying "more than".
CATALOGUE_COUNT_CAP = 500


def _room(user, pk) -> ReadingRoom:
    return get_object_or_404(
        ReadingRoom.objects.for_user(user).select_related("organisation"), pk=pk
    )


class RoomList(ObjectListView):
    model = ReadingRoom
    permission_required = VIEW_ROOM
    title = gettext_lazy("Reading rooms")
    columns = [
        Column("name", gettext_lazy("name"), link=True),
        Column("organisation.name", gettext_lazy("organisation")),
        Column("location", gettext_lazy("location")),
        Column("opening_hours", gettext_lazy("opening hours")),
        Column("keeper_label", gettext_lazy("keeper")),
        Column("level", gettext_lazy("demonstration level")),
    ]
    search_fields = ("name__icontains", "location__icontains")
    create_url_name = "library:room-create"
    create_permission = ADD_ROOM
    export_stem = "reading-rooms"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "keeper")


class RoomDetail(ObjectDetailView):
    model = ReadingRoom
    permission_required = VIEW_ROOM
    template_name = "library/room_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "keeper")

    def get_context_data(self, **kwargs):
        room = self.object
        form = CatalogueSearchForm(self.request.GET or None)
        term = form.cleaned_data["q"] if form.is_valid() else ""
        books = selectors.catalogue(self.request.user, term, room=room)
        return super().get_context_data(
            title=room.name,
            search_form=form,
            q=term,
            books=books[:100],
            book_count=books.count(),
            open_loans=Loan.objects.for_user(self.request.user)
            .open()
            .filter(book__room=room)
            .count(),
            **kwargs,
        )


class RoomCreate(ServiceFormView):
    permission_required = ADD_ROOM
    form_class = RoomForm
    title = gettext_lazy("New reading room")

    form_takes_user = True

    def perform(self, form):
        room = services.room_create(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Reading room recorded."))
        return room


class RoomUpdate(RecordFormView):
    permission_required = CHANGE_ROOM
    form_class = RoomForm

    def get_object(self):
        return _room(self.request.user, self.kwargs["pk"])

    form_takes_user = True

    def perform(self, form):
        room = services.room_update(by=self.request.user, room=self.object, **form.cleaned_data)
        messages.success(self.request, _("Changes saved."))
        return room


class BookList(ObjectListView):
    """The catalogue of every room in scope, searched by title, author or ISBN."""

    model = Book
    permission_required = VIEW_BOOK
    title = gettext_lazy("Book catalogue")
    columns = [
        Column("title", gettext_lazy("title"), link=True),
        Column("author", gettext_lazy("author")),
        Column("publisher", gettext_lazy("publisher")),
        Column("isbn_display", gettext_lazy("ISBN")),
        Column("room.name", gettext_lazy("reading room")),
        Column("copies", gettext_lazy("copies")),
        Column("available", gettext_lazy("available")),
    ]
    search_fields = ("title",)  # the search itself is ``selectors.catalogue``
    count_cap = CATALOGUE_COUNT_CAP
    export_stem = "book-catalogue"

    def apply_search(self, queryset, term):
        return selectors.catalogue_search(queryset, term)

    def get_queryset(self):
        return super().get_queryset().select_related("room").order_by("-pk")


class BookDetail(ObjectDetailView):
    model = Book
    permission_required = VIEW_BOOK
    template_name = "library/book_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("room", "room__organisation")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.object.title,
            open_loans=self.object.loans.open().select_related("person").order_by("due_on"),
            today=timezone.localdate(),
            **kwargs,
        )


class BookCreate(ServiceFormView):
    permission_required = ADD_BOOK
    form_class = BookForm
    title = gettext_lazy("New book")

    def get_object(self):
        self.room = _room(self.request.user, self.kwargs["pk"])
        return None

    def perform(self, form):
        book = services.book_create(by=self.request.user, room=self.room, **form.cleaned_data)
        messages.success(self.request, _("Book added to the catalogue."))
        return book


class BookUpdate(RecordFormView):
    permission_required = CHANGE_BOOK
    form_class = BookForm

    def get_object(self):
        return get_object_or_404(Book.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def perform(self, form):
        book = services.book_update(by=self.request.user, book=self.object, **form.cleaned_data)
        messages.success(self.request, _("Changes saved."))
        return book


class BookImport(StaffPermissionMixin, View):
    """A room's books from a spreadsheet: every row checked, all written or none."""

    permission_required = ADD_BOOK
    template_name = "library/book_import.html"

    def _render(self, request, room, form, report=None):
        title = _("Load books into %(room)s") % {"room": room}
        context = {"title": title, "room": room, "form": form, "report": report}
        return render(request, self.template_name, context)

    def get(self, request, pk):
        return self._render(request, _room(request.user, pk), ImportForm())

    def post(self, request, pk):
        room = _room(request.user, pk)
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, room, form)
        report = imports.books_import(by=request.user, room=room, upload=form.cleaned_data["file"])
        if report.written:
            messages.success(request, _("%(n)d books loaded.") % {"n": report.written})
        return self._render(request, room, ImportForm(), report)


class LoanList(ObjectListView):
    model = Loan
    permission_required = VIEW_LOAN
    title = gettext_lazy("Book loans")
    table_template_name = "library/_loan_table.html"
    columns = [
        Column("book.title", gettext_lazy("book")),
        Column("book.room.name", gettext_lazy("reading room")),
        Column("person.name", gettext_lazy("borrower")),
        Column("lent_on", gettext_lazy("lent on")),
        Column("due_on", gettext_lazy("due on")),
        Column("returned_on", gettext_lazy("returned on")),
    ]
    search_fields = ("book__title__contains", "person__name__startswith")
    filter_form_class = LoanFilterForm
    export_stem = "book-loans"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("book", "book__room", "person")
            .order_by("returned_on", "due_on", "-pk")
        )


class LoanLend(StaffPermissionMixin, View):
    """The keeper's desk: the member's card (scanned by ``/scan/``'s reader, or typed)
    names the borrower within the keeper's scope (``membership.card_check``); then the
    book, by ISBN or title among the room's, is lent."""

    permission_required = ADD_LOAN
    template_name = "library/loan_lend.html"

    def _render(self, request, room, form, **context):
        context = {
            "title": _("Lend a book at %(room)s") % {"room": room},
            "room": room,
            "form": form,
            "results": membership.CardCheck,
            **context,
        }
        if "checked" in context:
            context["checked_label"] = membership.CardCheck(context["checked"].result).label
        return render(request, self.template_name, context)

    def get(self, request, pk):
        return self._render(request, _room(request.user, pk), CardForm())

    def post(self, request, pk):
        room = _room(request.user, pk)
        form = CardForm(request.POST)
        if not form.is_valid():
            return self._render(request, room, form)
        data = form.cleaned_data
        checked = membership.card_check(by=request.user, token=data["token"])
        if checked.result != membership.CardCheck.VALID:
            return self._render(request, room, CardForm(), checked=checked)
        person = checked.person
        books = Book.objects.for_user(request.user).filter(room=room)
        chosen = books.filter(pk=data["book"]).first() if data.get("book") else None
        matches = []
        if chosen is None and data.get("q"):
            matches = list(selectors.catalogue(request.user, data["q"], room=room)[:20])
            if len(matches) == 1:
                chosen = matches[0]
        if chosen is None:
            return self._render(
                request,
                room,
                CardForm(initial={"token": data["token"], "q": data.get("q", "")}),
                checked=checked,
                person=person,
                matches=matches,
                searched=bool(data.get("q")),
            )
        try:
            loan = services.loan_create(by=request.user, book=chosen, person=person)
        except (ValidationError, PermissionDenied) as exc:
            problem = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            return self._render(
                request,
                room,
                CardForm(initial={"token": data["token"]}),
                checked=checked,
                person=person,
                problem=problem,
            )
        messages.success(
            request,
            _("《%(book)s》 lent to %(name)s, due back on %(day)s.")
            % {"book": chosen, "name": person.name, "day": loan.due_on.isoformat()},
        )
        return redirect("library:room-lend", pk=room.pk)


class LoanReturn(StaffPermissionMixin, View):
    """POST: the copy of a loan comes back (from the loan list or the book's page)."""

    permission_required = CHANGE_LOAN

    def post(self, request, pk):
        loan = get_object_or_404(Loan.objects.for_user(request.user).select_related("book"), pk=pk)
        with refusals_shown(request):
            services.loan_return(by=request.user, loan=loan)
            messages.success(request, _("《%(book)s》 returned.") % {"book": loan.book})
        return redirect(_next(request) or loan.book.get_absolute_url())


class BookReturn(StaffPermissionMixin, View):
    """POST: a book handed back at the desk, found by the book (its one open loan)."""

    permission_required = CHANGE_LOAN

    def post(self, request, pk):
        book = get_object_or_404(Book.objects.for_user(request.user), pk=pk)
        with refusals_shown(request):
            services.book_return(by=request.user, book=book)
            messages.success(request, _("《%(book)s》 returned.") % {"book": book})
        return redirect(book.get_absolute_url())


def _next(request) -> str:
    """A return address on this site only (the loan list with its filters)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return ""
