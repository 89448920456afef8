import json

import pytest
from auditlog.models import LogEntry
from django.core.management.base import CommandError
from django.db.models import Sum
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.demo.models import DemoCounty
from gonghui.demo.tests.helpers import build, run_demo
from gonghui.orgs.models import Employer, Organisation
from gonghui.people import services
from gonghui.people.models import (
    CardCounter,
    JoinApplication,
    Membership,
    Person,
    RevealLog,
)
from gonghui.people.vocabularies import JoinChannel, SensitiveField


@pytest.mark.django_db
def test_if_empty_builds_once_and_then_does_nothing():
    first = run_demo("--if-empty", "--scale", "2000", "--seed", "3")
    assert "Gonghui-Demo-2026" in first
    organisations, employers = Organisation.objects.count(), Employer.objects.count()
    demo = DemoCounty.objects.get()

    assert run_demo("--if-empty", "--scale", "2000", "--seed", "4") == ""
    assert Organisation.objects.count() == organisations
    assert Employer.objects.count() == employers
    assert DemoCounty.objects.get() == demo


@pytest.mark.django_db
def test_a_second_build_is_refused_without_force():
    build(7)
    organisations = Organisation.objects.count()
    with pytest.raises(CommandError, match="--force"):
        build(8)
    assert Organisation.objects.count() == organisations
    assert DemoCounty.objects.get().seed == 7


@pytest.mark.django_db
def test_force_wipes_the_demo_with_what_people_added_to_it_and_rebuilds():
    build(7)
    township = Organisation.objects.get(code="T03")
    User.objects.create_user("added_later", organisation=township)
    admin = User.objects.get(username="admin")
    # People's work on demo people: a reveal, a transfer, a new application.
    member = Person.objects.members().first()
    services.person_reveal(by=admin, person=member, field=SensitiveField.ID_NUMBER)
    other_union = Organisation.objects.filter(kind="joint").exclude(pk=member.current_union_id)
    services.membership_transfer(by=admin, person=member, to_union=other_union.first())
    outsider = Person.objects.filter(current_union=None, join_applications=None).first()
    services.join_application_submit(
        by=admin, channel=JoinChannel.STAFF, person=outsider, employer=outsider.employer
    )
    counts = (Organisation.objects.count(), Employer.objects.count(), Person.objects.count())
    memberships = Membership.objects.count() - 1  # the transfer added one
    audit_entries = LogEntry.objects.count()  # what the people above did is audited

    build(7, "--force")

    assert not User.objects.filter(username="added_later").exists()
    assert (Organisation.objects.count(), Employer.objects.count(), Person.objects.count()) == (
        counts
    )
    assert Membership.objects.count() == memberships
    assert not RevealLog.objects.exists()
    assert DemoCounty.objects.count() == 1
    # Cards are issued afresh: the counters restarted with the county.
    assert CardCounter.objects.aggregate(n=Sum("last_number"))["n"] == (
        Person.objects.exclude(card_number="").count()
    )
    # Neither the generated rows nor their wiping reach the audit trail.
    assert LogEntry.objects.count() == audit_entries


def test_organisations_that_are_not_demo_data_are_never_wiped(county):
    with pytest.raises(CommandError, match="not demo data"):
        build(7, "--force")
    assert Organisation.objects.filter(code="C").get() == county.root
    assert not DemoCounty.objects.exists()
    assert run_demo("--if-empty") == ""


@pytest.mark.django_db
def test_json_output_carries_the_summary_and_the_logins():
    data = json.loads(build(7, "--json"))
    assert data["employers"] == Employer.objects.count()
    assert data["workers"] == Person.objects.count() == data["scale"]
    assert data["members"] == Person.objects.members().count()
    assert data["pending_applications"] == JoinApplication.objects.count()
    year = timezone.localdate().year
    assert data["members_joined_this_year"] == (
        Membership.objects.filter(joined_on__year=year, transferred_from=None).count()
    )
    assert data["employers_without_union"] == Employer.objects.without_union().count()
    assert data["organisations"]["township"] == 15
    assert {login["username"] for login in data["logins"]} == set(
        User.objects.values_list("username", flat=True)
    )
    assert data["authenticator"]["uri"].startswith("otpauth://totp/")


@pytest.mark.django_db
def test_a_scale_below_one_is_refused():
    with pytest.raises(CommandError):
        run_demo("--scale", "0")
    assert not Organisation.objects.exists()
