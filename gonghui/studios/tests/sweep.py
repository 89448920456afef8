"""Studios and mentoring for the access sweep (``core/tests/test_access_sweep.py``): a
studio at the subtree's employer, led by a model worker, with the subtree's worker
(``person``, the portal persona's file) as a member; a published achievement with a
photo; and an active mentoring pair in which that worker is the apprentice."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gonghui.studios import services

ROUTES = {
    "studios:detail": {"pk": "studio"},
    "studios:update": {"pk": "studio"},
    "studios:member-add": {"pk": "studio"},
    "studios:member-leave": {"pk": "studio_member"},
    "studios:achievement-create": {"pk": "studio"},
    "studios:achievement-update": {"pk": "achievement"},
    "studios:photo": {"pk": "achievement_photo"},
    "studios:photo-remove": {"pk": "achievement_photo"},
    "studios:pair-detail": {"pk": "mentoring_pair"},
    "studios:pair-evaluate": {"pk": "mentoring_pair"},
    # The worker portal.
    "portal-studios:achievement": {"pk": "achievement"},
    "portal-studios:photo": {"pk": "achievement_photo"},
    "portal-studios:studio": {"pk": "studio"},
    "portal-studios:pair": {"pk": "mentoring_pair"},
}


def photo(name: str = "成果.png") -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def build(subtree):
    by = subtree.admin
    worker = subtree.records["person"]
    leader = subtree.person("劳模丙")
    founded = date(2020, 5, 1)
    studio = services.studio_create(
        by=by,
        name=f"{subtree.employer.name}劳模创新工作室",
        leader=leader,
        employer=subtree.employer,
        level="county",
        founded_on=founded,
        description="数控加工工艺攻关",
    )
    member = services.studio_member_add(
        by=by, studio=studio, person=worker, joined_on=founded + timedelta(days=30)
    )
    achievement = services.achievement_create(
        by=by,
        studio=studio,
        kind="patent",
        patent_number="ZL202310123456.7",
        title=f"{subtree.employer.name}夹具改进",
        year=2024,
        benefit=120000,
        credited=[leader, worker],
        published=True,
        photos=[photo()],
    )
    today = timezone.localdate()
    pair = services.mentoring_pair_create(
        by=by,
        mentor=leader,
        apprentice=worker,
        trade="数控车工",
        studio=studio,
        starts_on=today - timedelta(days=200),
        ends_on=today + timedelta(days=165),
        goals="一年内取得高级工证书",
    )
    return {
        "studio": studio,
        "studio_member": member,
        "achievement": achievement,
        "achievement_photo": achievement.photos.get(),
        "mentoring_pair": pair,
    }


def _today() -> str:
    return timezone.localdate().isoformat()


POST_DATA = {
    "studios:member-add": {"person_id_number": "", "joined_on": _today()},
    "studios:member-leave": {"left_on": _today()},
    "studios:pair-evaluate": {
        "status": "ended_early",
        "result": "提前结束",
        "evaluated_on": _today(),
    },
}

#: The cells the generic rules do not decide: a leader reads studios and pairs and
#: changes nothing; the portal's workers reach their own studio and pair.
ANSWERS = {
    ("studios:detail", None, "leader"): 200,
    ("studios:pair-detail", None, "leader"): 200,
    ("studios:update", None, "leader"): 403,
    ("studios:pair-evaluate", None, "leader"): 403,
    ("studios:detail", None, "chair1"): 200,
    ("studios:pair-evaluate", None, "chair1"): 200,
    **{
        (f"portal-studios:{page}", None, persona): 200
        for page in ("studio", "pair", "achievement", "showcase", "mine")
        for persona in ("worker1", "worker2")
    },
    ("portal-studios:showcase", None, "chair1"): "login",
}

#: The showcase (成果展示) is published for the county's members: a member reads the
#: published achievements (and their photos) of every studio of their county, as the
#: brief asks; another county's do not exist for them (404). A studio's own page and a
#: pair stay their members' and parties' only.
COUNTY_WIDE = {
    f"portal-studios:{page}": (
        "the county's showcase of published achievements, read by every member of "
        "the county's unions (another county's: 404)"
    )
    for page in ("showcase", "achievement", "photo")
}
