"""The audit history on a record's page: who changed what, before → after,
shown to those who may read the audit trail and to nobody else."""

from __future__ import annotations

from django.urls import reverse

from gonghui.orgs.tests.formdata import employer_form_data, organisation_form_data


def history_section(response) -> str | None:
    page = response.content.decode()
    if 'id="history"' not in page:
        return None
    return page.split('id="history"', 1)[1].split("</section>", 1)[0]


def edit_employer(client, employer, **changes):
    response = client.post(
        reverse("orgs:employer-update", args=[employer.pk]), employer_form_data(employer, **changes)
    )
    assert response.status_code == 302, response.context["form"].errors
    return response


def test_an_edit_through_the_page_shows_who_changed_what(county, client_for):
    county.t1staff.last_name, county.t1staff.first_name = "王", "东东"
    county.t1staff.save()
    client = client_for(county.t1staff)

    edit_employer(client, county.e1, name="东镇精密机械有限公司", employee_count=75)
    section = history_section(client.get(county.e1.get_absolute_url()))

    assert section is not None
    assert "王东东" in section
    assert "东镇机械有限公司 → 东镇精密机械有限公司" in section
    assert "60 → 75" in section
    # The registration by the seed data came first and has no person behind it.
    assert "system" in section
    assert section.index("王东东") < section.index("system")  # newest first


def test_the_history_is_not_shown_to_a_chair(county, client_for):
    edit_employer(client_for(county.t1staff), county.e1, employee_count=75)

    response = client_for(county.chair1).get(county.e1.get_absolute_url())

    assert response.status_code == 200
    assert history_section(response) is None
    assert "60 → 75" not in response.content.decode()


def test_an_organisation_page_shows_its_history_too(county, client_for):
    client = client_for(county.t1staff)
    response = client.post(
        reverse("orgs:organisation-update", args=[county.g1.pk]),
        organisation_form_data(county.g1, contact_name="李四"),
    )
    assert response.status_code == 302

    section = history_section(client.get(county.g1.get_absolute_url()))

    assert "t1staff" in section
    assert "李四" in section


def _history_queries(employer) -> tuple[list, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from gonghui.core.audit import history_for

    with CaptureQueriesContext(connection) as queries:
        rows = history_for(employer)
    return rows, len(queries)


def test_union_changes_show_the_unions_names_with_the_same_queries_however_many(county):
    employer = county.e1
    for union in (county.j1, county.g1):
        employer.union = union
        employer.save()
    rows, few = _history_queries(employer)
    for union in (county.j1, county.g1, county.j1, county.g1, county.j1, county.g1):
        employer.union = union
        employer.save()

    more_rows, many = _history_queries(employer)

    assert len(more_rows) == len(rows) + 6
    assert many == few
    changes = [change for row in more_rows for change in row.changes]
    assert (
        str(employer._meta.get_field("union").verbose_name),
        county.g1.name,
        county.j1.name,
    ) in [(str(label), before, after) for label, before, after in changes]
