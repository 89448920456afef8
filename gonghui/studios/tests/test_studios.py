"""Studios, achievements, the showcase and mentoring: the services and their refusals,
the console pages and their scope, the outcome counts and the portal's pages."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.core.idnumbers import complete_id_number
from gonghui.people import services as people
from gonghui.portal.auth import COOKIE
from gonghui.portal.services import session_start
from gonghui.portal.tests.sweep import account
from gonghui.studios import selectors, services
from gonghui.studios.levels import skill_levels
from gonghui.studios.models import (
    Achievement,
    AchievementPhoto,
    MentoringPair,
    MentoringStatus,
    Studio,
    StudioMember,
)
from gonghui.studios.tests.sweep import photo

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 1)
SEQ = iter(range(1, 10_000))


def worker(county, name, *, employer=None, union=None):
    """A worker of ``employer`` (E1 by default), a member of ``union`` if given."""
    n = next(SEQ)
    person = people.person_create(
        by=county.superuser,
        name=name,
        id_number=complete_id_number(f"330106{date(1985, 1, 1) + timedelta(days=n):%Y%m%d}{n:03d}"),
        phone=f"139{n:08d}",
        employer=employer or county.e1,
    )
    if union is not None:
        people.membership_start(
            by=county.superuser, person=person, union=union, joined_on=date(2020, 1, 1)
        )
        person.refresh_from_db()
    return person


def studio_at(county, *, by=None, employer=None, leader=None, name="数控创新工作室", **extra):
    employer = employer or county.e1
    leader = leader or worker(county, "劳模甲", employer=employer)
    return services.studio_create(
        by=by or county.admin,
        name=name,
        leader=leader,
        employer=employer,
        level=extra.pop("level", "county"),
        founded_on=extra.pop("founded_on", date(2020, 1, 1)),
        **extra,
    )


def pair_for(county, *, mentor, apprentice, studio=None, starts_on=date(2025, 1, 1), **extra):
    return services.mentoring_pair_create(
        by=county.admin,
        mentor=mentor,
        apprentice=apprentice,
        trade=extra.pop("trade", "钳工"),
        studio=studio,
        starts_on=starts_on,
        ends_on=extra.pop("ends_on", starts_on + timedelta(days=365)),
        goals="取得高级工证书",
    )


# --- Services and their refusals ------------------------------------------------------------


def test_a_studio_is_recorded_with_its_leader_as_first_member(county):
    studio = studio_at(county, description="工艺攻关")
    assert studio.employer == county.e1
    member = StudioMember.objects.get(studio=studio)
    assert member.person == studio.leader and member.joined_on == date(2020, 1, 1)


def test_an_employer_outside_scope_is_refused_without_being_named(county, client_for):
    leader = worker(county, "劳模乙", employer=county.e1)
    client = client_for(county.chair1)
    response = client.post(
        reverse("studios:create"),
        {
            "name": "越界工作室",
            "employer": county.e2.pk,  # G2's employer: not the chair's
            "leader_id_number": leader.plain_id_number(),
            "level": "county",
            "founded_on": "2020-01-01",
        },
    )
    assert response.status_code == 200
    assert "Choose an employer in your scope." in response.content.decode() or response.context[
        "form"
    ].errors.get("employer")
    assert county.e2.name not in response.content.decode()
    assert not Studio.objects.exists()


def test_a_leader_outside_scope_is_refused(county):
    stranger = worker(county, "外镇职工", employer=county.e3)
    with pytest.raises(ValidationError) as refused:
        studio_at(county, by=county.chair1, leader=stranger)
    assert "leader" in refused.value.error_dict
    assert not Studio.objects.exists()


def test_a_patent_without_its_number_is_refused_and_nothing_is_written(county):
    studio = studio_at(county)
    for number in ("", "CN123", "ZL2023101234567"):
        with pytest.raises(ValidationError) as refused:
            services.achievement_create(
                by=county.admin,
                studio=studio,
                kind="patent",
                patent_number=number,
                title="专利",
                year=2024,
                photos=[photo()],
            )
        assert "patent_number" in refused.value.error_dict
    assert not Achievement.objects.exists() and not AchievementPhoto.objects.exists()


def test_a_patent_number_is_normalised_and_accepted_in_both_shapes(county):
    studio = studio_at(county)
    for typed, kept in (("zl 202310123456．7", "ZL202310123456.7"), ("ZL98123456.X", None)):
        achievement = services.achievement_create(
            by=county.admin,
            studio=studio,
            kind="patent",
            patent_number=typed,
            title=f"专利{typed}",
            year=2024,
        )
        assert achievement.patent_number == (kept or typed)


def test_a_benefit_below_zero_is_refused(county):
    studio = studio_at(county)
    with pytest.raises(ValidationError) as refused:
        services.achievement_create(
            by=county.admin, studio=studio, kind="technical", title="革新", year=2024, benefit=-1
        )
    assert refused.value.error_dict["benefit"][0].messages == [
        "The economic benefit cannot be below zero."
    ]
    assert not Achievement.objects.exists()


def test_only_members_are_credited(county):
    studio = studio_at(county)
    outsider = worker(county, "非成员")
    with pytest.raises(ValidationError) as refused:
        services.achievement_create(
            by=county.admin,
            studio=studio,
            kind="invention",
            title="发明",
            year=2024,
            credited=[outsider],
        )
    assert "credited" in refused.value.error_dict


def test_a_file_that_is_not_a_photo_leaves_nothing(county, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    studio = studio_at(county)
    with pytest.raises(ValidationError):
        services.achievement_create(
            by=county.admin,
            studio=studio,
            kind="other",
            title="成果",
            year=2024,
            photos=[photo(), SimpleUploadedFile("x.png", b"not an image")],
        )
    assert not Achievement.objects.exists()
    stored = list((tmp_path).rglob("*.jpg")) if settings.MEDIA_ROOT else []
    assert stored == []


def test_a_mentor_cannot_be_their_own_apprentice(county):
    master = worker(county, "师傅")
    with pytest.raises(ValidationError) as refused:
        pair_for(county, mentor=master, apprentice=master)
    assert refused.value.error_dict["apprentice"][0].messages == [
        "A mentor cannot be their own apprentice."
    ]
    assert not MentoringPair.objects.exists()


def test_an_agreement_ending_before_it_starts_is_refused(county):
    master, pupil = worker(county, "师傅"), worker(county, "徒弟")
    with pytest.raises(ValidationError) as refused:
        pair_for(county, mentor=master, apprentice=pupil, ends_on=date(2024, 12, 31))
    assert "ends_on" in refused.value.error_dict
    assert not MentoringPair.objects.exists()


def test_a_pair_is_completed_only_once_its_agreement_has_ended(county):
    """Decision: an active pair is *completed* on or after its end date; before it, it can
    only be *ended early* (also evaluated). Either way the evaluation is made once."""
    master, pupil = worker(county, "师傅"), worker(county, "徒弟")
    pair = pair_for(county, mentor=master, apprentice=pupil)  # 2025-01-01 → 2026-01-01
    with pytest.raises(ValidationError) as refused:
        services.mentoring_pair_evaluate(
            by=county.admin,
            pair=pair,
            status=MentoringStatus.COMPLETED,
            result="良好",
            evaluated_on=date(2025, 6, 1),
            today=TODAY,
        )
    assert "status" in refused.value.error_dict
    pair.refresh_from_db()
    assert pair.status == MentoringStatus.ACTIVE and pair.evaluated_on is None
    services.mentoring_pair_evaluate(
        by=county.admin,
        pair=pair,
        status=MentoringStatus.ENDED_EARLY,
        result="徒弟调岗",
        evaluated_on=date(2025, 6, 1),
        today=TODAY,
    )
    pair.refresh_from_db()
    assert pair.status == MentoringStatus.ENDED_EARLY and pair.evaluated_by == county.admin
    with pytest.raises(ValidationError):
        services.mentoring_pair_evaluate(
            by=county.admin, pair=pair, status="completed", result="再评", today=TODAY
        )


def test_a_pair_is_placed_at_the_apprentices_union(county):
    master = worker(county, "师傅", union=county.g1)
    pupil = worker(county, "徒弟", union=county.g1)
    pair = services.mentoring_pair_create(
        by=county.chair1,
        mentor=master,
        apprentice=pupil,
        trade="焊工",
        starts_on=date(2025, 1, 1),
        ends_on=date(2026, 1, 1),
        goals="技能提升",
    )
    assert pair.union == county.g1


# --- Outcomes, counted by hand ----------------------------------------------------------------


def test_outcomes_by_studio_and_union_on_a_small_county(county):
    levels = skill_levels()
    assert levels is not None, "gonghui.skills provides SkillLevel"
    studio = studio_at(county, name="一号工作室")
    master = studio.leader
    a = worker(county, "徒弟甲", union=county.g1)
    b = worker(county, "徒弟乙", union=county.g1)
    c = worker(county, "徒弟丙", employer=county.e2, union=county.g2)
    ended = date(2026, 1, 1)
    # In the studio: A completed at 高级工 (counted), B completed at 中级工 (not high),
    # A again in another trade, completed at 技师 (A counted once), one active pair.
    for pupil, trade, level in (
        (a, "钳工", "ADVANCED"),
        (b, "钳工", "INTERMEDIATE"),
        (a, "车工", "TECHNICIAN"),
    ):
        pair = pair_for(county, mentor=master, apprentice=pupil, studio=studio, trade=trade)
        services.mentoring_pair_evaluate(
            by=county.admin,
            pair=pair,
            status="completed",
            result="合格",
            level_reached=getattr(levels, level).value,
            evaluated_on=ended,
            today=TODAY,
        )
    pair_for(county, mentor=master, apprentice=b, studio=studio, trade="铣工")
    # Without a studio, at G2: one ended early at 高级工 (counted: the level was reached).
    other_master = worker(county, "师傅乙", employer=county.e2, union=county.g2)
    early = pair_for(county, mentor=other_master, apprentice=c)
    services.mentoring_pair_evaluate(
        by=county.admin,
        pair=early,
        status="ended_early",
        result="提前达标",
        level_reached=levels.ADVANCED.value,
        evaluated_on=date(2025, 8, 1),
        today=TODAY,
    )
    outcomes = selectors.mentoring_outcomes(county.admin)
    [row] = outcomes.by_studio
    assert (row.name, row.pairs, row.completed, row.high_skilled) == ("一号工作室", 4, 3, 1)
    by_union = {r.name: (r.pairs, r.completed, r.high_skilled) for r in outcomes.by_union}
    assert by_union == {county.g1.name: (4, 3, 1), county.g2.name: (1, 0, 1)}
    assert (outcomes.total.pairs, outcomes.total.completed, outcomes.total.high_skilled) == (
        5,
        3,
        2,
    )
    # The chair of G1 counts only their own union's pairs.
    mine = selectors.mentoring_outcomes(county.chair1)
    assert [(r.name, r.pairs) for r in mine.by_union] == [(county.g1.name, 4)]


def test_the_outcomes_page_and_its_export(county, client_for):
    studio = studio_at(county, name="二号工作室")
    pair_for(county, mentor=studio.leader, apprentice=worker(county, "徒弟"), studio=studio)
    client = client_for(county.t1staff)
    page = client.get(reverse("studios:outcomes"))
    assert page.status_code == 200 and "二号工作室" in page.content.decode()
    export = client.get(reverse("studios:outcomes"), {"export": "xlsx"})
    book = load_workbook(io.BytesIO(export.content), read_only=True)
    cells = [c for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r]
    assert "二号工作室" in cells and county.g1.name in cells
    assert (
        client_for(county.chair2)
        .get(reverse("studios:outcomes"))
        .content.decode()
        .count("二号工作室")
        == 0
    )


# --- Console pages and scope ------------------------------------------------------------------


def test_another_subtrees_studio_is_a_404(county, client_for):
    studio = studio_at(county)
    assert client_for(county.chair2).get(studio.get_absolute_url()).status_code == 404
    assert client_for(county.chair1).get(studio.get_absolute_url()).status_code == 200


def test_the_edit_page_shows_the_studio_and_saving_one_field_keeps_the_others(county, client_for):
    studio = studio_at(county, description="原描述", level="municipal")
    client = client_for(county.chair1)
    page = client.get(reverse("studios:update", args=[studio.pk]))
    form = page.context["form"]
    assert form["name"].value() == studio.name and form["level"].value() == "municipal"
    assert form["founded_on"].value() == date(2020, 1, 1)
    assert 'value="2020-01-01"' in page.content.decode()
    response = client.post(
        reverse("studios:update", args=[studio.pk]),
        {
            "name": "新名称",
            "level": "municipal",
            "founded_on": "2020-01-01",
            "description": "原描述",
            "leader_id_number": "",
        },
    )
    assert response.status_code == 302
    studio.refresh_from_db()
    assert (studio.name, studio.level, studio.description) == ("新名称", "municipal", "原描述")


def test_the_leader_reads_and_cannot_edit(county, client_for):
    studio = studio_at(county)
    client = client_for(county.leader)
    assert client.get(studio.get_absolute_url()).status_code == 200
    assert client.get(reverse("studios:update", args=[studio.pk])).status_code == 403


def test_the_showcase_filters(county, client_for):
    sea = studio_at(county, name="甲工作室", level="provincial")
    land = studio_at(county, name="乙工作室", employer=county.e3, level="county")
    rows = [
        (sea, "patent", 2024, True, "专利成果"),
        (sea, "technical", 2023, True, "革新成果"),
        (land, "invention", 2024, True, "发明成果"),
        (land, "other", 2024, False, "未发布成果"),
    ]
    for studio, kind, year, published, title in rows:
        services.achievement_create(
            by=county.admin,
            studio=studio,
            kind=kind,
            patent_number="ZL202310123456.7" if kind == "patent" else "",
            title=title,
            year=year,
            published=published,
        )
    client = client_for(county.admin)
    url = reverse("studios:showcase")

    def titles(**query):
        text = client.get(url, query).content.decode()
        return {t for _s, _k, _y, _p, t in rows if t in text}

    assert titles() == {"专利成果", "革新成果", "发明成果"}
    assert titles(kind="patent") == {"专利成果"}
    assert titles(year=2023) == {"革新成果"}
    assert titles(level="provincial") == {"专利成果", "革新成果"}
    assert titles(township=county.t2.pk) == {"发明成果"}
    assert titles(industry="C", year=2024) == {"专利成果", "发明成果"}
    assert titles(industry="A") == set()
    # T1's staff see only T1's studios.
    text = client_for(county.t1staff).get(url).content.decode()
    assert "专利成果" in text and "发明成果" not in text


def test_the_person_file_and_employer_page_show_studios_and_pairs(county, client_for):
    studio = studio_at(county, name="三号工作室")
    pupil = worker(county, "学徒丁")
    pair_for(county, mentor=studio.leader, apprentice=pupil, studio=studio)
    client = client_for(county.t1staff)
    person_page = client.get(reverse("people:person-detail", args=[pupil.pk])).content.decode()
    assert "person-studios" in person_page and studio.leader.name in person_page
    leader_page = client.get(
        reverse("people:person-detail", args=[studio.leader.pk])
    ).content.decode()
    assert "三号工作室" in leader_page
    employer_page = client.get(county.e1.get_absolute_url()).content.decode()
    assert "employer-studios" in employer_page and "三号工作室" in employer_page


# --- The portal ---------------------------------------------------------------------------------


def portal(client, person):
    bound = account(person.plain_phone(), person)
    client.cookies[COOKIE] = session_start(bound)
    return client


def test_members_see_the_countys_published_showcase_and_others_do_not(county, client):
    mine = studio_at(county, name="东工作室")
    other = studio_at(county, name="西工作室", employer=county.e3)
    for studio, title, published in (
        (mine, "东成果", True),
        (other, "西成果", True),
        (other, "草稿", False),
    ):
        services.achievement_create(
            by=county.admin,
            studio=studio,
            kind="technical",
            title=title,
            year=2024,
            published=published,
            photos=[photo()],
        )
    member = worker(county, "会员", union=county.g1)
    text = portal(client, member).get(reverse("portal-studios:showcase")).content.decode()
    assert "东成果" in text and "西成果" in text and "草稿" not in text
    draft = Achievement.objects.get(title="草稿")
    assert client.get(reverse("portal-studios:achievement", args=[draft.pk])).status_code == 404
    assert (
        client.get(reverse("portal-studios:photo", args=[draft.photos.get().pk])).status_code == 404
    )
    published = Achievement.objects.get(title="西成果")
    assert client.get(reverse("portal-studios:achievement", args=[published.pk])).status_code == 200
    photo_response = client.get(reverse("portal-studios:photo", args=[published.photos.get().pk]))
    assert photo_response.status_code == 200 and photo_response["Content-Type"] == "image/jpeg"

    non_member = worker(county, "非会员")
    text = portal(client, non_member).get(reverse("portal-studios:showcase")).content.decode()
    assert "members-only" in text and "东成果" not in text
    assert client.get(reverse("portal-studios:achievement", args=[published.pk])).status_code == 404


def test_a_worker_sees_their_own_studio_and_pair_only(county, client):
    studio = studio_at(county)
    pupil = worker(county, "徒弟", union=county.g1)
    services.studio_member_add(
        by=county.admin, studio=studio, person=pupil, joined_on=date(2021, 1, 1)
    )
    pair = pair_for(county, mentor=studio.leader, apprentice=pupil, studio=studio)
    stranger = worker(county, "旁人", union=county.g1)
    others = pair_for(county, mentor=studio.leader, apprentice=stranger, trade="电工")

    portal(client, pupil)
    assert client.get(reverse("portal-studios:studio", args=[studio.pk])).status_code == 200
    assert client.get(reverse("portal-studios:pair", args=[pair.pk])).status_code == 200
    assert client.get(reverse("portal-studios:pair", args=[others.pk])).status_code == 404
    mine = client.get(reverse("portal-studios:mine")).content.decode()
    assert studio.name in mine and "电工" not in mine

    portal(client, stranger)  # not a member of the studio
    assert client.get(reverse("portal-studios:studio", args=[studio.pk])).status_code == 404
    # The mentor sees the pair too.
    portal(client, studio.leader)
    assert client.get(reverse("portal-studios:pair", args=[pair.pk])).status_code == 200


def test_the_portal_sends_a_visitor_to_sign_in(client):
    response = client.get(reverse("portal-studios:showcase"))
    assert response.status_code == 302 and reverse("portal:sign-in") in response["Location"]


def test_a_member_who_left_no_longer_sees_the_studio(county, client):
    studio = studio_at(county)
    pupil = worker(county, "离开者", union=county.g1)
    member = services.studio_member_add(
        by=county.admin, studio=studio, person=pupil, joined_on=date(2021, 1, 1)
    )
    services.studio_member_leave(by=county.admin, member=member, left_on=timezone.localdate())
    portal(client, pupil)
    assert client.get(reverse("portal-studios:studio", args=[studio.pk])).status_code == 404
