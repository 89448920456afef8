"""The lines a clerk pastes are outside data: whatever arrives, ``parse_days`` returns
days of the year, each once, or refuses with ``BadLines`` naming lines that exist;
and what the edit form shows is read back as the same days."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.workdays.entries import BadLines, DayEntry, format_days, parse_days
from gonghui.workdays.models import DayKind

YEAR = 2027
FIRST = date(YEAR, 1, 1)

pieces = st.sampled_from(
    [
        "2027-02-06",
        "2027/2/7",
        "2027年2月8日",
        "2026-12-31",
        "2027-02-30",
        "~",
        "至",
        "春节",
        "休",
        "班",
        "off",
        "work",
        "#",
        " ",
        "\u3000",
        "\t",
        "2027-13-01",
        "9999-99-99",
        "x",
    ]
)
lines = st.lists(st.one_of(pieces, st.text(max_size=12)), max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(lines, max_size=12))
def test_any_text_gives_days_of_the_year_once_or_names_its_bad_lines(rows):
    text = "\n".join(rows)
    try:
        days = parse_days(text, YEAR)
    except BadLines as bad:
        assert bad.errors
        assert all(1 <= number <= len(text.splitlines()) for number, _ in bad.errors)
        return
    assert all(entry.day.year == YEAR for entry in days)
    assert len({entry.day for entry in days}) == len(days)
    assert all(entry.kind == DayKind.HOLIDAY or entry.day.weekday() >= 5 for entry in days)


entries = st.dictionaries(
    st.integers(0, 364).map(lambda n: FIRST + timedelta(days=n)),
    st.tuples(st.sampled_from(["春节", "国庆节", ""]), st.booleans()),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(entries)
def test_what_the_edit_form_shows_reads_back_as_the_same_days(chosen):
    days = [
        DayEntry(day, DayKind.WORKING if working and day.weekday() >= 5 else DayKind.HOLIDAY, name)
        for day, (name, working) in chosen.items()
    ]
    read = parse_days(format_days(days), YEAR)
    assert [(e.day, e.kind, e.name) for e in read] == sorted((e.day, e.kind, e.name) for e in days)
