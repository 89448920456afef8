import json

import pytest
from auditlog.models import LogEntry
from django.core.management.base import CommandError

from gonghui.accounts.models import User
from gonghui.demo.models import DemoCounty
from gonghui.demo.tests.helpers import build, run_demo
from gonghui.orgs.models import Employer, Organisation


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
    counts = (Organisation.objects.count(), Employer.objects.count())
    audit_entries = LogEntry.objects.count()  # creating "added_later" is audited

    build(7, "--force")

    assert not User.objects.filter(username="added_later").exists()
    assert (Organisation.objects.count(), Employer.objects.count()) == counts
    assert DemoCounty.objects.count() == 1
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
