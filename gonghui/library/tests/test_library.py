"""Reading rooms: ISBNs, lending and returning, due dates, the overdue list, the
spreadsheet load, the catalogue search, the scope, and the worker's portal page."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from stdnum import isbn as stdnum_isbn

from gonghui.core.todo import todo_for
from gonghui.library import imports, services
from gonghui.library.isbns import isbn13_complete, isbn_normalise
from gonghui.library.models import Book, Loan
from gonghui.library.selectors import catalogue
from gonghui.portal.membership import card_token
from gonghui.portal.tests.test_card import bound_client, worker

ISBN13 = "9787020002207"  # 红楼梦, 人民文学出版社
ISBN10 = "702000220X"


@pytest.fixture
def room(county):
    return services.room_create(
        by=county.chair1, organisation=county.g1, name="机械厂职工书屋", location="厂区二楼"
    )


@pytest.fixture
def book(room, county):
    return services.book_create(
        by=county.chair1, room=room, title="红楼梦", author="曹雪芹", isbn=ISBN13, copies=1
    )


@pytest.fixture
def member(county):
    return worker(county, 1, union=county.g1, name="赵书")


# --- ISBNs ---------------------------------------------------------------------------------


def test_good_isbn_10_and_13_are_stored_as_isbn_13():
    assert isbn_normalise("978-7-02-000220-7") == ISBN13
    assert isbn_normalise(ISBN10) == ISBN13
    assert isbn_normalise("7-02-000220-X") == ISBN13
    assert isbn_normalise("ISBN 978 7 02 000220 7") == ISBN13


def test_an_isbn_with_a_bad_check_digit_is_refused_with_a_clear_message():
    with pytest.raises(ValidationError) as raised:
        isbn_normalise("9787020002208")
    assert "check digit" in raised.value.messages[0]
    with pytest.raises(ValidationError):
        isbn_normalise("7020002208")
    with pytest.raises(ValidationError):
        isbn_normalise("12345")


def test_the_check_digit_is_computed():
    assert isbn13_complete("978702000220") == ISBN13
    assert stdnum_isbn.is_valid(isbn13_complete("978711000001"))


def test_a_book_with_a_bad_isbn_is_not_written(room, county):
    with pytest.raises(ValidationError):
        services.book_create(by=county.chair1, room=room, title="坏书", isbn="9787020002208")
    assert not Book.objects.filter(title="坏书").exists()


def test_the_book_form_shows_the_bad_check_digit(room, county, client_for):
    client = client_for(county.chair1)
    response = client.post(
        reverse("library:book-create", args=[room.pk]),
        {"title": "坏书", "isbn": "9787020002208", "copies": 1},
    )
    assert response.status_code == 200
    assert "check digit" in response.content.decode() or "校验" in response.content.decode()
    assert not Book.objects.filter(title="坏书").exists()


# --- Loans ---------------------------------------------------------------------------------


def test_a_loan_is_due_after_the_configured_days(book, member, county, settings):
    today = datetime.date(2026, 3, 1)
    loan = services.loan_create(by=county.chair1, book=book, person=member, today=today)
    assert loan.due_on == datetime.date(2026, 3, 31)
    book.refresh_from_db()
    assert book.on_loan == 1

    settings.LIBRARY_LOAN_DAYS = 14
    other = services.book_create(by=county.chair1, room=book.room, title="三国演义", copies=2)
    loan = services.loan_create(by=county.chair1, book=other, person=member, today=today)
    assert loan.due_on == datetime.date(2026, 3, 15)


def test_lending_a_book_already_out_is_refused(book, member, county):
    services.loan_create(by=county.chair1, book=book, person=member)
    other = worker(county, 2, union=county.g1)
    with pytest.raises(ValidationError) as raised:
        services.loan_create(by=county.chair1, book=book, person=other)
    assert "already out" in raised.value.messages[0]
    assert Loan.objects.count() == 1
    book.refresh_from_db()
    assert book.on_loan == 1


def test_the_database_refuses_more_copies_out_than_held(book):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Book.objects.filter(pk=book.pk).update(on_loan=2)


def test_a_return_of_a_book_not_lent_is_refused(book, member, county):
    with pytest.raises(ValidationError) as raised:
        services.book_return(by=county.chair1, book=book)
    assert "not lent out" in raised.value.messages[0]

    loan = services.loan_create(by=county.chair1, book=book, person=member)
    services.loan_return(by=county.chair1, loan=loan)
    with pytest.raises(ValidationError):
        services.loan_return(by=county.chair1, loan=loan)
    book.refresh_from_db()
    assert book.on_loan == 0
    loan.refresh_from_db()
    assert loan.returned_on is not None and loan.returned_to == county.chair1


def test_a_return_by_book_closes_its_one_loan(book, member, county):
    services.loan_create(by=county.chair1, book=book, person=member)
    loan = services.book_return(by=county.chair1, book=book)
    assert loan.returned_on is not None
    book.refresh_from_db()
    assert book.available == 1


def test_the_overdue_list_and_the_keepers_to_do(book, member, county, client_for):
    today = datetime.date.today()
    late = services.loan_create(
        by=county.chair1, book=book, person=member, today=today - datetime.timedelta(days=40)
    )
    fresh_book = services.book_create(by=county.chair1, room=book.room, title="水浒传")
    services.loan_create(by=county.chair1, book=fresh_book, person=member)

    assert list(Loan.objects.overdue()) == [late]
    client = client_for(county.chair1)
    page = client.get(reverse("library:loan-list") + "?overdue=on").content.decode()
    assert "红楼梦" in page and "水浒传" not in page
    items = {str(item.label): item.count for item in todo_for(county.chair1)}
    assert items["Books overdue at the reading rooms"] == 1
    # The sibling union's chair has nothing overdue.
    items = {str(item.label): item.count for item in todo_for(county.chair2)}
    assert items["Books overdue at the reading rooms"] == 0


def test_lending_outside_the_scope_is_refused(book, county):
    stranger = worker(county, 3, union=county.g2, employer=county.e2)
    with pytest.raises(PermissionDenied):
        services.loan_create(by=county.chair2, book=book, person=stranger)
    with pytest.raises(PermissionDenied):
        services.loan_create(by=county.chair1, book=book, person=stranger)
    assert not Loan.objects.exists()


# --- The keeper's desk -----------------------------------------------------------------------


def test_the_keeper_lends_by_the_card_code_and_takes_it_back(book, member, county, client_for):
    client = client_for(county.chair1)
    url = reverse("library:room-lend", args=[book.room.pk])
    token = card_token(member)

    page = client.post(url, {"token": token}).content.decode()
    assert "赵书" in page

    response = client.post(url, {"token": token, "q": "978-7-02-000220-7"})
    assert response.status_code == 302
    loan = Loan.objects.get()
    assert loan.person == member and loan.book == book

    page = client.post(url, {"token": token, "book": book.pk}).content.decode()
    assert 'id="lend-problem"' in page
    assert Loan.objects.count() == 1

    response = client.post(reverse("library:loan-return", args=[loan.pk]))
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.returned_on is not None


def test_a_card_outside_the_keepers_scope_names_nobody(book, county, client_for):
    stranger = worker(county, 4, union=county.g2, employer=county.e2, name="钱外")
    client = client_for(county.chair1)
    page = client.post(
        reverse("library:room-lend", args=[book.room.pk]), {"token": card_token(stranger)}
    ).content.decode()
    assert "钱外" not in page
    assert 'data-result="outside"' in page


# --- Import ----------------------------------------------------------------------------------


def _csv(text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile("books.csv", text.encode("utf-8"), content_type="text/csv")


def test_a_good_spreadsheet_loads_every_row(room, county):
    good = isbn13_complete("978711000001")
    report = imports.books_import(
        by=county.chair1,
        room=room,
        upload=_csv(
            f"书名,作者,出版社,ISBN,册数\n工匠精神读本,李明,工人出版社,{good},2\n安全生产手册,,,{ISBN10},1\n"
        ),
    )
    assert report.written == 2 and not report.rejected
    assert Book.objects.get(isbn=ISBN13).title == "安全生产手册"
    assert catalogue(county.chair1, "精神").get().copies == 2


def test_a_spreadsheet_with_a_bad_row_writes_nothing_and_names_the_row(room, county, client_for):
    client = client_for(county.chair1)
    response = client.post(
        reverse("library:book-import", args=[room.pk]),
        {"file": _csv("书名,ISBN,册数\n好书,9787020002207,1\n坏书,9787020002208,1\n,,\n无名,,0\n")},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-row="3" data-ok="0"' in page
    assert 'data-row="2" data-ok="1"' in page
    assert 'data-row="5" data-ok="0"' in page
    assert not Book.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_is_refused(room, county):
    upload = SimpleUploadedFile("x.xlsx", b"\x00\x01binary", content_type="application/zip")
    report = imports.books_import(by=county.chair1, room=room, upload=upload)
    assert report.problem and not report.written


# --- Search and scope ----------------------------------------------------------------------


def test_the_catalogue_is_searched_by_title_author_and_isbn_forms(book, county):
    services.book_create(by=county.chair1, room=book.room, title="红岩", author="罗广斌")
    for term in (
        "楼梦",
        "红楼梦",
        "雪芹",
        "曹",
        ISBN13,
        "978-7-02-000220-7",
        ISBN10,
        "7-02-000220-X",
    ):
        assert list(catalogue(county.chair1, term)) == [book], term
    assert {b.title for b in catalogue(county.chair1, "红")} == {"红楼梦", "红岩"}
    assert not catalogue(county.chair1, "量子").exists()
    # Within the room too.
    assert list(catalogue(county.chair1, "曹雪芹", room=book.room)) == [book]


def test_an_edited_title_is_found_by_its_new_words(book, county):
    services.book_update(by=county.chair1, book=book, title="石头记", author="曹雪芹", isbn=ISBN13)
    assert list(catalogue(county.chair1, "石头")) == [book]
    assert not catalogue(county.chair1, "楼梦").exists()


def test_rooms_and_books_are_seen_only_in_scope(book, county, client_for):
    assert list(catalogue(county.t1staff, "红楼梦")) == [book]
    assert not catalogue(county.chair2, "红楼梦").exists()
    assert not catalogue(county.t2staff, "红楼梦").exists()
    client = client_for(county.chair2)
    assert client.get(book.get_absolute_url()).status_code == 404
    assert client.get(book.room.get_absolute_url()).status_code == 404
    response = client.get(reverse("library:book-list") + "?q=红楼梦")
    assert list(response.context["object_list"]) == []


def test_the_leader_reads_but_does_not_lend(book, county, client_for):
    client = client_for(county.leader)
    assert client.get(book.room.get_absolute_url()).status_code == 200
    assert client.get(reverse("library:room-lend", args=[book.room.pk])).status_code == 403


def test_the_edit_page_shows_the_room(room, county, client_for):
    client = client_for(county.chair1)
    page = client.get(reverse("library:room-update", args=[room.pk])).content.decode()
    assert 'value="机械厂职工书屋"' in page and 'value="厂区二楼"' in page


# --- Portal --------------------------------------------------------------------------------


def test_the_portal_shows_the_workers_own_loans_and_rooms_near(
    book, member, county, portal_sign_in
):
    other = worker(county, 5, union=county.g1, name="孙别")
    second = services.book_create(by=county.chair1, room=book.room, title="西游记")
    services.loan_create(by=county.chair1, book=book, person=member)
    services.loan_create(by=county.chair1, book=second, person=other)
    far = services.room_create(
        by=county.t2staff, organisation=county.t2, name="西镇书屋", location="镇文化站"
    )

    client = bound_client(portal_sign_in, member)
    page = client.get(reverse("portal-library:home")).content.decode()
    assert "红楼梦" in page and "西游记" not in page
    assert "机械厂职工书屋" in page and "西镇书屋" not in page

    catalogue_page = client.get(reverse("portal-library:room", args=[book.room.pk]) + "?q=西游")
    assert "西游记" in catalogue_page.content.decode()
    assert client.get(reverse("portal-library:room", args=[far.pk])).status_code == 404
