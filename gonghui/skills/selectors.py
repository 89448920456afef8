"""Reads about skill levels: a worker's records, the trades in use, and the counts.

The counts (``skill_counts``) count workers, each once, at the highest level they
hold in any trade (the record marked ``is_highest``), grouped by the township,
the industry and the union of their employer, as ``coverage`` groups employers.
One grouped query reads them all, plus one for the names of the organisations.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from gonghui.core.scope import sees_whole_tree
from gonghui.orgs.models import Industry, Organisation

from .models import SkillLevel, SkillRecord

#: The trades offered as suggestions on the form: the most used first.
TRADE_SUGGESTIONS = 200

#: The levels' values, read once (``SkillLevel.values`` rebuilds its list on each read).
_LEVEL_VALUES = tuple(SkillLevel.values)


def records_in_scope(user) -> QuerySet:
    """The skill records ``user`` sees; a reader of the whole tree sees them all
    without a condition (every worker's file is kept somewhere in it)."""
    if sees_whole_tree(user):
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
    by_level: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_LEVEL_VALUES, 0))

    @property
    def levels(self) -> list[int]:
        """The counts in the order of ``SkillLevel`` (elementary first)."""
        return [self.by_level[value] for value in _LEVEL_VALUES]

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


def _rows_as_stored(queryset):
    """The rows of a ``values_list`` queryset as the database returns them, the SQL
    compiled by the ORM from the scoped queryset: the ids, codes and counts need no
    conversion, and Django's per-row converters cost more than the query itself over
    the county's tens of thousands of groups. A queryset that can match nothing (an
    account placed nowhere sees nothing) has no SQL at all."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(10_000):
            yield from rows


def _add(counts: dict, key, position: int, n: int) -> None:
    levels = counts.get(key)
    if levels is None:
        levels = counts[key] = [0] * len(_LEVEL_VALUES)
    levels[position] += n


def skill_counts(user) -> SkillCountsReport:
    """Skilled and highly skilled workers in the user's scope, by township, industry
    and union of their employer.

    One grouped query over each worker's highest record (index "skill_highest")
    counts the workers of each (township, industry, union) of an employer and level;
    the groups are added up here into plain lists, and one more query reads the
    names of the organisations. At a million workers (docs/benchmarks.md "skill
    counts") the query is about 0.2 s; what took seconds was building a
    ``SkillCountRow`` for every group and Django converting every row. Grouping by
    the employer alone instead returns about three times as many rows (one per
    employer and level) for a query barely faster, so the employers' places stay in
    the grouping."""
    grouped = (
        records_in_scope(user)
        .highest()
        .values_list(
            "person__employer__township_id",
            "person__employer__industry",
            "person__employer__union_id",
            "level",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    position = {value: i for i, value in enumerate(_LEVEL_VALUES)}
    township_counts: dict = {}
    industry_counts: dict = {}
    union_counts: dict = {}
    total_counts = [0] * len(_LEVEL_VALUES)
    for township_id, industry, union_id, level, n in _rows_as_stored(grouped):
        at = position[level]
        _add(township_counts, township_id, at, n)
        _add(industry_counts, industry, at, n)
        _add(union_counts, union_id, at, n)
        total_counts[at] += n

    def rows(counts: dict) -> dict:
        return {
            key: SkillCountRow(
                key="" if key is None else str(key),
                label="",
                by_level=dict(zip(_LEVEL_VALUES, levels, strict=True)),
            )
            for key, levels in counts.items()
        }

    townships = rows(township_counts)
    industries = rows(industry_counts)
    unions = rows(union_counts)
    total = SkillCountRow(
        key="total", label=_("Total"), by_level=dict(zip(_LEVEL_VALUES, total_counts, strict=True))
    )

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
