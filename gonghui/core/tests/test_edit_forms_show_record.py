"""Every edit page of every app opens showing the record, and saving one changed
field keeps the others.

The edit pages are found in the URL resolver: every URL named ``…-update`` or
``…-edit`` and every view built on ``core.views.RecordFormView``. Each needs a
record to edit in ``EDIT_PAGES`` below, so a new app's edit page fails
``test_every_edit_page_is_tested`` until it is added here.

The round trip submits the page the way a browser does: the values written into
the HTML (inputs, selected options, textareas), not the form object, so a field
the page leaves empty or renders in a format the form cannot read is caught.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django import forms
from django.conf import settings
from django.forms.models import model_to_dict
from django.forms.utils import to_current_timezone
from django.urls import URLResolver, get_resolver, reverse

from gonghui.aid import services as aid_services
from gonghui.aid.tests.conftest import Aid, aid  # noqa: F401
from gonghui.core.tests import edit_cases_a, edit_cases_b, edit_cases_c
from gonghui.core.tests.edit_case import EditCase
from gonghui.core.views import RecordFormView
from gonghui.employment import services as employment_services
from gonghui.needy import services as needy_services
from gonghui.needy.services import MemberData
from gonghui.needy.vocabularies import Cause, Level, Origin, Standard
from gonghui.orgs import services as orgs_services
from gonghui.outreach.tests.conftest import Outreach, outreach, people  # noqa: F401
from gonghui.people.tests.conftest import valid_id

FOUNDED = date(2005, 4, 7)


def _organisation(request, county) -> EditCase:
    organisation = orgs_services.organisation_update(
        by=county.superuser,
        organisation=county.g1,
        address="东镇工业路1号",
        contact_name="钱会计",
        contact_phone="0571-88880001",
        founded_on=FOUNDED,
    )
    return EditCase(organisation, county.t1staff, "contact_name", "孙主席")


def _employer(request, county) -> EditCase:
    return EditCase(county.e1, county.t1staff, "employee_count", "61")


def _staff_account(request, county) -> EditCase:
    account = county.chair1
    account.first_name, account.last_name, account.phone = "一", "陈", "13900000001"
    account.save()
    return EditCase(account, county.sysadmin, "first_name", "二")


def _person(request, county) -> EditCase:
    person = request.getfixturevalue("people").p1
    person.ethnicity, person.education, person.job_title = "01", "junior_secondary", "车工"
    person.new_form_group = "courier"
    person.save()
    return EditCase(person, county.chair1, "job_title", "钳工")


def _posting(request, county) -> EditCase:
    posting = employment_services.job_posting_create(
        by=county.chair1,
        employer=county.e1,
        title="车工",
        pay_min=Decimal("4000.00"),
        pay_max=Decimal("6000.00"),
        headcount=2,
        location="一车间",
        campaign_year=2026,
        description="两班倒",
    )
    return EditCase(posting, county.chair1, "headcount", "5")


def _delivery(request, county) -> EditCase:
    return EditCase(request.getfixturevalue("outreach").d1, county.chair1, "workers_reached", "41")


def _visit(request, county) -> EditCase:
    return EditCase(request.getfixturevalue("outreach").v1, county.chair1, "goods", "米、油、面")


def _wish(request, county) -> EditCase:
    return EditCase(request.getfixturevalue("outreach").w1, county.chair1, "text", "一台空调扇")


def _needy_file(request, county) -> EditCase:
    person = request.getfixturevalue("people").p1
    file = needy_services.needy_file_create(
        by=county.chair1,
        person=person,
        origin=Origin.APPLICATION,
        level=Level.RELATIVE,
        standard=Standard.COUNTY,
        causes=[Cause.ILLNESS, Cause.EDUCATION],
        household_income=Decimal("24000.00"),
        household=[MemberData("陈妻", "spouse", valid_id(101))],
        situation="妻子患病",
    )
    # Township staff see the household income (needy.view_sensitive_needyfile), so
    # every field of the form is shown.
    return EditCase(file, county.t1staff, "situation", "妻子患病，孩子上学")


def _aid_application(request, county) -> EditCase:
    world = request.getfixturevalue("aid")
    application = aid_services.aid_application_create(
        by=county.chair1,
        campaign=world.relief_campaign,
        person=world.p1,
        amount_requested=Decimal("1000.00"),
        reason="家庭困难",
        bank_name="工商银行",
        bank_account="6222020200001111",
    )
    return EditCase(application, county.chair1, "reason", "家中失火")


#: Every edit page, by URL name, with a record to edit.
EDIT_PAGES: dict[str, Callable[..., EditCase]] = {
    "orgs:organisation-update": _organisation,
    "orgs:employer-update": _employer,
    "accounts:staff-update": _staff_account,
    "people:person-update": _person,
    "employment:posting-update": _posting,
    "outreach:delivery-update": _delivery,
    "outreach:visit-update": _visit,
    "outreach:wish-update": _wish,
    "needy:file-update": _needy_file,
    "aid:application-update": _aid_application,
}

# The newer apps' edit pages, in modules of their own.
#: Edit pages that name their record by ``?pk=`` rather than in the path.
BY_QUERY = set(edit_cases_c.BY_QUERY)
EDIT_PAGES |= edit_cases_a.CASES | edit_cases_b.CASES | edit_cases_c.CASES | edit_cases_c.BY_QUERY

#: Pages named like an edit page whose form does not hold the record's fields.
NOT_RECORD_FORMS = {
    # The session's attendance: a choice of the term's delegates replacing its rows,
    # not fields of the session.
    "congress:attendance-update",
    # A proposal's page with the form that moves it on a step: "new status" has no
    # starting value, and a move to the status it has is refused by design.
    "congress:proposal-update",
    # Links a staff account to a person chosen from a search; the current link is
    # shown beside the form, which holds only the choice.
    "aid:staff-person-edit",
}


def edit_url_names() -> set[str]:
    """URL names of the edit pages, from the resolver."""
    found: set[str] = set()

    def walk(patterns, namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                walk(pattern.url_patterns, f"{namespace}{inner}:" if inner else namespace)
                continue
            view_class = getattr(pattern.callback, "view_class", None)
            named_edit = bool(pattern.name) and pattern.name.endswith(("-update", "-edit"))
            edits_record = view_class is not None and issubclass(view_class, RecordFormView)
            if named_edit or edits_record:
                found.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return found


class FormFields(HTMLParser):
    """What a browser submits for each ``<form method="post">`` of a page."""

    def __init__(self):
        super().__init__()
        self.forms: list[list[tuple[str, str]]] = []
        self.names: list[set[str]] = []
        self._select: str | None = None
        self._option: str | None = None
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = {key: value or "" for key, value in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.forms.append([])
            self.names.append(set())
            return
        if not self.forms:
            return
        fields, names = self.forms[-1], self.names[-1]
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            names.add(name)
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            fields.append((name, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and name:
            self._select = name
            names.add(name)
        elif tag == "option" and self._select and "selected" in a:
            fields.append((self._select, a.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
            names.add(name)

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            # A browser drops the one newline right after <textarea>.
            self.forms[-1].append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def form_with(self, field: str) -> list[tuple[str, str]]:
        for fields, names in zip(self.forms, self.names, strict=True):
            if field in names:
                return fields
        raise AssertionError(f"no form on the page has a field named {field!r}")


def stored(record) -> dict:
    """The record's editable fields as stored, many-to-many rows as sets of ids."""
    values = model_to_dict(type(record).objects.get(pk=record.pk))
    return {
        name: {row.pk for row in value} if isinstance(value, list) else value
        for name, value in values.items()
    }


def comparable(value):
    if isinstance(value, datetime):  # stored in UTC, shown in the site's zone
        return to_current_timezone(value)
    if isinstance(value, list | tuple | set):
        return {getattr(item, "pk", item) for item in value}
    return getattr(value, "pk", value)


@pytest.fixture(params=sorted(EDIT_PAGES))
def edit_page(request, county):
    case = EDIT_PAGES[request.param](request, county)
    if request.param in BY_QUERY:  # the record is named by ?pk= (a county vocabulary)
        return f"{reverse(request.param)}?pk={case.record.pk}", case
    return reverse(request.param, args=[case.record.pk]), case


def test_every_edit_page_is_tested():
    assert edit_url_names() == set(EDIT_PAGES) | NOT_RECORD_FORMS


def test_an_edit_page_opens_showing_the_stored_values(edit_page, client_for):
    url, case = edit_page
    response = client_for(case.user).get(url)
    assert response.status_code == 200
    form = response.context["form"]
    before = stored(case.record)
    # A file input never shows the stored file: what it holds is kept unless replaced.
    shown = [
        name
        for name in form.fields
        if name in before and not isinstance(form.fields[name], forms.FileField)
    ]
    assert case.field in shown
    for name in shown:
        assert comparable(form[name].value()) == comparable(before[name]), name


def test_saving_one_changed_field_keeps_the_others(edit_page, client_for):
    url, case = edit_page
    client = client_for(case.user)
    before = stored(case.record)
    page = FormFields()
    page.feed(client.get(url).content.decode())
    data = [(name, value) for name, value in page.form_with(case.field) if name != case.field]
    data.append((case.field, case.new_value))
    body: dict[str, list[str]] = {}
    for name, value in data:
        body.setdefault(name, []).append(value)

    response = client.post(url, body)

    assert response.status_code == 302, response.context["form"].errors
    after = stored(case.record)
    assert str(after.pop(case.field)) == case.new_value
    before.pop(case.field)
    assert after == before


ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def test_the_chinese_organisation_edit_page_shows_the_founding_date_in_iso(county, client_for):
    _organisation(None, county)
    client = client_for(county.t1staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    response = client.get(reverse("orgs:organisation-update", args=[county.g1.pk]))

    assert response.headers["Content-Language"] == "zh-hans"
    assert 'value="2005-04-07"' in response.content.decode()


def test_every_chinese_edit_page_writes_its_dates_as_a_browser_reads_them(edit_page, client_for):
    url, case = edit_page
    client = client_for(case.user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    content = client.get(url).content.decode()

    for tag in re.findall(r"<input[^>]*type=\"date\"[^>]*>", content):
        value = re.search(r'value="([^"]*)"', tag)
        assert value is None or ISO_DATE.match(value.group(1)), tag
