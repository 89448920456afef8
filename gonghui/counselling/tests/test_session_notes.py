"""Session notes: written by the counsellor, stored encrypted, read by that counsellor only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.counselling import selectors, services
from gonghui.counselling.models import SessionNote

NOTE = "Sleeps badly since the accident; follow up in two weeks."


@pytest.fixture
def noted(care, client_for):
    client_for(care.counsellor).post(
        reverse("counselling:my-booking", args=[care.b1.pk]), {"text": NOTE}
    )
    return care


def test_the_counsellor_writes_a_note_stored_encrypted(noted):
    note = SessionNote.objects.get(booking=noted.b1)

    assert note.counsellor == noted.counsellor
    assert NOTE not in note.text_encrypted
    assert not SessionNote.objects.filter(text_encrypted__contains="Sleeps").exists()
    assert selectors.session_note_text(user=noted.counsellor, booking=noted.b1) == NOTE


def test_the_counsellor_reads_the_note_on_their_own_booking_page(noted, client_for):
    html = (
        client_for(noted.counsellor)
        .get(reverse("counselling:my-booking", args=[noted.b1.pk]))
        .content.decode()
    )
    assert NOTE in html


def test_nobody_else_reads_the_note_on_any_page(county, noted, client_for):
    for user in (county.admin, county.t1staff, county.superuser):
        client = client_for(user)
        for url in (
            noted.b1.get_absolute_url(),
            reverse("counselling:booking-list"),
            noted.w1.get_absolute_url(),
            reverse("counselling:booking-list") + "?export=xlsx",
        ):
            response = client.get(url)
            assert response.status_code == 200, (user, url)
            assert NOTE.encode() not in response.content, (user, url)
        assert client.get(reverse("counselling:my-booking", args=[noted.b1.pk])).status_code in (
            403,
            404,
        )
        assert selectors.session_note_text(user=user, booking=noted.b1) is None


def test_another_counsellor_can_neither_read_nor_write_the_note(noted, client_for):
    other = client_for(noted.counsellor2)
    assert other.get(reverse("counselling:my-booking", args=[noted.b1.pk])).status_code == 404
    assert selectors.session_note_text(user=noted.counsellor2, booking=noted.b1) is None
    with pytest.raises(PermissionDenied):
        services.session_note_write(by=noted.counsellor2, booking=noted.b1, text="overwritten")
    assert selectors.session_note_text(user=noted.counsellor, booking=noted.b1) == NOTE


def test_staff_cannot_write_a_note_either(county, care):
    with pytest.raises(PermissionDenied):
        services.session_note_write(by=county.admin, booking=care.b1, text="x")
    assert not SessionNote.objects.exists()


def test_rewriting_the_note_replaces_it(noted):
    services.session_note_write(by=noted.counsellor, booking=noted.b1, text="Better now.")

    assert SessionNote.objects.filter(booking=noted.b1).count() == 1
    assert selectors.session_note_text(user=noted.counsellor, booking=noted.b1) == "Better now."
