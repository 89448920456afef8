"""The worker's messages in the portal: their own only, read when opened, and the
text-message settings that the next notify() obeys."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from gonghui.inbox.models import Message, MessageKind, SmsPreference
from gonghui.inbox.services import notify, unread_count
from gonghui.portal.models import WorkerAccount
from gonghui.sms.models import OutgoingSms

pytestmark = pytest.mark.django_db

LIST = reverse("inbox:list")
SETTINGS = reverse("inbox:settings")


def tell(person, title="Your application to join the union was approved", **extra):
    extra.setdefault("kind", MessageKind.JOIN_APPROVED)
    return notify(person, extra.pop("kind"), title=title, body="Welcome.", **extra)


def test_a_worker_sees_their_own_messages_newest_first_the_unread_marked(worker_of):
    zhang, client = worker_of(1, "张一")
    li, _other = worker_of(2, "李二")
    old = tell(zhang, "First message")
    tell(zhang, "Second message")
    tell(li, "A message to someone else")
    Message.objects.filter(pk=old.pk).update(read_at=old.created_at)

    page = client.get(LIST).content.decode()

    assert page.index("Second message") < page.index("First message")
    assert "A message to someone else" not in page
    assert page.count('class="unread"') == 1
    assert f'href="{reverse("inbox:detail", args=[old.pk])}"' in page


def test_opening_a_message_marks_it_read(worker_of):
    person, client = worker_of(1, "张一")
    message = tell(person)
    account = WorkerAccount.objects.get(person=person)
    assert unread_count(account) == 1

    response = client.get(reverse("inbox:detail", args=[message.pk]))

    assert response.status_code == 200
    assert "Welcome." in response.content.decode()
    message.refresh_from_db()
    assert message.read_at is not None
    assert unread_count(account) == 0
    first_read = message.read_at
    client.get(reverse("inbox:detail", args=[message.pk]))
    message.refresh_from_db()
    assert message.read_at == first_read  # read once, when first opened


def test_another_workers_message_is_not_found_and_stays_unread(worker_of):
    _zhang, client = worker_of(1, "张一")
    li, _ = worker_of(2, "李二")
    theirs = tell(li, "A message to someone else")

    response = client.get(reverse("inbox:detail", args=[theirs.pk]))

    assert response.status_code == 404
    assert "A message to someone else" not in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_list_is_paginated_by_twenty(worker_of):
    person, client = worker_of(1, "张一")
    for n in range(25):
        tell(person, f"Message {n:02d}", kind=MessageKind.GENERAL)

    first = client.get(LIST).content.decode()
    second = client.get(LIST, {"page": 2}).content.decode()

    assert first.count("Message ") == 20 and "Message 24" in first and "Message 04" not in first
    assert second.count("Message ") == 5 and "Message 00" in second


def test_an_account_not_linked_yet_sees_no_messages_and_how_to_link(county, portal_sign_in):
    client = portal_sign_in("13700000009")

    page = client.get(LIST).content.decode()

    assert "once this phone is linked to your file" in page
    assert reverse("portal:bind") in page


def test_a_visitor_and_a_staff_member_are_sent_to_the_portals_sign_in(county, client_for):
    for client in (Client(), client_for(county.chair1)):
        for url in (LIST, SETTINGS):
            response = client.get(url)
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("portal:sign-in"))


def test_the_messages_tab_is_in_the_bottom_navigation(worker_of):
    _person, client = worker_of(1, "张一")

    page = client.get(reverse("portal:home")).content.decode()

    assert f'href="{LIST}"' in page


def test_turning_a_kind_off_stops_its_text_messages_and_keeps_the_messages(worker_of):
    person, client = worker_of(1, "张一")
    form = client.get(SETTINGS).content.decode()
    assert 'value="aid_paid"' in form and "checked" in form

    kept = ["join_approved", "join_rejected", "aid_approved", "aid_rejected", "booking_tomorrow"]
    response = client.post(SETTINGS, {"send": kept, "shown": "sms"})

    assert response.status_code == 302
    assert SmsPreference.objects.get(person=person, kind="aid_paid").send is False
    assert 'value="aid_paid"' in client.get(SETTINGS).content.decode()
    before = OutgoingSms.objects.count()
    tell(person, "Aid of application no. 3 was paid", kind=MessageKind.AID_PAID)
    assert OutgoingSms.objects.count() == before  # no text for the kind turned off
    tell(person, "Aid of application no. 3 was approved", kind=MessageKind.AID_APPROVED)
    assert OutgoingSms.objects.count() == before + 1
    assert Message.objects.filter(person=person).count() == 2

    client.post(SETTINGS, {"send": [*kept, "aid_paid"], "shown": "sms"})
    tell(person, "Aid of application no. 4 was paid", kind=MessageKind.AID_PAID)
    assert OutgoingSms.objects.count() == before + 2


def test_the_settings_page_shows_the_saved_choice(worker_of):
    person, client = worker_of(1, "张一")
    client.post(SETTINGS, {"send": ["aid_paid"], "shown": "sms"})

    page = client.get(SETTINGS).content.decode()

    [checked] = re.findall(r"<input[^>]*\bchecked\b[^>]*>", page)
    assert 'value="aid_paid"' in checked


def test_a_bare_post_changes_nothing(worker_of):
    person, client = worker_of(1, "张一")

    response = client.post(SETTINGS, {})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not SmsPreference.objects.exists()


def test_an_unknown_kind_is_refused_with_a_message(worker_of):
    person, client = worker_of(1, "张一")

    response = client.post(SETTINGS, {"send": ["lottery_won"], "shown": "sms"})

    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()
    assert not SmsPreference.objects.exists()
