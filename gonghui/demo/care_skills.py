"""The demo county's vocational skill levels: about one worker in eight holds a
certificate, some of them two (a second trade, or a lower level passed earlier in the
same trade). Most records are 初级工 or 中级工, about three in ten 高级工 and above;
the trades fit the industry of the worker's employer where there is one.

Written in bulk (``insert_rows``); each worker's highest record is marked as the
services mark it (the lowest level number, the earliest certified among equals).
"""

from __future__ import annotations

import datetime

from django.utils.translation import gettext as _

from gonghui.people.models import Person
from gonghui.skills.models import SkillRecord, SkillSource

from .care import insert_rows

#: The share of workers holding at least one certificate.
SKILLED_SHARE = 0.12
#: The share of those holding a second one.
SECOND_SHARE = 0.2
#: Levels with their weights: 初级 and 中级 most, 高级工 and above about 30%.
LEVEL_WEIGHTS = (("5", 35), ("4", 35), ("3", 20), ("2", 7), ("1", 3))
SOURCE_WEIGHTS = ((SkillSource.STAFF, 60), (SkillSource.ROSTER, 35), (SkillSource.COMPETITION, 5))
#: Trades (职业/工种) by GB/T 4754 section of the employer; others draw from ``ANY_TRADE``.
TRADES = {
    "C": ("车工", "铣工", "钳工", "焊工", "电工", "数控车工", "装配钳工", "质检员"),
    "D": ("电力线路工", "变电站运行值班员", "电工"),
    "E": ("砌筑工", "钢筋工", "混凝土工", "架子工", "焊工", "电工"),
    "F": ("营销员", "收银员", "商品营业员"),
    "G": ("汽车驾驶员", "快递员", "物流服务师", "汽车维修工"),
    "H": ("中式烹调师", "中式面点师", "餐厅服务员"),
    "I": ("计算机程序设计员", "网络与信息安全管理员"),
    "O": ("家政服务员", "美容师", "美发师"),
    "P": ("保育师", "育婴员"),
    "Q": ("养老护理员", "健康管理师", "医疗护理员"),
}
ANY_TRADE = ("电工", "焊工", "保安员", "企业人力资源管理师", "计算机程序设计员")
ISSUERS = ("", "职业技能等级认定机构", "人力资源和社会保障局")


def _weighted(rng, weights):
    values, cumulative = zip(*weights, strict=True)
    return rng.choices(values, weights=cumulative)[0]


def build_skills(world, summary) -> None:
    rng = world.rng
    chosen = sorted(
        {
            world.person_ids[world.person_index()]
            for _ in range(int(len(world.person_ids) * SKILLED_SHARE))
        }
    )
    industries: dict[int, str | None] = {}
    for start in range(0, len(chosen), 5000):
        industries.update(
            Person.objects.filter(pk__in=chosen[start : start + 5000]).values_list(
                "pk", "employer__industry"
            )
        )
    clerk = world.users.get("county_staff") or world.default_user
    fields = [
        "person",
        "level",
        "trade",
        "certificate_number",
        "certified_on",
        "issuing_body",
        "source",
        "note",
        "is_highest",
        "entered_by",
        "entered_at",
        "updated_at",
    ]
    rows: list[tuple] = []
    high = 0
    for person_id in chosen:
        trades = TRADES.get(industries.get(person_id) or "", ANY_TRADE)
        trade = rng.choice(trades)
        level = _weighted(rng, LEVEL_WEIGHTS)
        held = [
            (
                level,
                trade,
                world.day_between(world.today - datetime.timedelta(days=365 * 12), world.today),
            )
        ]
        if rng.random() < SECOND_SHARE:
            if level != "5" and rng.random() < 0.5:
                # The level below, passed some years before.
                earlier = held[0][2] - datetime.timedelta(days=rng.randint(400, 1800))
                held.append((str(int(level) + 1), trade, earlier))
            else:
                other = rng.choice([t for t in (*trades, *ANY_TRADE) if t != trade])
                held.append(
                    (
                        _weighted(rng, LEVEL_WEIGHTS),
                        other,
                        world.day_between(
                            world.today - datetime.timedelta(days=365 * 10), world.today
                        ),
                    )
                )
        best = min(held, key=lambda item: (item[0], item[2]))
        high += best[0] in {"3", "2", "1"}
        for level_held, trade_held, certified_on in held:
            source = _weighted(rng, SOURCE_WEIGHTS)
            at = world.moment(certified_on + datetime.timedelta(days=rng.randint(0, 60)))
            rows.append(
                (
                    person_id,
                    level_held,
                    trade_held,
                    f"{certified_on:%Y}{person_id:08d}{level_held}",
                    certified_on,
                    rng.choice(ISSUERS),
                    source,
                    _("Awarded with a prize in a skills competition.")
                    if source == SkillSource.COMPETITION
                    else "",
                    (level_held, trade_held, certified_on) == best,
                    None if source == SkillSource.COMPETITION else clerk.pk,
                    at,
                    at,
                )
            )
    insert_rows(SkillRecord, fields, rows)
    summary.skill_records = len(rows)
    summary.skilled_workers = len(chosen)
    summary.high_skilled_workers = high
