"""The demo county's reading rooms: a room at every township and at a workplace, books
with valid ISBN-13s found by the catalogue search, loans out and overdue, and the rules
the services keep held by the bulk build (copies out counted, borrowers in scope)."""

import pytest
from django.db.models import Count, Q
from stdnum import isbn

from gonghui.core.scope import SEGMENT_WIDTH
from gonghui.demo.care import care_wipe
from gonghui.demo.models import DemoCounty
from gonghui.demo.tests.helpers import build
from gonghui.library import selectors
from gonghui.library.models import Book, BookGram, Loan, ReadingRoom, loan_days
from gonghui.orgs.models import OrgKind
from gonghui.people.models import Person


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def test_every_township_and_a_workplace_has_a_room_with_valid_isbns(demo):
    rooms = ReadingRoom.objects.select_related("organisation")
    townships = {
        room.organisation_id
        for room in rooms
        if room.organisation.kind == OrgKind.TOWNSHIP
        and len(room.organisation.path) == 2 * SEGMENT_WIDTH
    }
    assert townships and townships == set(
        demo.root.children.filter(kind=OrgKind.TOWNSHIP).values_list("pk", flat=True)
    )
    assert rooms.exclude(organisation_id__in=townships).exists()
    numbers = Book.objects.values_list("isbn", flat=True)
    assert numbers and all(isbn.validate(number) == number for number in numbers)
    assert all(number.startswith("9787") for number in numbers)


def test_copies_out_are_the_open_loans_and_some_are_overdue(demo):
    books = Book.objects.annotate(out=Count("loans", filter=Q(loans__returned_on__isnull=True)))
    assert all(book.out == book.on_loan <= book.copies for book in books)
    assert Loan.objects.open().exists() and Loan.objects.overdue().exists()
    assert Loan.objects.filter(returned_on__isnull=False).exists()
    days = loan_days()
    for loan in Loan.objects.all():
        assert (loan.due_on - loan.lent_on).days == days
        assert loan.returned_on is None or loan.returned_on >= loan.lent_on


def test_each_borrower_is_one_the_lending_account_may_lend_to(demo):
    for loan in Loan.objects.select_related("book__room", "lent_by")[:200]:
        assert Person.objects.for_user(loan.lent_by).filter(pk=loan.person_id).exists()


def test_the_catalogue_search_finds_the_demo_books(demo):
    book = Book.objects.order_by("pk").first()
    assert BookGram.objects.filter(book=book).exists()
    room = book.room
    keeper = room.keeper or Loan.objects.filter(book__room=room).first().lent_by
    found = selectors.catalogue(keeper, book.title[1:5], room=room)
    assert book in found


def test_a_wipe_takes_the_rooms_with_it(demo):
    care_wipe(demo.root, whole=False)
    assert not ReadingRoom.objects.exists() and not Loan.objects.exists()
    assert not BookGram.objects.exists()
