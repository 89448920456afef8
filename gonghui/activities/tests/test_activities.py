"""Activities: signing up within the window and the places, the waiting list moving up
on a cancellation (and the message), check-in by card and by code, the reminder sent
once, attendance counted by union and month, the scope, and the portal pages."""

from __future__ import annotations

from datetime import timedelta
from io import BytesIO, StringIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from gonghui.activities import selectors, services
from gonghui.activities.models import Activity, ActivityStatus, SignUp, SignUpStatus
from gonghui.conftest import signed_in
from gonghui.inbox.models import Message
from gonghui.portal import membership
from gonghui.portal.tests.test_card import bound_client, worker


def make_activity(county, *, organiser=None, capacity=2, audience="subtree", starts_in=3, **extra):
    now = timezone.now()
    activity = services.activity_create(
        by=county.superuser,
        organiser=organiser or county.g1,
        kind="sports",
        title=extra.pop("title", "羽毛球赛"),
        description="",
        starts_at=now + timedelta(days=starts_in),
        ends_at=now + timedelta(days=starts_in, hours=3),
        place="职工活动中心",
        capacity=capacity,
        audience=audience,
        signup_opens_at=extra.pop("opens", now - timedelta(days=1)),
        signup_closes_at=extra.pop("closes", now + timedelta(days=starts_in) - timedelta(hours=1)),
    )
    return services.activity_set_status(by=county.superuser, activity=activity, status="open")


def staff(user) -> Client:
    """A console client of its own, signed in as ``user``."""
    return signed_in(Client(), user)


@pytest.fixture
def members(county):
    return [worker(county, n, union=county.g1, name=f"会员{n}") for n in range(1, 5)]


def test_places_are_given_in_turn_then_the_waiting_list_said_with_its_number(county, members):
    activity = make_activity(county, capacity=2)

    first, second, third, fourth = (
        services.signup_join(activity=activity, person=p) for p in members
    )

    activity.refresh_from_db()
    assert [s.status for s in (first, second)] == [SignUpStatus.SIGNED_UP] * 2
    assert [s.status for s in (third, fourth)] == [SignUpStatus.WAITING] * 2
    assert activity.signed_up_count == 2 == activity.capacity
    assert [services.waiting_place(s) for s in (third, fourth)] == [1, 2]


def test_a_cancellation_moves_the_first_waiting_up_at_once_and_tells_them(county, members):
    activity = make_activity(county, capacity=1)
    holder, waiting, later = (
        services.signup_join(activity=activity, person=p) for p in members[:3]
    )

    services.signup_cancel(signup=holder)

    waiting.refresh_from_db()
    later.refresh_from_db()
    activity.refresh_from_db()
    assert waiting.status == SignUpStatus.SIGNED_UP and waiting.waiting_position is None
    assert later.status == SignUpStatus.WAITING and services.waiting_place(later) == 1
    assert activity.signed_up_count == 1
    told = Message.objects.get(person=members[1])
    assert told.key == f"activity-signup:{waiting.pk}:moved-up" and "羽毛球赛" in told.title
    assert not Message.objects.filter(person=members[2]).exists()


def test_cancelling_a_waiting_sign_up_moves_nobody(county, members):
    activity = make_activity(county, capacity=1)
    holder, waiting = (services.signup_join(activity=activity, person=p) for p in members[:2])

    services.signup_cancel(signup=waiting)

    holder.refresh_from_db()
    assert holder.status == SignUpStatus.SIGNED_UP
    assert not Message.objects.exists()


def test_the_places_are_never_exceeded_even_when_the_service_is_bypassed(county, members):
    activity = make_activity(county, capacity=2)
    for person in members:
        services.signup_join(activity=activity, person=person)
    activity.refresh_from_db()
    assert SignUp.objects.filter(activity=activity, status=SignUpStatus.SIGNED_UP).count() == 2

    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.filter(pk=activity.pk).update(signed_up_count=3)


def test_one_active_sign_up_per_worker_and_activity(county, members):
    activity = make_activity(county)
    services.signup_join(activity=activity, person=members[0])

    with pytest.raises(ValidationError, match="already signed up"):
        services.signup_join(activity=activity, person=members[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        SignUp.objects.create(
            activity=activity, person=members[0], status="waiting", waiting_position=9
        )
    assert SignUp.objects.filter(activity=activity).count() == 1


def test_sign_up_outside_the_window_is_refused(county, members):
    now = timezone.now()
    later = make_activity(county, opens=now + timedelta(hours=2))
    closed = make_activity(county, opens=now - timedelta(days=2), closes=now - timedelta(hours=1))

    with pytest.raises(ValidationError, match="Sign-up opens at"):
        services.signup_join(activity=later, person=members[0])
    with pytest.raises(ValidationError, match="Sign-up closed at"):
        services.signup_join(activity=closed, person=members[0])
    assert not SignUp.objects.exists()


def test_a_draft_or_cancelled_activity_takes_no_sign_up(county, members):
    activity = make_activity(county)
    services.activity_set_status(by=county.superuser, activity=activity, status="cancelled")

    with pytest.raises(ValidationError, match="not open"):
        services.signup_join(activity=activity, person=members[0])


def test_who_may_join_members_of_the_union_or_everyone_under_it(county, members):
    other_union = worker(county, 20, union=county.g2, employer=county.e2, name="邻厂会员")
    non_member_at_e1 = worker(county, 21, name="非会员")
    own = make_activity(county, organiser=county.g1, audience="members")
    township = make_activity(county, organiser=county.t1, audience="subtree")
    township_members = make_activity(county, organiser=county.t1, audience="members")

    with pytest.raises(ValidationError, match="members of"):
        services.signup_join(activity=own, person=other_union)
    with pytest.raises(ValidationError, match="members of"):
        services.signup_join(activity=own, person=non_member_at_e1)
    assert services.signup_join(activity=own, person=members[0]).status == "signed_up"
    for person in (other_union, non_member_at_e1):
        assert services.signup_join(activity=township, person=person).status == "signed_up"
    with pytest.raises(ValidationError, match="workers under"):
        services.signup_join(activity=make_activity(county, organiser=county.t2), person=members[1])
    # A township's own members: the workers of unions below it are not.
    with pytest.raises(ValidationError):
        services.signup_join(activity=township_members, person=members[1])


def test_fewer_places_than_taken_is_refused_and_more_places_move_the_waiting_up(county, members):
    activity = make_activity(county, capacity=1)
    for person in members[:3]:
        services.signup_join(activity=activity, person=person)
    values = {f: getattr(activity, f) for f in services.FIELDS}

    with pytest.raises(ValidationError):
        services.activity_update(
            by=county.superuser, activity=activity, **{**values, "capacity": 0}
        )
    services.activity_update(by=county.superuser, activity=activity, **{**values, "capacity": 3})

    activity.refresh_from_db()
    assert activity.signed_up_count == 3
    assert not SignUp.objects.filter(activity=activity, status="waiting").exists()


def test_a_chair_organises_only_in_their_union_and_a_leader_not_at_all(county):
    activity = make_activity(county, organiser=county.g2)
    values = {f: getattr(activity, f) for f in services.FIELDS}

    with pytest.raises(PermissionDenied):
        services.activity_update(by=county.chair1, activity=activity, **values)
    with pytest.raises(ValidationError):
        services.activity_create(by=county.chair1, **{**values, "organiser": county.g2})
    with pytest.raises(PermissionDenied):
        services.activity_create(by=county.leader, **{**values, "organiser": county.g1})
    assert services.activity_create(by=county.chair1, **{**values, "organiser": county.g1})


# --- Check-in ---------------------------------------------------------------------------


def test_check_in_by_scanning_the_card(county, members):
    activity = make_activity(county, starts_in=0)
    activity.starts_at = timezone.now() + timedelta(minutes=30)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=activity.starts_at, signup_closes_at=activity.starts_at
    )
    services.signup_join(activity=activity, person=members[0])
    token = membership.card_token(members[0])

    done = services.checkin_by_card(by=county.chair1, activity=activity, token=token)
    again = services.checkin_by_card(by=county.chair1, activity=activity, token=token)
    stranger = services.checkin_by_card(
        by=county.chair1, activity=activity, token=membership.card_token(members[1])
    )
    forged = services.checkin_by_card(by=county.chair1, activity=activity, token="abc")

    signup = SignUp.objects.get(person=members[0])
    assert (
        done.ok and signup.status == SignUpStatus.ATTENDED and signup.checked_in_by == county.chair1
    )
    assert again.ok and "already" in again.message
    assert not stranger.ok and "not signed up" in stranger.message
    assert not forged.ok and forged.message == "Not a card"


def test_check_in_by_card_on_the_door_page(county, members):
    activity = make_activity(county, starts_in=0)
    start = timezone.now() + timedelta(minutes=10)
    Activity.objects.filter(pk=activity.pk).update(starts_at=start, signup_closes_at=start)
    services.signup_join(activity=activity, person=members[0])
    client = staff(county.chair1)
    url = reverse("activities:check-in", args=[activity.pk])

    page = client.get(url).content.decode()
    response = client.post(url, {"token": membership.card_token(members[0])})

    assert "data-scan-form" in page and "portal/scan.js" in page
    assert "会员1 is checked in." in response.content.decode()
    assert SignUp.objects.get(person=members[0]).status == SignUpStatus.ATTENDED
    assert staff(county.chair2).get(url).status_code == 404


def test_check_in_with_the_organisers_code_and_a_wrong_or_old_code_refused(county, members):
    activity = make_activity(county, starts_in=0)
    start = timezone.now() + timedelta(minutes=20)
    Activity.objects.filter(pk=activity.pk).update(starts_at=start, signup_closes_at=start)
    activity.refresh_from_db()
    services.signup_join(activity=activity, person=members[0])
    code = services.checkin_code(activity)

    wrong = services.checkin_by_code(
        activity=activity, person=members[0], code="000000" if code != "000000" else "111111"
    )
    with time_machine.travel(timezone.now() + timedelta(seconds=3 * services.CODE_SECONDS)):
        stale = services.checkin_by_code(activity=activity, person=members[0], code=code)
    done = services.checkin_by_code(activity=activity, person=members[0], code=code)

    assert not wrong.ok and not stale.ok
    assert done.ok
    assert SignUp.objects.get(person=members[0]).status == SignUpStatus.ATTENDED


def test_check_in_is_closed_long_before_the_start(county, members):
    activity = make_activity(county, starts_in=3)
    services.signup_join(activity=activity, person=members[0])

    result = services.checkin_by_code(
        activity=activity, person=members[0], code=services.checkin_code(activity)
    )

    assert not result.ok and "hour before" in result.message


# --- Reminders ---------------------------------------------------------------------------


def test_the_reminder_of_tomorrow_is_sent_once_to_each_place_holder(county, members):
    tomorrow = timezone.localtime() + timedelta(days=1)
    activity = make_activity(county, capacity=1, starts_in=1)
    Activity.objects.filter(pk=activity.pk).update(
        starts_at=tomorrow.replace(hour=10, minute=0),
        ends_at=tomorrow.replace(hour=12, minute=0),
        signup_closes_at=tomorrow.replace(hour=9, minute=0),
    )
    make_activity(county, starts_in=5)  # not tomorrow
    holder = services.signup_join(activity=activity, person=members[0])
    services.signup_join(activity=activity, person=members[1])  # waiting: no reminder

    out = StringIO()
    call_command("remind_activities", stdout=out)
    call_command("remind_activities", stdout=out)

    assert out.getvalue().split("\n")[:2] == ["reminders sent: 1", "reminders sent: 0"]
    message = Message.objects.get()
    assert message.person == members[0] and message.key == f"activity-signup:{holder.pk}:tomorrow"


# --- Attendance --------------------------------------------------------------------------


def test_attendance_counted_by_union_and_month(county, members):
    with time_machine.travel(timezone.now() - timedelta(days=10)):
        a = make_activity(county, capacity=3, starts_in=1, title="一")
        b = make_activity(county, capacity=2, starts_in=1, title="二")
        c = make_activity(county, organiser=county.t1, capacity=5, starts_in=1, title="三")
        for person in members[:3]:
            services.signup_join(activity=a, person=person)
        services.signup_join(activity=b, person=members[0])
        services.signup_join(activity=c, person=members[3])
    for signup in SignUp.objects.filter(activity=a, person__in=members[:2]):
        SignUp.objects.filter(pk=signup.pk).update(status="attended", checked_in_at=timezone.now())
    SignUp.objects.filter(activity=c).update(status="attended", checked_in_at=timezone.now())
    make_activity(county, capacity=9)  # not yet held: not counted

    rows = {(r.organiser, r.month): r for r in selectors.attendance_counts(county.superuser)}
    chair = {(r.organiser, r.month) for r in selectors.attendance_counts(county.chair1)}

    month = f"{timezone.localtime(a.starts_at):%Y-%m}"
    g1 = rows[(county.g1.name, month)]
    assert (g1.activities, g1.places, g1.signed_up, g1.attended, g1.rate) == (2, 5, 4, 2, "50%")
    t1 = rows[(county.t1.name, month)]
    assert (t1.activities, t1.places, t1.signed_up, t1.attended) == (1, 5, 1, 1)
    assert chair == {(county.g1.name, month)}

    response = staff(county.chair1).get(reverse("activities:attendance"), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert county.g1.name in values and county.t1.name not in values


# --- Console pages -----------------------------------------------------------------------


def test_the_console_list_and_pages_keep_to_the_scope(county):
    mine = make_activity(county, organiser=county.g1, title="本厂拔河")
    theirs = make_activity(county, organiser=county.g2, title="邻厂合唱")
    chair = staff(county.chair1)

    listed = chair.get(reverse("activities:list")).content.decode()
    assert "本厂拔河" in listed and "邻厂合唱" not in listed
    assert chair.get(reverse("activities:detail", args=[theirs.pk])).status_code == 404
    assert chair.get(reverse("activities:detail", args=[mine.pk])).status_code == 200
    assert staff(county.leader).get(reverse("activities:list")).status_code == 200
    assert staff(county.leader).get(reverse("activities:create")).status_code == 403


def test_the_edit_page_shows_the_activity_and_saving_keeps_the_rest(county):
    activity = make_activity(county, capacity=7)
    client = staff(county.chair1)
    url = reverse("activities:update", args=[activity.pk])

    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["starts_at"] = timezone.localtime(activity.starts_at).strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = timezone.localtime(activity.ends_at).strftime("%Y-%m-%dT%H:%M")
    data["signup_opens_at"] = timezone.localtime(activity.signup_opens_at).strftime(
        "%Y-%m-%dT%H:%M"
    )
    data["signup_closes_at"] = timezone.localtime(activity.signup_closes_at).strftime(
        "%Y-%m-%dT%H:%M"
    )
    data["title"] = "新名字"
    response = client.post(url, data)

    assert form.initial["capacity"] == 7 and form.initial["organiser"] == county.g1.pk
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (
        activity.title == "新名字" and activity.capacity == 7 and activity.place == "职工活动中心"
    )


def _jpeg() -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(out, format="JPEG")
    return SimpleUploadedFile("p.jpg", out.getvalue(), content_type="image/jpeg")


def test_photos_afterwards_only(county):
    upcoming = make_activity(county)
    client = staff(county.chair1)

    client.post(reverse("activities:photo-add", args=[upcoming.pk]), {"photo": _jpeg()})
    assert not upcoming.photos.exists()

    Activity.objects.filter(pk=upcoming.pk).update(
        starts_at=timezone.now() - timedelta(hours=4),
        ends_at=timezone.now() - timedelta(hours=1),
        signup_opens_at=timezone.now() - timedelta(days=2),
        signup_closes_at=timezone.now() - timedelta(hours=5),
    )
    client.post(
        reverse("activities:photo-add", args=[upcoming.pk]), {"photo": _jpeg(), "caption": "合影"}
    )
    photo = upcoming.photos.get()
    assert client.get(reverse("activities:photo", args=[photo.pk])).status_code == 200
    assert staff(county.chair2).get(reverse("activities:photo", args=[photo.pk])).status_code == 404


def test_cancelling_an_activity_tells_those_signed_up(county, members):
    activity = make_activity(county, capacity=1)
    for person in members[:2]:
        services.signup_join(activity=activity, person=person)

    response = staff(county.chair1).post(
        reverse("activities:status", args=[activity.pk]), {"status": "cancelled"}
    )

    activity.refresh_from_db()
    assert response.status_code == 302 and activity.status == ActivityStatus.CANCELLED
    assert Message.objects.filter(key=f"activity:{activity.pk}:cancelled").count() == 2


# --- Portal --------------------------------------------------------------------------------


def test_the_portal_lists_what_the_worker_may_join_and_their_own_sign_ups_only(
    county, members, portal_sign_in
):
    own = make_activity(county, organiser=county.g1, title="本厂篮球", capacity=1)
    township = make_activity(county, organiser=county.t1, title="镇里长跑")
    make_activity(county, organiser=county.g2, title="邻厂合唱")
    make_activity(county, organiser=county.t2, title="西镇书法")
    services.signup_join(activity=own, person=members[1])  # someone else's: full now
    client = bound_client(portal_sign_in, members[0])

    page = client.get(reverse("portal-activities:list")).content.decode()

    assert "本厂篮球" in page and "镇里长跑" in page
    assert "邻厂合唱" not in page and "西镇书法" not in page
    assert "会员2" not in page
    theirs = SignUp.objects.get(person=members[1])
    cancel = reverse("portal-activities:cancel", args=[theirs.pk])
    assert client.post(cancel).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == SignUpStatus.SIGNED_UP
    assert client.get(reverse("portal-activities:detail", args=[township.pk])).status_code == 200


def test_joining_in_the_portal_a_double_tap_makes_one_and_a_full_one_says_waiting(
    county, members, portal_sign_in
):
    activity = make_activity(county, capacity=1)
    services.signup_join(activity=activity, person=members[1])
    client = bound_client(portal_sign_in, members[0])
    join = reverse("portal-activities:join", args=[activity.pk])

    first = client.post(join, follow=True).content.decode()
    client.post(join)

    assert SignUp.objects.filter(person=members[0]).count() == 1
    assert "number 1 on the waiting list" in first
    page = client.get(reverse("portal-activities:list")).content.decode()
    assert "On the waiting list" in page


def test_cancelling_in_the_portal_moves_the_waiting_worker_up(county, members, portal_sign_in):
    activity = make_activity(county, capacity=1)
    client = bound_client(portal_sign_in, members[0])
    client.post(reverse("portal-activities:join", args=[activity.pk]))
    waiting = services.signup_join(activity=activity, person=members[1])
    mine = SignUp.objects.get(person=members[0])

    client.post(reverse("portal-activities:cancel", args=[mine.pk]))

    waiting.refresh_from_db()
    assert waiting.status == SignUpStatus.SIGNED_UP
    assert Message.objects.filter(person=members[1], title__contains="A place for you").exists()


def test_checking_in_in_the_portal_with_the_code_from_the_qr(county, members, portal_sign_in):
    activity = make_activity(county, starts_in=0)
    start = timezone.now() + timedelta(minutes=15)
    Activity.objects.filter(pk=activity.pk).update(starts_at=start, signup_closes_at=start)
    activity.refresh_from_db()
    client = bound_client(portal_sign_in, members[0])
    client.post(reverse("portal-activities:join", args=[activity.pk]))
    code = services.checkin_code(activity)
    url = reverse("portal-activities:check-in", args=[activity.pk])

    shown = client.get(url, {"code": code}).content.decode()
    wrong = client.post(url, {"code": "12"})
    done = client.post(url, {"code": code})

    assert f'value="{code}"' in shown
    assert wrong.status_code == 200 and "wrong or out of date" in wrong.content.decode()
    assert done.status_code == 302
    assert SignUp.objects.get(person=members[0]).status == SignUpStatus.ATTENDED
