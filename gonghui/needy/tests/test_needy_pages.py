"""The needy pages: list and filters, detail with masking, forms, the notice, the person page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.needy import services
from gonghui.needy.models import NeedyFile, Threshold
from gonghui.needy.services import MemberData
from gonghui.needy.vocabularies import Cause, FileStatus, Level, ObjectionStatus

from .conftest import TODAY, TZ, open_file, to_notice, valid_id


def _names(response) -> list[str]:
    return [obj.person.name for obj, _cells in response.context["rows"]]


def test_the_list_shows_only_files_in_scope(county, workers, client_for):
    open_file(county.t1staff, workers.w1)
    open_file(county.t1staff, workers.w2)
    open_file(county.t2staff, workers.w3)
    url = reverse("needy:file-list")

    assert sorted(_names(client_for(county.admin).get(url))) == ["张一", "李二", "王三"]
    assert sorted(_names(client_for(county.t1staff).get(url))) == ["张一", "李二"]
    assert _names(client_for(county.chair1).get(url)) == ["张一"]
    assert _names(client_for(county.chair2).get(url)) == ["李二"]
    assert _names(client_for(county.t2staff).get(url)) == ["王三"]


def test_the_list_filters_by_level_status_cause_and_township(county, workers, client_for):
    open_file(county.t1staff, workers.w1, level=Level.DEEP, causes=[Cause.UNEMPLOYMENT])
    two = open_file(county.t1staff, workers.w2, causes=[Cause.DISASTER])
    open_file(county.t2staff, workers.w3, causes=[Cause.DISASTER, Cause.OTHER])
    services.needy_file_withdraw(by=county.t1staff, file=two, reason="撤回")
    client = client_for(county.admin)
    url = reverse("needy:file-list")

    assert _names(client.get(url, {"level": Level.DEEP})) == ["张一"]
    assert _names(client.get(url, {"status": FileStatus.WITHDRAWN})) == ["李二"]
    assert sorted(_names(client.get(url, {"cause": Cause.DISASTER}))) == ["李二", "王三"]
    assert _names(client.get(url, {"township": county.t2.pk})) == ["王三"]


def test_the_list_filters_files_sharing_a_household(county, workers, client_for):
    open_file(county.t1staff, workers.w1)
    open_file(county.t1staff, workers.w2, household=[])
    open_file(county.t2staff, workers.w3, household=[MemberData("陈妻", "spouse", valid_id(101))])
    url = reverse("needy:file-list")

    assert sorted(_names(client_for(county.admin).get(url, {"shared": "on"}))) == ["张一", "王三"]
    # Flagged whatever the other file's scope; listed only where the user sees it.
    assert _names(client_for(county.t1staff).get(url, {"shared": "on"})) == ["张一"]


def test_health_causes_are_not_offered_as_a_filter_without_the_right(county, client_for):
    chair_page = client_for(county.chair1).get(reverse("needy:file-list"))
    choices = dict(chair_page.context["filter_form"].fields["cause"].choices)
    assert Cause.ILLNESS not in choices and Cause.EDUCATION in choices
    staff_page = client_for(county.t1staff).get(reverse("needy:file-list"))
    assert Cause.ILLNESS in dict(staff_page.context["filter_form"].fields["cause"].choices)


def test_the_list_needs_the_same_queries_for_one_file_or_many(county, workers, client_for):
    client = client_for(county.admin)
    url = reverse("needy:file-list")
    open_file(county.t1staff, workers.w1)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    open_file(county.t1staff, workers.w2)
    open_file(county.t2staff, workers.w3)
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(url).context["rows"]) == 3
    assert len(three) == len(one)


def test_staff_see_income_and_health_and_the_view_is_logged(county, workers, client_for):
    file = open_file(county.t1staff, workers.w1)
    response = client_for(county.t1staff).get(file.get_absolute_url())
    content = response.content.decode()
    assert "24000.00" in content
    assert "Illness" in content
    access = LogEntry.objects.get_for_object(file).filter(action=LogEntry.Action.ACCESS)
    assert [entry.actor for entry in access] == [county.t1staff]


def test_a_chair_sees_income_and_health_causes_masked(county, workers, client_for):
    file = open_file(county.t1staff, workers.w1)
    response = client_for(county.chair1).get(file.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "24000" not in content
    assert "Illness" not in content
    assert "Children&#x27;s education" in content or "Children's education" in content
    assert response.context["causes"] == ["Withheld", "Children's education"]
    # Household ID numbers appear masked only, to everyone.
    assert valid_id(101) not in content
    assert not LogEntry.objects.get_for_object(file).filter(action=LogEntry.Action.ACCESS).exists()


def test_the_history_is_not_shown_to_users_who_may_not_see_income(county, workers, client_for):
    file = open_file(county.t1staff, workers.w1)
    # Even with the right to read audit logs, no income without the needy right.
    county.chair1.user_permissions.add(
        Permission.objects.get(codename="view_logentry", content_type__app_label="auditlog")
    )
    chair = client_for(county.chair1).get(file.get_absolute_url())
    assert chair.context["history"] is None
    staff = client_for(county.t1staff).get(file.get_absolute_url())
    assert staff.context["history"]


def test_the_detail_flags_a_household_shared_with_another_file(county, workers, client_for):
    mine = open_file(county.t1staff, workers.w1)
    open_file(county.t2staff, workers.w3, household=[MemberData("陈妻", "spouse", valid_id(101))])
    content = client_for(county.t1staff).get(mine.get_absolute_url()).content.decode()
    # Out of scope: the other file is named by its keeper only, not by the worker.
    assert 'id="shared-household"' in content
    assert "A file kept by 西镇总工会" in content
    assert "王三" not in content
    admin_content = client_for(county.admin).get(mine.get_absolute_url()).content.decode()
    assert "王三" in admin_content


def test_the_public_notice_shows_name_and_level_only(county, workers, client_for):
    file = to_notice(open_file(county.t1staff, workers.w1), county.t1staff)
    open_file(county.t1staff, workers.w2)  # not on notice
    response = client_for(county.chair1).get(reverse("needy:notice-list"))
    content = response.content.decode()
    assert list(response.context["files"]) == [file]
    assert "张一" in content and "Relative difficulty" in content
    assert "李二" not in content
    for secret in (
        workers.w1.masked_id_number(),
        workers.w1.plain_id_number()[-4:],
        "24000",
        "666",
    ):
        assert secret not in content
    assert "Illness" not in content


def test_the_person_page_shows_the_needy_section(county, workers, client_for):
    file = open_file(county.t1staff, workers.w1)
    content = client_for(county.chair1).get(workers.w1.get_absolute_url()).content.decode()
    assert "Needy-worker file" in content
    assert file.get_absolute_url() in content
    assert "a file is being established" in content
    other = client_for(county.chair1).get(workers.w3.get_absolute_url())
    assert other.status_code == 404


def test_the_person_page_offers_to_open_a_file_when_none_is_open(county, workers, client_for):
    content = client_for(county.chair1).get(workers.w1.get_absolute_url()).content.decode()
    assert f"{reverse('needy:file-create')}?person={workers.w1.pk}" in content


def _file_form(**overrides) -> dict:
    data = {
        "origin": "referral",
        "level": Level.DEEP,
        "standard": "national",
        "causes": [Cause.DISABILITY],
        "household_income": "12000",
        "situation": "",
        "household-TOTAL_FORMS": "5",
        "household-INITIAL_FORMS": "0",
        "household-MIN_NUM_FORMS": "0",
        "household-MAX_NUM_FORMS": "1000",
        "household-0-name": "刘母",
        "household-0-relation": "parent",
        "household-0-id_number": valid_id(301, born=dt.date(1955, 3, 3)),
    }
    data.update(overrides)
    return data


def test_staff_open_a_file_by_the_workers_id_number(county, workers, client_for):
    client = client_for(county.t1staff)
    response = client.post(
        reverse("needy:file-create"), _file_form(id_number=workers.w1.plain_id_number())
    )
    file = NeedyFile.objects.get(person=workers.w1)
    assert response.status_code == 302
    assert response["Location"] == file.get_absolute_url()
    assert (file.level, file.organisation, file.household_income) == (
        Level.DEEP,
        county.t1,
        Decimal("12000"),
    )
    assert [m.name for m in file.household.all()] == ["刘母"]
    assert [c.cause for c in file.causes.all()] == [Cause.DISABILITY]


def test_a_worker_outside_the_scope_cannot_be_found_by_id_number(county, workers, client_for):
    client = client_for(county.t1staff)
    response = client.post(
        reverse("needy:file-create"), _file_form(id_number=workers.w3.plain_id_number())
    )
    assert response.status_code == 200
    assert "No registered person in your scope" in response.content.decode()
    assert not NeedyFile.objects.exists()


def test_a_chair_opens_a_file_from_the_person_page(county, workers, client_for):
    client = client_for(county.chair1)
    url = f"{reverse('needy:file-create')}?person={workers.w1.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, _file_form())
    assert response.status_code == 302
    assert NeedyFile.objects.get(person=workers.w1).organisation == county.g1
    # A person outside the chair's union is not found at all.
    assert client.get(f"{reverse('needy:file-create')}?person={workers.w2.pk}").status_code == 404


def test_the_form_shows_a_second_open_file_as_an_error(county, workers, client_for):
    open_file(county.t1staff, workers.w1)
    client = client_for(county.t1staff)
    url = f"{reverse('needy:file-create')}?person={workers.w1.pk}"
    response = client.post(url, _file_form())
    assert response.status_code == 200
    assert "already has an open needy-worker file" in response.content.decode()
    assert NeedyFile.objects.count() == 1


def test_a_chair_edits_a_file_without_seeing_or_losing_the_income(county, workers, client_for):
    file = open_file(county.t1staff, workers.w1)
    client = client_for(county.chair1)
    page = client.get(reverse("needy:file-update", args=[file.pk]))
    assert "24000" not in page.content.decode()
    assert valid_id(101) not in page.content.decode()
    data = _file_form(
        **{
            "household_income": "",
            "household-TOTAL_FORMS": "2",
            "household-INITIAL_FORMS": "2",
            "household-0-name": "陈妻",
            "household-0-relation": "spouse",
            "household-0-id_number": "",
            "household-1-name": "张小",
            "household-1-relation": "child",
            "household-1-id_number": "",
            "household-1-DELETE": "on",
        }
    )
    response = client.post(reverse("needy:file-update", args=[file.pk]), data)
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.household_income == Decimal("24000.00")
    assert file.level == Level.DEEP
    members = list(file.household.all())
    assert [m.name for m in members] == ["陈妻"]
    assert members[0].plain_id_number() == valid_id(101)


def test_the_whole_workflow_through_the_pages(county, workers, client_for, clock):
    file = open_file(county.chair1, workers.w1)
    url = lambda name, *args: reverse(f"needy:{name}", args=[file.pk, *args])  # noqa: E731

    client_for(county.chair1).post(
        url("file-visit"), {"visited_on": TODAY, "visitors": "主席、干事", "findings": "属实"}
    )
    staff = client_for(county.t1staff)
    staff.post(url("file-check-income"), {"comment": "核对无误"})
    staff.post(url("file-notice"), {"starts_on": TODAY, "days": 5})
    staff.post(url("file-objection"), {"received_on": TODAY, "content": "有车", "raised_by": ""})
    objection = file.objections.get()
    clock.move_to(dt.datetime(2026, 3, 7, 9, 0, tzinfo=TZ))
    staff = client_for(county.t1staff)  # the session has expired meanwhile
    refused = staff.post(url("file-file"), {"comment": ""})
    assert "An objection is still pending" in refused.content.decode()
    staff.post(
        url("file-objection-resolve", objection.pk), {"upheld": "0", "resolution": "车辆已报废"}
    )
    done = staff.post(url("file-file"), {"comment": ""})

    assert done.status_code == 302
    file.refresh_from_db()
    objection.refresh_from_db()
    assert file.status == FileStatus.FILED
    assert file.filed_on == dt.date(2026, 3, 7)
    assert objection.status == ObjectionStatus.DISMISSED
    assert list(file.steps.values_list("action", flat=True)) == [
        "create",
        "visit",
        "income_check",
        "notice_start",
        "objection",
        "objection_dismissed",
        "file",
    ]

    staff.post(
        url("file-review"),
        {
            "year": 2026,
            "reviewed_on": "2026-03-07",
            "household_income": "20000",
            "outcome": "continue",
        },
    )
    staff.post(url("file-exit"), {"exited_on": "2026-03-07", "reason": "employment", "note": ""})
    file.refresh_from_db()
    assert file.reviews.count() == 1
    assert file.status == FileStatus.EXITED


def test_filing_too_early_is_shown_on_the_page(county, workers, client_for):
    file = to_notice(open_file(county.t1staff, workers.w1), county.t1staff)
    response = client_for(county.t1staff).post(
        reverse("needy:file-file", args=[file.pk]), {"comment": ""}
    )
    assert response.status_code == 200
    assert "The public notice runs until 2026-03-06" in response.content.decode()
    file.refresh_from_db()
    assert file.status == FileStatus.NOTICE


def test_staff_set_a_threshold_for_their_township(county, client_for):
    client = client_for(county.t1staff)
    response = client.post(
        reverse("needy:threshold-set"),
        {"organisation": county.t1.pk, "year": 2026, "amount": "820"},
    )
    assert response.status_code == 302
    assert Threshold.objects.get(organisation=county.t1, year=2026).amount == Decimal("820")
    refused = client.post(
        reverse("needy:threshold-set"),
        {"organisation": county.t2.pk, "year": 2026, "amount": "820"},
    )
    assert refused.status_code == 200
    assert not Threshold.objects.filter(organisation=county.t2).exists()


@pytest.mark.parametrize("persona", ["t2staff", "chair2"])
def test_a_neighbour_cannot_see_the_person_section_files(county, workers, client_for, persona):
    open_file(county.t1staff, workers.w1)
    client = client_for(getattr(county, persona))
    assert client.get(workers.w1.get_absolute_url()).status_code == 404
