"""Workers' reading rooms (职工书屋): the rooms, the books they hold and the loans.

A room belongs to one organisation (a union's premises or a workplace whose union
runs it) and is seen through that organisation's subtree (``core.scope``). A book
is seen where its room is, a loan where its book is.

How many copies of a book are out is stored on the book (``on_loan``) and kept by
the database between zero and the copies held, so that two keepers lending the
last copy at once cannot both succeed: the second update breaks the check and
its transaction is rolled back (``services.loan_create``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person

#: Days a book is lent for unless settings.LIBRARY_LOAN_DAYS says otherwise.
LOAN_DAYS = 30


def loan_days() -> int:
    return int(getattr(settings, "LIBRARY_LOAN_DAYS", LOAN_DAYS))


class RoomLevel(models.TextChoices):
    """The demonstration-site level a room has been named at (示范点), if any."""

    NONE = "", _("Not a demonstration site")
    NATIONAL = "national", _("National demonstration site")
    PROVINCIAL = "provincial", _("Provincial demonstration site")
    MUNICIPAL = "municipal", _("Municipal demonstration site")
    COUNTY = "county", _("County demonstration site")


class RoomQuerySet(ScopedQuerySet):
    scope_fields = ("organisation",)


class ReadingRoom(models.Model):
    """A reading room run by ``organisation``; its keeper is a staff account or a
    person named in words (a volunteer without an account)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="reading_rooms",
    )
    name = models.CharField(_("name"), max_length=100)
    location = models.CharField(_("location"), max_length=200)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    keeper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("keeper (staff account)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reading_rooms_kept",
    )
    keeper_name = models.CharField(_("keeper's name"), max_length=50, blank=True)
    level = models.CharField(
        _("demonstration level"), max_length=12, choices=RoomLevel.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("reading room")
        verbose_name_plural = _("reading rooms")
        ordering = ["organisation__path", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"],
                name="library_room_name_once",
                violation_error_message=_("The organisation already has a room of this name."),
            ),
            models.CheckConstraint(
                condition=Q(level__in=RoomLevel.values),
                name="library_room_level_known",
                violation_error_message=_("Choose a demonstration level from the list."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("library:room-detail", args=[self.pk])

    @property
    def keeper_label(self) -> str:
        if self.keeper_id:
            return self.keeper.get_full_name() or self.keeper.get_username()
        return self.keeper_name


class BookQuerySet(ScopedQuerySet):
    scope_fields = ("room__organisation",)

    def available(self):
        return self.filter(on_loan__lt=F("copies"))


class Book(models.Model):
    """A title a room holds, in ``copies`` copies. The ISBN is stored as ISBN-13
    without hyphens (GB/T 5795-2006); an old book without one has it empty."""

    room = models.ForeignKey(
        ReadingRoom, verbose_name=_("reading room"), on_delete=models.CASCADE, related_name="books"
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.CharField(_("author"), max_length=100, blank=True)
    publisher = models.CharField(_("publisher"), max_length=100, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)
    copies = models.PositiveSmallIntegerField(_("copies"), default=1)
    on_loan = models.PositiveSmallIntegerField(_("copies on loan"), default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookQuerySet.as_manager()

    class Meta:
        verbose_name = _("book")
        verbose_name_plural = _("books")
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(copies__gte=1),
                name="library_book_has_copies",
                violation_error_message=_("A book has at least one copy."),
            ),
            models.CheckConstraint(
                condition=Q(on_loan__gte=0) & Q(on_loan__lte=F("copies")),
                name="library_book_on_loan_within_copies",
                violation_error_message=_("Every copy of this book is already out."),
            ),
            models.UniqueConstraint(
                fields=["room", "isbn"],
                condition=~Q(isbn=""),
                name="library_book_isbn_once_per_room",
                violation_error_message=_(
                    "The room already holds a book with this ISBN: change its copies instead."
                ),
            ),
        ]
        indexes = [
            # The ISBN search, across the rooms in scope.
            models.Index(fields=["isbn"], name="library_book_isbn"),
            # A room's catalogue in title order.
            models.Index(fields=["room", "title"], name="library_book_room_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("library:book-detail", args=[self.pk])

    @property
    def available(self) -> int:
        return self.copies - self.on_loan

    @property
    def isbn_display(self) -> str:
        from stdnum import isbn

        return isbn.format(self.isbn) if self.isbn else ""


def grams_of(*texts: str) -> set[str]:
    """The two-character pieces of ``texts`` that the catalogue search looks up: each
    text lower-cased and closed by a space, so that its last character also begins
    a piece (a one-character search asks for the pieces beginning with it)."""
    pieces = set()
    for text in texts:
        text = " ".join((text or "").lower().split()) + " "
        pieces.update(text[i : i + 2] for i in range(len(text) - 1))
    return pieces


class BookGram(models.Model):
    """One two-character piece of a book's title or author (``grams_of``).

    Chinese has no word breaks, so a search for any part of a title is a search for
    a substring; a plain ``LIKE '%…%'`` reads every book (300 ms at 200,000 books,
    ``bench/library_search.py``). The books holding every piece of the term are
    found from this table's index instead, then checked for the whole term.
    """

    book = models.ForeignKey(Book, on_delete=models.CASCADE, related_name="grams")
    gram = models.CharField(max_length=2)

    class Meta:
        default_permissions = ()
        constraints = [
            # Also the search's index: the books holding a piece, read from the index alone.
            models.UniqueConstraint(fields=["gram", "book"], name="library_gram_once"),
        ]
        indexes = [
            # Rewriting a book's pieces when it changes (and the cascade on delete).
            models.Index(fields=["book"], name="library_gram_book"),
        ]

    def __str__(self) -> str:
        return self.gram


class LoanQuerySet(ScopedQuerySet):
    scope_fields = ("book__room__organisation",)

    def open(self):
        return self.filter(returned_on__isnull=True)

    def overdue(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.open().filter(due_on__lt=today)


class Loan(models.Model):
    """One copy of ``book`` lent to ``person`` on ``lent_on``, due back on ``due_on``;
    ``returned_on`` is empty while it is out."""

    book = models.ForeignKey(
        Book, verbose_name=_("book"), on_delete=models.PROTECT, related_name="loans"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="book_loans"
    )
    lent_on = models.DateField(_("lent on"))
    due_on = models.DateField(_("due on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = LoanQuerySet.as_manager()

    class Meta:
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        ordering = ["-lent_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(due_on__gte=F("lent_on")),
                name="library_loan_due_after_lending",
                violation_error_message=_("A book is due back on or after the day it is lent."),
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=F("lent_on")),
                name="library_loan_returned_after_lending",
                violation_error_message=_("A book is returned on or after the day it is lent."),
            ),
            models.UniqueConstraint(
                fields=["book", "person"],
                condition=Q(returned_on__isnull=True),
                name="library_loan_one_open_per_book_and_person",
                violation_error_message=_("This worker already has this book out."),
            ),
        ]
        indexes = [
            # The overdue list and the to-do count: open loans by due date.
            models.Index(
                fields=["due_on"],
                condition=Q(returned_on__isnull=True),
                name="library_loan_open_due",
            ),
            # A worker's own loans in the portal.
            models.Index(fields=["person", "-lent_on"], name="library_loan_person"),
            # A year's loans by room (the coverage overview's union life), read from the
            # index alone: 200,000 loans in 54 ms against 840 ms through the rows.
            models.Index(fields=["lent_on", "book"], name="library_loan_lent"),
        ]

    def __str__(self) -> str:
        return f"{self.book} · {self.lent_on:%Y-%m-%d}"

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.returned_on is None and self.due_on < today

    @property
    def overdue(self) -> bool:
        return self.is_overdue()
