"""Reads about skill levels: a worker's records, the trades in use, and the counts.

The counts (``skill_counts``) count workers, each once, at the highest level they
hold in any trade (the record marked ``is_highest``), grouped by the township,
the industry and the union of their employer, as ``coverage`` groups employers.
One grouped query reads them all, plus one for the names of the organisations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from gonghui.core.scope import is_whole_tree, sees_everything, user_scope_root
from gonghui.orgs.models import Industry, Organisation

from .models import SkillLevel, SkillRecord

#: The trades offered as suggestions on the form: the most used first.
TRADE_SUGGESTIONS = 200


def records_in_scope(user) -> QuerySet:
    """The skill records ``user`` sees; a reader of the whole tree sees them all
    without a condition (every worker's file is kept somewhere in it)."""
    root = user_scope_root(user)
    if sees_everything(user) or (
        root is not None and root.parent_id is None and is_whole_tree(root)
    ):
        return SkillRecord.objects.all()
    return SkillRecord.objects.for_user(user)


def records_for_person(user, person) -> list[SkillRecord]:
    """The worker's records the user sees, each marked ``is_current`` when it is the
    highest level the worker holds in its trade."""
    records = list(
        SkillRecord.objects.for_user(user)
        .filter(person=person)
        .select_related("entered_by")
        .order_by("trade", "level", "pk")
    )
    best: dict[str, str] = {}
    for record in records:
        best[record.trade] = min(best.get(record.trade, record.level), record.level)
    for record in records:
        record.is_current = record.level == best[record.trade]
    return records


def trade_suggestions(user) -> list[str]:
    """The trades of the records the user sees, the most used first."""
    return list(
        records_in_scope(user)
        .values("trade")
        .annotate(n=Count("pk"))
        .order_by("-n", "trade")
        .values_list("trade", flat=True)[:TRADE_SUGGESTIONS]
    )


@dataclass
class SkillCountRow:
    """Workers at each level (by their highest), in one group (a township, an industry, a union)."""

    key: str
    label: str
    by_level: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SkillLevel.values, 0))

    @property
    def levels(self) -> list[int]:
        """The counts in the order of ``SkillLevel`` (elementary first)."""
        return [self.by_level[value] for value in SkillLevel.values]

    @property
    def skilled(self) -> int:
        return sum(self.by_level.values())

    @property
    def high_skilled(self) -> int:
        return sum(self.by_level[value] for value in SkillLevel.HIGH_SKILLED)

    @property
    def high_share(self) -> float | None:
        return self.high_skilled / self.skilled if self.skilled else None

    def add(self, level: str, n: int) -> None:
        self.by_level[level] += n


@dataclass
class SkillCountsReport:
    total: SkillCountRow
    townships: list[SkillCountRow] = field(default_factory=list)
    industries: list[SkillCountRow] = field(default_factory=list)
    unions: list[SkillCountRow] = field(default_factory=list)

    def tables(self) -> list[tuple[str, str, list[SkillCountRow]]]:
        """(heading, sheet name of the export, rows) of each table."""
        return [
            (_("By township or street"), _("Townships"), self.townships),
            (_("By industry (GB/T 4754 sections)"), _("Industries"), self.industries),
            (_("By the union at the employer"), _("Unions"), self.unions),
        ]


def skill_counts(user) -> SkillCountsReport:
    """Skilled and highly skilled workers in the user's scope, by township, industry
    and union of their employer: one grouped query over each worker's highest record
    (index "skill_highest"), one for the names."""
    grouped = (
        records_in_scope(user)
        .highest()
        .values(
            "person__employer__township_id",
            "person__employer__industry",
            "person__employer__union_id",
            "level",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    townships: dict[int | None, SkillCountRow] = {}
    industries: dict[str | None, SkillCountRow] = {}
    unions: dict[int | None, SkillCountRow] = {}
    total = SkillCountRow(key="total", label=_("Total"))
    for item in grouped:
        township_id = item["person__employer__township_id"]
        industry = item["person__employer__industry"]
        union_id = item["person__employer__union_id"]
        level, n = item["level"], item["n"]
        rows = (
            townships.setdefault(township_id, SkillCountRow(key=str(township_id or ""), label="")),
            industries.setdefault(industry, SkillCountRow(key=industry or "", label="")),
            unions.setdefault(union_id, SkillCountRow(key=str(union_id or ""), label="")),
            total,
        )
        for row in rows:
            row.add(level, n)

    organisations = {
        pk: (name, path)
        for pk, name, path in Organisation.objects.filter(
            pk__in=[pk for pk in (*townships, *unions) if pk is not None]
        ).values_list("pk", "name", "path")
    }
    no_employer = _("No employer on file")
    for pk, row in townships.items():
        row.label = organisations[pk][0] if pk is not None else no_employer
    for pk, row in unions.items():
        row.label = organisations[pk][0] if pk is not None else _("No union (or no employer)")
    industry_labels = dict(Industry.choices)
    for code, row in industries.items():
        row.label = f"{code} · {industry_labels.get(code, code)}" if code else no_employer

    def by_path(rows: dict) -> list[SkillCountRow]:
        # The groups without an organisation ("no employer", "no union") come last.
        return sorted(
            rows.values(),
            key=lambda row: (not row.key, organisations[int(row.key)][1] if row.key else ""),
        )

    return SkillCountsReport(
        total=total,
        townships=by_path(townships),
        industries=sorted(industries.values(), key=lambda row: (not row.key, row.key)),
        # The unions with the most highly skilled workers first: a county holds hundreds.
        unions=sorted(unions.values(), key=lambda row: (not row.key, -row.high_skilled, row.label)),
    )
