"""Whom each user sees among the bookings: lists, a worker's file, the counsellor's
calendar. That another subtree's booking answers 404 on every route is the access
sweep's (core/tests/test_access_sweep.py)."""

from django.urls import reverse


def test_the_booking_list_holds_only_bookings_in_scope(county, care, client_for):
    t1 = client_for(county.t1staff).get(reverse("counselling:booking-list")).context
    assert list(t1["object_list"]) == [care.b1]
    admin = client_for(county.admin).get(reverse("counselling:booking-list")).context
    assert set(admin["object_list"]) == {care.b1, care.b3}


def test_the_persons_page_shows_bookings_without_notes_to_users_in_scope(county, care, client_for):
    html = client_for(county.t1staff).get(care.w1.get_absolute_url()).content.decode()
    assert "Counselling" in html
    assert care.b1.get_absolute_url() in html


def test_a_chair_sees_the_bookings_of_their_unions_workers_only(county, care, client_for):
    client = client_for(county.chair1)
    assert list(client.get(reverse("counselling:booking-list")).context["object_list"]) == [care.b1]
    assert client.get(care.b1.get_absolute_url()).status_code == 200
    assert client.get(care.b3.get_absolute_url()).status_code == 404
    assert care.b1.get_absolute_url() in client.get(care.w1.get_absolute_url()).content.decode()
    # The sibling union's chair sees neither worker.
    assert client_for(county.chair2).get(care.b1.get_absolute_url()).status_code == 404


def test_roles_without_the_right_see_no_bookings(county, care, client_for):
    for user in (county.leader, county.outsider):
        assert client_for(user).get(reverse("counselling:booking-list")).status_code == 403
        html = client_for(user).get(care.w1.get_absolute_url()).content.decode()
        assert care.b1.get_absolute_url() not in html


def test_a_counsellor_sees_only_the_bookings_of_their_own_slots(care, client_for):
    html = client_for(care.counsellor2).get(reverse("counselling:my-calendar")).content.decode()
    assert care.w1.name not in html
    own = client_for(care.counsellor).get(reverse("counselling:my-calendar")).content.decode()
    assert care.w1.name in own and care.w3.name in own
    # The counsellor role holds no right to the staff booking pages.
    assert client_for(care.counsellor).get(care.b1.get_absolute_url()).status_code == 403
