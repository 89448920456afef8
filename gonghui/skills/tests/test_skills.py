"""Vocational skill levels on the person's file (issue 16, item 2): recording, the
refusals, the worker's highest level, the counts of skilled and highly skilled workers
by township, industry and union, the list and its export, the person's section and
the worker's own page in the portal."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.portal.tests.test_card import bound_client, worker
from gonghui.skills import selectors, services
from gonghui.skills.models import SkillLevel, SkillRecord, SkillSource

DAY = date(2023, 6, 1)


def add(by, person, level, trade, **extra):
    return services.skill_record_add(
        by=by, person=person, level=level, trade=trade, certified_on=DAY, **extra
    )


# --- services ------------------------------------------------------------------------


def test_a_level_is_recorded_with_who_entered_it_and_its_history(county, people):
    record = add(county.chair1, people.p1, "3", "  电工 ", certificate_number="  S-2023 0001 ")
    record.refresh_from_db()
    assert (record.trade, record.certificate_number) == ("电工", "S-2023 0001")
    assert record.entered_by == county.chair1
    assert record.source == SkillSource.STAFF
    assert record.is_highest and record.is_high_skilled
    assert LogEntry.objects.get_for_object(record).filter(action=LogEntry.Action.CREATE).exists()


def test_a_duplicate_level_in_the_same_trade_is_refused_with_a_clear_message(county, people):
    add(county.admin, people.p1, "4", "电工")
    with pytest.raises(ValidationError) as refused:
        add(county.admin, people.p1, "4", "电工 ")
    assert "张一 already holds Level 4 · intermediate worker in 电工." in refused.value.messages
    assert SkillRecord.objects.filter(person=people.p1).count() == 1
    # Another trade, or another level in the same trade, is a new record.
    add(county.admin, people.p1, "4", "焊工")
    add(county.admin, people.p1, "3", "电工")
    assert SkillRecord.objects.filter(person=people.p1).count() == 3


def test_a_worker_outside_the_users_scope_is_refused_without_being_named(county, people):
    with pytest.raises(PermissionDenied) as refused:
        add(county.chair1, people.p2, "3", "电工")
    assert "李二" not in str(refused.value)
    assert str(refused.value) == "This person is outside your scope."
    assert not SkillRecord.objects.exists()
    record = add(county.admin, people.p2, "3", "电工")
    with pytest.raises(PermissionDenied):
        services.skill_record_change(
            by=county.chair1, record=record, level="1", trade="电工", certified_on=DAY
        )
    with pytest.raises(PermissionDenied):
        services.skill_record_remove(by=county.chair1, record=record)
    record.refresh_from_db()
    assert record.level == "3"


def test_a_certificate_dated_in_the_future_is_refused(county, people):
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        services.skill_record_add(
            by=county.admin, person=people.p1, level="3", trade="电工", certified_on=tomorrow
        )
    assert refused.value.message_dict == {
        "certified_on": ["The certificate date cannot be in the future."]
    }
    assert not SkillRecord.objects.exists()


def test_only_a_competition_records_a_level_without_a_user(county, people):
    with pytest.raises(PermissionDenied):
        add(None, people.p1, "3", "电工")
    record = add(None, people.p1, "3", "电工", source=SkillSource.COMPETITION)
    assert record.entered_by is None and record.source == "competition"


def test_the_highest_level_follows_adds_changes_and_removals(county, people):
    low = add(county.admin, people.p1, "5", "电工")
    assert low.is_highest
    high = add(county.admin, people.p1, "3", "焊工")
    low.refresh_from_db()
    assert high.is_highest and not low.is_highest
    services.skill_record_change(
        by=county.admin, record=low, level="2", trade="电工", certified_on=DAY
    )
    low.refresh_from_db()
    high.refresh_from_db()
    assert low.is_highest and not high.is_highest
    services.skill_record_remove(by=county.admin, record=low)
    high.refresh_from_db()
    assert high.is_highest
    assert SkillRecord.objects.highest().filter(person=people.p1).count() == 1


def test_a_change_into_a_level_already_held_is_refused_and_keeps_the_record(county, people):
    add(county.admin, people.p1, "3", "电工")
    other = add(county.admin, people.p1, "4", "电工")
    with pytest.raises(ValidationError):
        services.skill_record_change(
            by=county.admin, record=other, level="3", trade="电工", certified_on=DAY
        )
    other.refresh_from_db()
    assert other.level == "4"


def test_the_high_skilled_levels_are_advanced_worker_and_above():
    assert SkillLevel.HIGH_SKILLED == {"3", "2", "1"}
    assert SkillLevel.ADVANCED in SkillLevel.HIGH_SKILLED
    assert SkillLevel.INTERMEDIATE not in SkillLevel.HIGH_SKILLED


# --- counts --------------------------------------------------------------------------


@pytest.fixture
def skilled(county, people, uncovered_t1_employer):
    """p1 (E1, T1, G1): 电工 5 and 3, 焊工 4 → advanced; p2 (E2, T1, G2): 钳工 2;
    p3 (E3, T2, no union): 焊工 5; p5 (a restaurant in T1, industry H, no union): 厨师 4."""
    from gonghui.people.services import person_create
    from gonghui.people.tests.conftest import valid_id

    p5 = person_create(
        by=county.superuser, name="孙五", id_number=valid_id(5), employer=uncovered_t1_employer
    )
    for person, level, trade in [
        (people.p1, "5", "电工"),
        (people.p1, "3", "电工"),
        (people.p1, "4", "焊工"),
        (people.p2, "2", "钳工"),
        (people.p3, "5", "焊工"),
        (p5, "4", "厨师"),
    ]:
        add(county.admin, person, level, trade)
    return p5


def figures(rows):
    return {row.label: (row.skilled, row.high_skilled, row.by_level) for row in rows}


def levels(**counts):
    return {**dict.fromkeys(SkillLevel.values, 0), **counts}


def test_the_counts_of_a_small_county_by_township_industry_and_union(county, skilled):
    report = selectors.skill_counts(county.admin)
    assert (report.total.skilled, report.total.high_skilled) == (4, 2)
    assert figures(report.townships) == {
        "东镇总工会": (3, 2, levels(**{"3": 1, "2": 1, "4": 1})),
        "西镇总工会": (1, 0, levels(**{"5": 1})),
    }
    industries = figures(report.industries)
    assert [label[0] for label in industries] == ["C", "H"]
    assert [value[:2] for value in industries.values()] == [(3, 2), (1, 0)]
    assert figures(report.unions) == {
        "东镇机械厂工会": (1, 1, levels(**{"3": 1})),
        "东镇纺织厂工会": (1, 1, levels(**{"2": 1})),
        "No union (or no employer)": (2, 0, levels(**{"5": 1, "4": 1})),
    }


def test_the_counts_keep_to_the_users_scope(county, skilled):
    report = selectors.skill_counts(county.chair1)
    assert (report.total.skilled, report.total.high_skilled) == (1, 1)
    assert figures(report.unions) == {"东镇机械厂工会": (1, 1, levels(**{"3": 1}))}
    t2 = selectors.skill_counts(county.t2staff)
    assert (t2.total.skilled, t2.total.high_skilled) == (1, 0)


def test_the_counts_are_read_in_a_fixed_number_of_queries(
    county, skilled, django_assert_max_num_queries
):
    county.admin.refresh_from_db()
    with django_assert_max_num_queries(4):
        selectors.skill_counts(county.admin)


def test_the_counts_page_and_its_export(county, skilled, client_for):
    client = client_for(county.leader)
    page = client.get(reverse("skills:counts"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-figure="high-skilled">2<' in html and "东镇机械厂工会" in html
    response = client.get(reverse("skills:counts") + "?export=xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 3
    rows = list(book[book.sheetnames[0]].values)
    assert rows[0][0] == "group"
    assert rows[1][0] == "东镇总工会" and rows[1][6:8] == (3, 2)


# --- the list, the person's section, the forms ------------------------------------------


def test_the_list_filters_by_level_trade_township_and_source_and_exports(
    county, skilled, client_for
):
    client = client_for(county.t1staff)
    url = reverse("skills:list")
    html = client.get(url).content.decode()
    assert "张一" in html and "孙五" in html and "王三" not in html  # 王三 works in T2
    only = client.get(url, {"trade": "电工", "level": "3"}).content.decode()
    assert "张一" in only and "李二" not in only
    high = client.get(url, {"high_skilled": "on"}).content.decode()
    assert "李二" in high and "孙五" not in high
    assert "张一" not in client.get(url, {"source": "competition"}).content.decode()
    response = client.get(url, {"trade": "钳工", "export": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert [row[0] for row in rows[2:]] == ["李二"]


def test_the_persons_file_shows_the_levels_with_the_current_one_per_trade(
    county,
    skilled,
    people,
    client_for,
):
    html = client_for(county.chair1).get(people.p1.get_absolute_url()).content.decode()
    assert 'id="skills"' in html and 'id="add-skill"' in html
    assert html.count('class="superseded"') == 1  # 电工 level 5, below level 3
    assert (
        reverse("skills:update", args=[SkillRecord.objects.filter(person=people.p1).first().pk])
        in html
    )
    leader = client_for(county.leader).get(people.p1.get_absolute_url()).content.decode()
    assert 'id="skills"' in leader and 'id="add-skill"' not in leader


def test_a_level_is_added_and_edited_from_the_file_and_the_edit_page_shows_it(
    county,
    people,
    client_for,
):
    client = client_for(county.chair1)
    create = reverse("skills:create", args=[people.p1.pk])
    assert client.get(create).status_code == 200
    response = client.post(
        create,
        {"level": "4", "trade": "电工", "certified_on": "2023-05-01", "certificate_number": "A1"},
    )
    assert response.status_code == 302
    record = SkillRecord.objects.get(person=people.p1)
    edit = reverse("skills:update", args=[record.pk])
    page = client.get(edit).content.decode()
    assert 'value="2023-05-01"' in page and 'value="A1"' in page and 'value="电工"' in page
    client.post(
        edit,
        {"level": "3", "trade": "电工", "certified_on": "2023-05-01", "certificate_number": "A1"},
    )
    record.refresh_from_db()
    assert (record.level, record.certificate_number) == ("3", "A1")
    again = client.post(create, {"level": "3", "trade": "电工", "certified_on": "2023-05-01"})
    assert again.status_code == 200 and "already holds" in again.content.decode()
    # Another union's worker is not there to add to.
    assert client.get(reverse("skills:create", args=[people.p2.pk])).status_code == 404
    assert client_for(county.leader).get(create).status_code == 403


def test_a_record_is_removed_after_a_confirmation(county, people, client_for):
    record = add(county.admin, people.p1, "3", "电工")
    client = client_for(county.chair1)
    url = reverse("skills:remove", args=[record.pk])
    assert client.get(url).status_code == 200
    assert SkillRecord.objects.filter(pk=record.pk).exists()
    assert client.post(url).status_code == 302
    assert not SkillRecord.objects.filter(pk=record.pk).exists()
    assert client_for(county.chair2).get(url).status_code == 404


# --- the portal ---------------------------------------------------------------------------


def test_the_worker_sees_only_their_own_levels_in_the_portal(county, portal_sign_in):
    mine = worker(county, 61, union=county.g1, name="钱技")
    other = worker(county, 62, union=county.g1, name="孙技")
    add(county.admin, mine, "2", "数控车工", certificate_number="NC-1")
    add(county.admin, other, "1", "焊工", certificate_number="WELD-9")
    client = bound_client(portal_sign_in, mine)
    html = client.get(reverse("portal-skills:mine")).content.decode()
    assert "数控车工" in html and "NC-1" in html and "Level 2 · technician" in html
    assert "焊工" not in html and "WELD-9" not in html


def test_a_worker_with_no_level_is_told_how_to_have_one_recorded(county, portal_sign_in):
    client = bound_client(portal_sign_in, worker(county, 63, union=county.g1))
    html = client.get(reverse("portal-skills:mine")).content.decode()
    assert "No skill level is recorded on your file yet." in html
