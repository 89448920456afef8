"""Congress records for the access sweep (``core/tests/test_access_sweep.py``): a term
of the subtree's employer with a delegate linked to a worker's file, a session with
its attendance, a proposal, a resolution, and a disclosure."""

from datetime import date

from gonghui.congress import services

EMPLOYER_PAGES = ("employer", "session-create", "delegate-create", "disclosure-create")
SESSION_PAGES = (
    "session-detail",
    "session-update",
    "attendance-update",
    "proposal-create",
    "resolution-create",
)

ROUTES = {
    **{f"congress:{page}": {"pk": "employer"} for page in EMPLOYER_PAGES},
    **{f"congress:{page}": {"pk": "congress_session"} for page in SESSION_PAGES},
    "congress:delegate-update": {"pk": "delegate"},
    "congress:proposal-update": {"pk": "proposal"},
    "congress:resolution-update": {"pk": "resolution"},
    "congress:disclosure-update": {"pk": "disclosure"},
}


def build(subtree):
    by, employer = subtree.admin, subtree.employer
    worker = subtree.person("代表甲", member=False)
    delegate = services.delegate_create(
        by=by, employer=employer, term=1, person=worker, frontline=True, elected_on=date(2025, 1, 6)
    )
    others = [
        services.delegate_create(
            by=by, employer=employer, term=1, name=f"代表{n}", elected_on=date(2025, 1, 6)
        )
        for n in range(2)
    ]
    session = services.session_create(
        by=by, employer=employer, term=1, number=1, held_on=date(2025, 3, 1), place="会议室"
    )
    services.attendance_set(by=by, session=session, present=[delegate, *others])
    proposal = services.proposal_create(
        by=by,
        session=session,
        proposer=delegate,
        title="增设休息室",
        text="车间缺少休息场所。",
        submitted_on=date(2025, 3, 1),
    )
    resolution = services.resolution_create(
        by=by, session=session, title="福利决议", votes_for=3, votes_against=0, votes_abstain=0
    )
    disclosure = services.disclosure_create(
        by=by,
        employer=employer,
        topic="wages",
        period="2025年第一季度",
        text="工资调整方案",
        disclosed_on=date(2025, 4, 1),
    )
    return {
        "congress_session": session,
        "delegate": delegate,
        "proposal": proposal,
        "resolution": resolution,
        "disclosure": disclosure,
    }


SESSION = {"term": 1, "number": 9, "held_on": "2025-06-01", "place": "礼堂"}
DISCLOSURE = {
    "topic": "safety",
    "period": "2025年",
    "text": "安全生产情况",
    "disclosed_on": "2025-06-01",
}

POST_DATA = {
    "congress:session-create": SESSION,
    "congress:session-update": SESSION,
    "congress:delegate-create": {"term": 1, "name": "代表丙", "elected_on": "2025-01-06"},
    "congress:delegate-update": {"term": 1, "elected_on": "2025-01-06", "frontline": "on"},
    "congress:attendance-update": {},
    "congress:proposal-create": {
        "title": "食堂改进",
        "text": "增加晚餐窗口。",
        "submitted_on": "2025-03-01",
    },
    "congress:proposal-update": {"status": "accepted", "department": "行政部"},
    "congress:resolution-create": {
        "title": "决议",
        "votes_for": 1,
        "votes_against": 0,
        "votes_abstain": 0,
    },
    "congress:resolution-update": {
        "title": "福利决议（修正）",
        "votes_for": 2,
        "votes_against": 1,
        "votes_abstain": 0,
    },
    "congress:disclosure-create": DISCLOSURE,
    "congress:disclosure-update": DISCLOSURE,
}
