"""Every list's Excel export holds what the list shows for the same search and
filters, says so in its title row, and opens with frozen headers and an autofilter.

The lists are found in the URL resolver: every view built on
``core.views.ObjectListView``. Each needs a query in ``LIST_QUERIES`` below, so a
new app's list fails ``test_every_list_is_tested`` until it is added here. The
export link follows an htmx refresh of the table, in the page and in a browser.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time
from io import BytesIO
from pathlib import Path

import pytest
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from gonghui.aid.tests.conftest import Aid, aid, relief_application  # noqa: F401
from gonghui.core.exports import MAX_COLUMN_WIDTH, column_widths
from gonghui.core.tests.test_browser import sign_in
from gonghui.core.views import ObjectListView
from gonghui.outreach.tests.conftest import Outreach, outreach, people  # noqa: F401
from gonghui.people.services import person_reveal


@dataclass
class ListQuery:
    """Who looks at the list, with which search and filters, over which fixtures."""

    user: str
    params: dict[str, str]
    fixtures: tuple[str, ...] = ()
    rows: bool = True  # the query matches at least one row
    extra: list[str] = field(default_factory=list)


#: Every list with an export, by URL name, with a search or filter that matches rows.
LIST_QUERIES: dict[str, ListQuery] = {
    "accounts:staff-list": ListQuery("sysadmin", {"q": "chair"}),
    "orgs:organisation-list": ListQuery("admin", {"kind": "grassroots"}),
    "orgs:employer-list": ListQuery("admin", {"has_union": "yes", "q": "东镇"}),
    "people:person-list": ListQuery("admin", {"q": "张", "gender": "M"}, ("people",)),
    "people:application-list": ListQuery("admin", {"status": "pending"}, ("people",)),
    "people:file-transfer-list": ListQuery("admin", {"status": "requested"}, rows=False),
    "people:file-transfer-requested": ListQuery("admin", {"status": "requested"}, rows=False),
    "people:reveal-log": ListQuery("admin", {"q": "张"}, ("people", "revealed")),
    "coverage:uncovered": ListQuery("admin", {"min_employees": "5"}),
    "needy:file-list": ListQuery("admin", {"status": "notice"}, rows=False),
    "needy:threshold-list": ListQuery("admin", {}, rows=False),
    "employment:posting-list": ListQuery("admin", {"q": "车工"}, rows=False),
    "employment:application-list": ListQuery("admin", {"q": "张"}, rows=False),
    "employment:fair-list": ListQuery("admin", {"q": "招聘"}, rows=False),
    "counselling:booking-list": ListQuery("admin", {"q": "张"}, rows=False),
    "aid:application-list": ListQuery("admin", {"status": "submitted"}, ("aid", "applied")),
    "aid:campaign-list": ListQuery("admin", {}, ("aid",)),
    "outreach:delivery-list": ListQuery("admin", {"year": "2025", "q": "夏送"}, ("outreach",)),
    "outreach:visit-list": ListQuery("admin", {"occasion": "winter_warmth"}, ("outreach",)),
    "outreach:wish-list": ListQuery("admin", {"q": "电风扇"}, ("outreach",)),
    "security:event-list": ListQuery("auditor", {"kind": "reveal"}, ("people", "revealed")),
    "security:change-list": ListQuery("auditor", {"action": "0"}, rows=False),
    "bindings:list": ListQuery("admin", {"q": "张"}, rows=False),
    "corrections:list": ListQuery("admin", {"q": "张"}, rows=False),
    # The newer apps' lists: their exports with the list's default query (no demo rows).
    "membership-requests:list": ListQuery("admin", {"q": "张"}, rows=False),
    "rights:case-list": ListQuery("admin", {"q": "张"}, rows=False),
    "contracts:list": ListQuery("admin", {"q": "合同"}, rows=False),
    "congress:overview": ListQuery("admin", {"q": "东镇"}),
    "congress:disclosure-list": ListQuery("admin", {}, rows=False),
    "skills:list": ListQuery("admin", {"q": "张"}, rows=False),
    "competitions:list": ListQuery("admin", {"q": "竞赛"}, rows=False),
    "studios:list": ListQuery("admin", {"q": "工作室"}, rows=False),
    "studios:pair-list": ListQuery("admin", {}, rows=False),
    "studios:showcase": ListQuery("admin", {}, rows=False),
    "honours:title-list": ListQuery("admin", {}),
    "honours:holding-list": ListQuery("admin", {}, rows=False),
    "honours:nomination-list": ListQuery("admin", {}, rows=False),
    "honours:rule-list": ListQuery("admin", {}, rows=False),
    "honours:care-list": ListQuery("admin", {}, rows=False),
    "honours:story-list": ListQuery("admin", {}, rows=False),
    "honours:activity-list": ListQuery("admin", {}, rows=False),
    "library:room-list": ListQuery("admin", {"q": "书屋"}, rows=False),
    "library:book-list": ListQuery("admin", {"q": "工匠"}, rows=False),
    "library:loan-list": ListQuery("admin", {}, rows=False),
    "study:list": ListQuery("admin", {"q": "学习"}, rows=False),
    "activities:list": ListQuery("admin", {"q": "活动"}, rows=False),
    "offers:list": ListQuery("admin", {"q": "超市", "status": "published"}, rows=False),
    "stations:list": ListQuery("admin", {"q": "驿站", "active": "yes"}, rows=False),
}


def list_url_names() -> set[str]:
    """URL names of the lists built on ``ObjectListView``, from the resolver."""
    found: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                walk(pattern.url_patterns, f"{namespace}{inner}:" if inner else namespace)
                continue
            view_class = getattr(pattern.callback, "view_class", None)
            if view_class is not None and issubclass(view_class, ObjectListView):
                found.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return found


@pytest.fixture
def revealed(county, people):  # noqa: F811
    person_reveal(by=county.admin, person=people.p1, field="id_number")


@pytest.fixture
def applied(county, aid):  # noqa: F811
    relief_application(county, aid)


@pytest.fixture(params=sorted(LIST_QUERIES))
def list_query(request, county):
    case = LIST_QUERIES[request.param]
    for name in case.fixtures:
        request.getfixturevalue(name)
    return request.param, case


def sheet_of(content: bytes):
    return load_workbook(BytesIO(content)).active


def as_shown(value) -> str:
    """A cell as text; a date read back from a sheet is a datetime at midnight."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        # A sheet keeps milliseconds; the minute is enough to tell rows apart here.
        return value.date().isoformat() if value.time() == time(0) else f"{value:%Y-%m-%d %H:%M}"
    return "" if value is None else str(value)


def expected_words(response, params: dict[str, str]) -> list[str]:
    """What the title row must say of each search term and filter, read from the page's form."""
    words = []
    form = response.context["filter_form"]
    for name, value in params.items():
        if name == "q":
            words.append(f"search: {value}")
            continue
        form_field = form.fields[name]
        choices = {str(k): str(v) for k, v in getattr(form_field, "choices", [])}
        words.append(f"{form_field.label}: {choices.get(value, value)}")
    return words


def test_every_list_is_tested():
    assert list_url_names() == set(LIST_QUERIES)


def test_the_export_holds_the_rows_the_list_shows_and_names_the_query(
    list_query, client_for, county
):
    url_name, case = list_query
    client = client_for(getattr(county, case.user))
    url = reverse(url_name)

    page = client.get(url, case.params)
    export = client.get(url, {**case.params, "export": "xlsx"})

    assert page.status_code == 200
    assert export.status_code == 200, export
    listed = page.context["paginator"].count
    sheet = sheet_of(export.content)
    title, header, *body = list(sheet.iter_rows(values_only=True))
    assert len(body) == listed
    assert (listed > 0) == case.rows, "the query should match rows" if case.rows else listed
    if listed:
        first_cell = page.context["rows"][0][1][0][0]
        assert as_shown(body[0][0]) == as_shown(first_cell)
    assert header == tuple(str(column.label) for column in page.context["columns"])
    assert str(page.context["title"]) in title[0]
    for words in expected_words(page, case.params):
        assert words in title[0], (words, title[0])
    if not case.params:
        assert "no search or filter" in title[0]
    assert f"by {case.user}" in title[0]
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref.startswith("A2:")
    assert sheet.auto_filter.ref.endswith(str(2 + listed))


def test_a_background_export_writes_the_same_file(
    county,
    client_for,
    people,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    from gonghui.jobs.models import Job

    client = client_for(county.admin)
    url = reverse("people:person-list")
    query = {"q": "张", "gender": "M", "export": "xlsx"}
    inline = sheet_of(client.get(url, query).content)
    settings.EXPORT_INLINE_MAX_ROWS = 0
    with django_capture_on_commit_callbacks(execute=True):
        assert client.get(url, query).status_code == 302
    job = Job.objects.get(kind="export")
    download = client.get(reverse("jobs:download", args=[job.pk]))
    background = sheet_of(b"".join(download.streaming_content))

    inline_rows = list(inline.iter_rows(values_only=True))
    background_rows = list(background.iter_rows(values_only=True))
    assert "search: 张" in background_rows[0][0]
    assert "gender: Male" in background_rows[0][0]
    # The same file but for the minute of export in the title.
    assert background_rows[1:] == inline_rows[1:]
    assert background.freeze_panes == inline.freeze_panes == "A3"
    assert background.auto_filter.ref == inline.auto_filter.ref
    widths = lambda sheet: {  # noqa: E731
        letter: sheet.column_dimensions[letter].width for letter in "ABCDEFGHI"
    }
    assert widths(background) == widths(inline)


def test_column_widths_fit_the_contents_counting_a_cjk_character_as_two():
    widths = column_widths(["name", "employer"], [["张一", "东镇机械有限公司"], ["Li", "x" * 300]])

    assert widths == [6, MAX_COLUMN_WIDTH]
    assert column_widths(["name"], [["东镇机械有限公司"]]) == [2 * 8 + 2]


def test_the_exported_columns_are_sized_to_their_contents(county, client_for):
    export = client_for(county.admin).get(reverse("orgs:employer-list"), {"export": "xlsx"})

    sheet = sheet_of(export.content)
    # "东镇机械有限公司" is eight CJK characters: sixteen columns wide, and a margin.
    assert sheet.column_dimensions["A"].width == 18


def export_href(html: str) -> str:
    found = re.search(r'id="export-link" href="([^"]*)"', html) or re.search(
        r'href="([^"]*)"[^>]*id="export-link"', html
    )
    assert found, html
    return found.group(1).replace("&amp;", "&")


def test_an_htmx_refresh_of_the_table_brings_the_export_link_with_the_query(
    county,
    client_for,
    people,  # noqa: F811
):
    client = client_for(county.t1staff)
    url = reverse("people:person-list")

    full = client.get(url).content.decode()
    fragment = client.get(
        url, {"q": "张", "gender": "M"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="object-table"
    ).content.decode()

    assert export_href(full) == "?export=xlsx"
    assert 'hx-swap-oob="true"' in fragment
    assert export_href(fragment) == "?q=%E5%BC%A0&gender=M&export=xlsx"
    assert fragment.count('id="export-link"') == 1
    assert full.count('id="export-link"') == 1


@pytest.mark.browser
def test_after_a_search_in_the_browser_the_export_link_carries_it(
    county,
    people,  # noqa: F811
    browser_page,
    live_server,
):
    page = browser_page
    sign_in(page, county.t1staff.username)
    page.goto(reverse("people:person-list"))
    assert page.get_attribute("#export-link", "href") == "?export=xlsx"

    page.fill("input[name=q]", "张")
    page.press("input[name=q]", "End")  # the list refreshes on a key released in the box
    expect(page.locator("#export-link")).to_have_attribute("href", re.compile(r"q="))

    href = page.get_attribute("#export-link", "href")
    assert href.startswith("?q=%E5%BC%A0&") and href.endswith("&export=xlsx")
    with page.expect_download() as download_info:
        page.click("#export-link")
    content = Path(download_info.value.path()).read_bytes()
    rows = list(sheet_of(content).iter_rows(values_only=True))
    assert "张" in rows[0][0]
    assert [row[0] for row in rows[2:]] == ["张一"]
