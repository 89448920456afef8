"""Reads of the reading rooms: the catalogue search, a worker's loans, the rooms near
a worker.

The catalogue is searched by a word of the title or the author (anywhere in them:
Chinese has no word breaks), or by ISBN, with or without hyphens, 10 or 13 digits
(an ISBN-10 is found as the ISBN-13 it is stored as). Figures at 200,000 books:
``bench/library_search.py``.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from gonghui.people.models import Person

from .isbns import isbn_term
from .models import Book, BookGram, Loan, ReadingRoom


def catalogue_search(books: QuerySet, term: str, *, one_room: bool = False) -> QuerySet:
    """``books`` (already scoped) whose title or author holds ``term``, or whose ISBN it is.

    Across rooms the pieces of the term find the books (``_grams_q``); in ``one_room``
    its books (hundreds, from the room's index) are simply read and compared.
    """
    term = " ".join(term.split())
    if not term:
        return books
    number = isbn_term(term)
    if number is not None:
        return books.filter(isbn=number)
    holds = Q(title__icontains=term) | Q(author__icontains=term)
    if one_room:
        return books.filter(holds)
    return books.filter(_grams_q(term.lower())).filter(holds)


#: The pieces of a term weighed to find its rarest (a longer term is looked up by these).
MAX_GRAMS = 8
#: Books counted per piece when weighing it: past this, a piece is simply common.
GRAM_COUNT_CAP = 2000


def _grams_q(term: str) -> Q:
    """Books holding the rarest two-character piece of ``term`` (``models.BookGram``);
    for one character, the pieces beginning with it. The whole term is then compared
    on those books only.

    Each piece is weighed by counting its books in the index (under a millisecond,
    at most ``GRAM_COUNT_CAP``): 工匠精神's middle piece 匠精 is in 235 books of
    200,000 where 工匠 is in 15,000, and reading 235 books instead of 15,000 is
    2 ms instead of 20 (intersecting the pieces' lists costs as much as reading the
    longest: ``bench/library_search.py``).
    """
    if len(term) == 1:
        following = chr(ord(term) + 1)
        rows = BookGram.objects.filter(gram__gte=term, gram__lt=following)
        return Q(pk__in=rows.values("book_id"))
    pieces = sorted({term[i : i + 2] for i in range(len(term) - 1)})[:MAX_GRAMS]
    if len(pieces) == 1:
        rarest = pieces[0]
    else:
        rarest = min(
            pieces,
            key=lambda piece: BookGram.objects.filter(gram=piece)[:GRAM_COUNT_CAP].count(),
        )
    return Q(pk__in=BookGram.objects.filter(gram=rarest).values("book_id"))


def catalogue(user, term: str = "", room: ReadingRoom | None = None) -> QuerySet:
    """The books ``user`` sees (of ``room`` only, if given), searched by ``term``.

    A room's catalogue is in title order (its index); across rooms the newest books
    come first, read backwards from the matches (or the table) until a page is full:
    title order would sort every match of a common word first (55 ms against 11 ms
    for 工匠 at 200,000 books).
    """
    books = Book.objects.for_user(user)
    if room is not None:
        books = books.filter(room=room)
    found = catalogue_search(books, term, one_room=room is not None).select_related("room")
    return found.order_by("title", "pk") if room is not None else found.order_by("-pk")


def loans_of(person_loans: QuerySet) -> QuerySet:
    """A worker's loans (``mine()`` already applied), open ones first, then newest."""
    return person_loans.select_related("book", "book__room").order_by(
        "returned_on", "due_on", "-pk"
    )


def rooms_near(person: Person) -> QuerySet:
    """The rooms a worker may visit: those of the organisations above their union (the
    township's, the county's) and every room in their township, their own union's
    first; none for a worker of no union and no employer."""
    from django.db.models import Case, IntegerField, Value, When

    from gonghui.core.scope import SEGMENT_WIDTH, subtree_q

    union = person.current_union
    if union is None and person.employer_id:
        union = person.employer.township
    if union is None:
        return ReadingRoom.objects.none()
    path = union.path
    ancestors = [path[:end] for end in range(SEGMENT_WIDTH, len(path) + 1, SEGMENT_WIDTH)]
    # The township is the second level of the tree (the county's children).
    township_path = path[: 2 * SEGMENT_WIDTH] if len(path) >= 2 * SEGMENT_WIDTH else path
    return (
        ReadingRoom.objects.filter(
            Q(organisation__path__in=ancestors) | subtree_q(township_path, "organisation")
        )
        .select_related("organisation")
        .annotate(
            own=Case(
                When(organisation=union, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("own", "organisation__path", "name", "pk")
    )


def overdue_loans(user) -> QuerySet:
    return Loan.objects.for_user(user).overdue().select_related("book", "book__room", "person")
