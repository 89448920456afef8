"""What model workers are owed (关爱劳模), computed from the care rules of the titles
they hold, their conditions and the care recorded.

Each rule owes care per period, named by the period's first day (``period_start``,
the key a ``CareGiven`` row is recorded under):

- the monthly allowance: each month in which the holder was in difficulty, due by
  the month's last day;
- the yearly health check: each year the title was held, due by 31 December;
- the Spring Festival visit: each festival after the title was conferred, due by the
  festival's first holiday (the project's calendar; 10 February when the year's
  holidays are not known);
- the visit when ill: each illness, due within ``ILLNESS_VISIT_DAYS`` working days.

Care not given by its due day is overdue. Only recent periods are counted
(``LOOKBACK_MONTHS``): the list is of what can still be made good.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from gonghui.workdays.calendar import add_working_days

from .models import CareGiven, CareKind, CareRule, ConditionKind, HolderCondition, TitleHolding

ILLNESS_VISIT_DAYS = 10
LOOKBACK_MONTHS = 12


@dataclass(frozen=True)
class CareDue:
    """One period's care of one rule for one person, and whether it is late."""

    person_id: int
    rule: CareRule
    period_start: date
    due_on: date
    overdue: bool


def _month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _months_back(today: date, count: int) -> date:
    month = today.month - count
    year = today.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def spring_festival(year: int) -> date:
    """The first holiday of the Spring Festival of ``year`` (the calendar's), else 10 February."""
    for day in sorted(d for d in chinese_calendar.holidays if d.year == year and d.month <= 2):
        name = chinese_calendar.holidays[day]
        if "Spring" in str(name):
            return day
    return date(year, 2, 10)


def _periods(rule, held_since: date, conditions, today: date) -> list[tuple[date, date]]:
    """(period_start, due_on) of every period ``rule`` owes care for, recent ones only."""
    horizon = _months_back(today, LOOKBACK_MONTHS)
    found: list[tuple[date, date]] = []
    if rule.kind == CareKind.ALLOWANCE:
        for condition in conditions:
            if condition.kind != ConditionKind.DIFFICULTY:
                continue
            start = max(condition.since, held_since, horizon).replace(day=1)
            last = min(condition.until or today, today)
            month = start
            while month <= last:
                found.append((month, _month_end(month)))
                month = _month_end(month) + timedelta(days=1)
    elif rule.kind == CareKind.HEALTH_CHECK:
        for year in range(max(held_since.year, horizon.year), today.year + 1):
            found.append((date(year, 1, 1), date(year, 12, 31)))
    elif rule.kind == CareKind.FESTIVAL_VISIT:
        for year in range(max(held_since.year, horizon.year), today.year + 1):
            festival = spring_festival(year)
            if festival >= held_since and festival <= today + timedelta(days=60):
                found.append((date(year, 1, 1), festival))
    elif rule.kind == CareKind.ILLNESS_VISIT:
        for condition in conditions:
            ended_long_ago = condition.until is not None and condition.until < horizon
            if condition.kind == ConditionKind.ILL and not ended_long_ago:
                found.append(
                    (condition.since, add_working_days(condition.since, ILLNESS_VISIT_DAYS))
                )
    return found


def care_due(person_ids, today: date) -> dict[int, list[CareDue]]:
    """For each of ``person_ids``, the care owed and not given, overdue or not yet due.

    Four queries whatever the number of people.
    """
    person_ids = list(person_ids)
    held: dict[int, dict[int, date]] = defaultdict(dict)
    for person_id, title_id, conferred_on in TitleHolding.objects.filter(
        person_id__in=person_ids
    ).values_list("person_id", "title_id", "conferred_on"):
        earliest = held[person_id].get(title_id)
        if earliest is None or conferred_on < earliest:
            held[person_id][title_id] = conferred_on
    title_ids = {t for titles in held.values() for t in titles}
    rules: dict[int, list[CareRule]] = defaultdict(list)
    for rule in CareRule.objects.filter(title_id__in=title_ids, active=True).select_related(
        "title"
    ):
        rules[rule.title_id].append(rule)
    conditions = defaultdict(list)
    for condition in HolderCondition.objects.filter(person_id__in=held.keys()):
        conditions[condition.person_id].append(condition)
    given = set(
        CareGiven.objects.filter(person_id__in=held.keys()).values_list(
            "person_id", "rule_id", "period_start"
        )
    )
    result: dict[int, list[CareDue]] = {}
    for person_id, titles in held.items():
        due: list[CareDue] = []
        # A kind of care is owed once, by the first rule of the person's titles that
        # has it: a holder of two titles is not visited twice for one festival.
        seen_kinds: set[str] = set()
        for title_id, since in sorted(titles.items(), key=lambda item: item[1]):
            for rule in rules.get(title_id, ()):
                if rule.kind in seen_kinds:
                    continue
                seen_kinds.add(rule.kind)
                for period_start, due_on in _periods(rule, since, conditions[person_id], today):
                    if (person_id, rule.pk, period_start) in given:
                        continue
                    due.append(CareDue(person_id, rule, period_start, due_on, due_on < today))
        if due:
            result[person_id] = sorted(due, key=lambda d: (d.due_on, d.rule.kind))
    return result


def overdue_person_ids(person_ids, today: date) -> list[int]:
    """The people of ``person_ids`` with care overdue on ``today``."""
    return [
        person_id
        for person_id, items in care_due(person_ids, today).items()
        if any(item.overdue for item in items)
    ]
