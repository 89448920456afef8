"""Every change in the reading rooms: rooms, books, loans and returns.

Each runs in one transaction, checks that the acting user may make it and that
the record lies in their subtree, and leaves nothing half-written.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.scope import is_in_scope
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person

from .isbns import isbn_normalise
from .models import Book, BookGram, Loan, ReadingRoom, RoomLevel, grams_of, loan_days


def books_index(books) -> None:
    """(Re)write the search pieces of ``books`` (``models.BookGram``), in one delete and
    one insert: every writer of a title or an author calls it in its transaction."""
    books = list(books)
    BookGram.objects.filter(book__in=[book.pk for book in books]).delete()
    BookGram.objects.bulk_create(
        (
            BookGram(book_id=book.pk, gram=gram)
            for book in books
            for gram in grams_of(book.title, book.author)
        ),
        batch_size=5000,
    )


def _require(by, permission: str) -> None:
    if not by.has_perm(permission):
        raise PermissionDenied(_("You do not have the right to do this."))


def _require_in_scope(by, organisation: Organisation) -> None:
    if not is_in_scope(by, organisation):
        raise PermissionDenied(_("This organisation is outside yours."))


def _check_keeper(by, keeper) -> None:
    if keeper is not None and not (keeper.organisation_id and is_in_scope(by, keeper.organisation)):
        raise ValidationError({"keeper": _("Choose a staff account in your scope.")})


@transaction.atomic
def room_create(
    *,
    by,
    organisation: Organisation,
    name: str,
    location: str,
    opening_hours: str = "",
    keeper=None,
    keeper_name: str = "",
    level: str = RoomLevel.NONE,
) -> ReadingRoom:
    _require(by, "library.add_readingroom")
    _require_in_scope(by, organisation)
    _check_keeper(by, keeper)
    room = ReadingRoom(
        organisation=organisation,
        name=name.strip(),
        location=location.strip(),
        opening_hours=opening_hours.strip(),
        keeper=keeper,
        keeper_name=keeper_name.strip(),
        level=level or RoomLevel.NONE,
    )
    room.full_clean()
    room.save()
    return room


@transaction.atomic
def room_update(*, by, room: ReadingRoom, **changes) -> ReadingRoom:
    _require(by, "library.change_readingroom")
    _require_in_scope(by, room.organisation)
    if "organisation" in changes:
        _require_in_scope(by, changes["organisation"])
    if "keeper" in changes:
        _check_keeper(by, changes["keeper"])
    for field, value in changes.items():
        setattr(room, field, value.strip() if isinstance(value, str) else value)
    room.full_clean()
    room.save()
    return room


def _check_book_fields(*, room: ReadingRoom, title: str, isbn: str, copies: int, pk=None) -> str:
    errors = {}
    if not (title or "").strip():
        errors["title"] = _("Give the book's title.")
    try:
        number = isbn_normalise(isbn)
    except ValidationError as exc:
        errors["isbn"] = exc.messages
        number = ""
    if copies is None or copies < 1:
        errors["copies"] = _("A book has at least one copy.")
    if number and Book.objects.filter(room=room, isbn=number).exclude(pk=pk).exists():
        errors["isbn"] = _(
            "The room already holds a book with this ISBN: change its copies instead."
        )
    if errors:
        raise ValidationError(errors)
    return number


@transaction.atomic
def book_create(
    *,
    by,
    room: ReadingRoom,
    title: str,
    author: str = "",
    publisher: str = "",
    isbn: str = "",
    copies: int = 1,
) -> Book:
    _require(by, "library.add_book")
    _require_in_scope(by, room.organisation)
    number = _check_book_fields(room=room, title=title, isbn=isbn, copies=copies)
    book = Book.objects.create(
        room=room,
        title=title.strip(),
        author=(author or "").strip(),
        publisher=(publisher or "").strip(),
        isbn=number,
        copies=copies,
    )
    books_index([book])
    return book


@transaction.atomic
def book_update(
    *,
    by,
    book: Book,
    title: str,
    author: str = "",
    publisher: str = "",
    isbn: str = "",
    copies: int = 1,
) -> Book:
    _require(by, "library.change_book")
    book = Book.objects.select_for_update().select_related("room__organisation").get(pk=book.pk)
    _require_in_scope(by, book.room.organisation)
    number = _check_book_fields(room=book.room, title=title, isbn=isbn, copies=copies, pk=book.pk)
    if copies < book.on_loan:
        raise ValidationError(
            {
                "copies": _("%(n)d copies are out on loan: the room cannot hold fewer.")
                % {"n": book.on_loan}
            }
        )
    book.title, book.author, book.publisher = title.strip(), author.strip(), publisher.strip()
    book.isbn, book.copies = number, copies
    book.save()
    books_index([book])
    return book


@transaction.atomic
def loan_create(
    *, by, book: Book, person: Person, today: datetime.date | None = None, days: int | None = None
) -> Loan:
    """Lend one copy of ``book`` to ``person`` (whose card the keeper has checked).

    The book's row is locked and its count of copies out raised in the same
    statement the database checks against the copies held: of two keepers lending
    the last copy at once, one is told it is already out.
    """
    _require(by, "library.add_loan")
    today = today or timezone.localdate()
    book = Book.objects.select_for_update().select_related("room__organisation").get(pk=book.pk)
    _require_in_scope(by, book.room.organisation)
    if not Person.objects.for_user(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This worker is outside your organisation."))
    if book.on_loan >= book.copies:
        raise ValidationError(_("《%(title)s》 is already out: no copy is left.") % {"title": book})
    if Loan.objects.open().filter(book=book, person=person).exists():
        raise ValidationError(_("This worker already has this book out."))
    try:
        with transaction.atomic():
            Book.objects.filter(pk=book.pk).update(on_loan=F("on_loan") + 1)
            loan = Loan.objects.create(
                book=book,
                person=person,
                lent_on=today,
                due_on=today + datetime.timedelta(days=days or loan_days()),
                lent_by=by,
            )
    except IntegrityError:
        raise ValidationError(
            _("《%(title)s》 is already out: no copy is left.") % {"title": book}
        ) from None
    return loan


@transaction.atomic
def loan_return(*, by, loan: Loan, today: datetime.date | None = None) -> Loan:
    """Record the return of ``loan``'s copy; a loan already returned is refused."""
    _require(by, "library.change_loan")
    today = today or timezone.localdate()
    loan = (
        Loan.objects.select_for_update().select_related("book__room__organisation").get(pk=loan.pk)
    )
    _require_in_scope(by, loan.book.room.organisation)
    if loan.returned_on is not None:
        raise ValidationError(
            _("This loan was already returned on %(day)s.") % {"day": loan.returned_on}
        )
    loan.returned_on = max(today, loan.lent_on)
    loan.returned_to = by
    loan.save(update_fields=["returned_on", "returned_to"])
    Book.objects.filter(pk=loan.book_id).update(on_loan=F("on_loan") - 1)
    return loan


def book_return(
    *, by, book: Book, person: Person | None = None, today: datetime.date | None = None
) -> Loan:
    """The return of ``book`` handed back at the desk: its one open loan (``person``'s,
    when several copies are out). A book that is not out is refused."""
    _require(by, "library.change_loan")
    open_loans = Loan.objects.for_user(by).open().filter(book=book)
    if person is not None:
        open_loans = open_loans.filter(person=person)
    loans = list(open_loans[:2])
    if not loans:
        raise ValidationError(
            _("《%(title)s》 is not lent out: there is nothing to return.") % {"title": book}
        )
    if len(loans) > 1:
        raise ValidationError(
            _("Several copies of 《%(title)s》 are out: choose the borrower's loan.")
            % {"title": book}
        )
    return loan_return(by=by, loan=loans[0], today=today)
