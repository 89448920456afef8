"""Skill records for the access sweep (``core/tests/test_access_sweep.py``): a level on
the file of the subtree's worker (``records["person"]``, the worker the portal's
personas are bound to)."""

from datetime import date

from gonghui.skills import services

ROUTES = {
    "skills:create": {"person": "person"},
    "skills:update": {"pk": "skill_record"},
    "skills:remove": {"pk": "skill_record"},
}


def build(subtree):
    person = subtree.records.get("person") or subtree.person("技能甲")
    record = services.skill_record_add(
        by=subtree.admin,
        person=person,
        level="3",
        trade="电工",
        certified_on=date(2022, 6, 1),
        certificate_number=f"S{subtree.seq:06d}",
    )
    return {"skill_record": record}


POST_DATA = {
    "skills:create": {"level": "4", "trade": "焊工", "certified_on": "2023-05-01"},
    "skills:update": {"level": "2", "trade": "电工", "certified_on": "2022-06-01"},
}

#: The worker's own skill levels in the portal; the console's staff are visitors there.
ANSWERS = {
    ("portal-skills:mine", None, "worker1"): 200,
    ("portal-skills:mine", None, "worker2"): 200,
    ("portal-skills:mine", None, "chair1"): "login",
}
