"""Competitions for the access sweep (``core/tests/test_access_sweep.py``).

In every union's subtree: a competition organised by that union, its events, a judge
of its own, and the subtree's portal worker entered, approved, scored, and placed
first, with the results locked. In a township's own subtree: a competition open for
registration (which the unions below it rightly see, ``SEEN_BELOW``)."""

from datetime import timedelta

from django.utils import timezone

from gonghui.accounts.models import Role
from gonghui.competitions import services
from gonghui.competitions.models import JudgeAssignment
from gonghui.conftest import make_user

ROUTES = {
    "competitions:update": {"pk": "competition"},
    "competitions:advance": {"pk": "competition"},
    "competitions:event-create": {"pk": "competition"},
    "competitions:entries": {"pk": "competition"},
    "competitions:judges": {"pk": "competition"},
    "competitions:sheet": {"pk": "competition"},
    "competitions:results": {"pk": "competition"},
    "competitions:lock": {"pk": "competition"},
    "competitions:certificates": {"pk": "competition"},
    "competitions:event-update": {"pk": "competition_event"},
    "competitions:event-remove": {"pk": "competition_event"},
    "competitions:entry-approve": {"pk": "competition_entry"},
    "competitions:entry-refuse": {"pk": "competition_entry"},
    "competitions:result-change": {"pk": "competition_entry"},
    "competitions:certificate": {"pk": "competition_entry"},
    "competitions:judge-remove": {"pk": "competition_judge"},
    "portal-competitions:competition": {"pk": "competition"},
    "portal-competitions:register": {"pk": "competition"},
    "portal-competitions:entry": {"pk": "competition_entry"},
    "portal-competitions:certificate": {"pk": "competition_entry"},
}


def _competition(subtree, *, members_only=True):
    today = timezone.localdate()
    return services.competition_create(
        by=subtree.admin,
        name=f"{subtree.union.name}技能竞赛",
        trade="钳工",
        level="county",
        organiser=subtree.union,
        starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=11),
        registration_opens_on=today - timedelta(days=1),
        registration_closes_on=today + timedelta(days=5),
        members_only=members_only,
        tie_rule="practical",
        award_basis="count",
        first_awards=1,
        second_awards=0,
        third_awards=0,
        excellence_awards=0,
    )


def build(subtree):
    by = subtree.admin
    if subtree.member_union is None:
        competition = _competition(subtree, members_only=False)
        services.event_add(
            by=by, competition=competition, name="实操", kind="practical",
            min_score=0, max_score=100, weight=100,
        )  # fmt: skip
        return {"competition": services.competition_advance(by=by, competition=competition)}
    competition = _competition(subtree)
    event = services.event_add(
        by=by, competition=competition, name="实操", kind="practical",
        min_score=0, max_score=100, weight=100,
    )  # fmt: skip
    competition = services.competition_advance(by=by, competition=competition)
    entry = services.entry_register(
        by=None, competition=competition, person=subtree.records["person"]
    )
    services.entry_approve(by=by, entry=entry)
    judge = make_user(f"sweep_judge_{subtree.key}", subtree.union, Role.JUDGE)
    assignment = services.judge_assign(by=by, competition=competition, judge=judge)
    # The superuser judges too (set directly: a superuser holds no role), so that the
    # judge's own sheet answers one of the sweep's probes.
    JudgeAssignment.objects.create(competition=competition, judge=by, assigned_by=by)
    for _step in range(2):
        competition = services.competition_advance(by=by, competition=competition)
    for marker in (judge, by):
        services.score_record(by=marker, entry=entry, event=event, value=88)
    services.results_lock(by=by, competition=competition)
    return {
        "competition": competition,
        "competition_event": event,
        "competition_entry": entry,
        "competition_judge": assignment,
    }


SEEN_BELOW = {
    "competition": (
        "a competition is open to the workers of every union below its organiser, whose "
        "chairs register their members (competitions.models.CompetitionQuerySet)"
    ),
}

_EVENT = {"name": "理论", "kind": "theory", "min_score": "0", "max_score": "100", "weight": "10"}

POST_DATA = {
    "competitions:event-create": _EVENT,
    "competitions:event-update": _EVENT,
    "competitions:entry-refuse": {"reason": "不符合条件"},
    "competitions:result-change": {"reason": "复核", "place": "2"},
}
