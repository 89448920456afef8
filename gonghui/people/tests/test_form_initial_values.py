"""Join and registration forms open with what is already known: the worker's employer and group."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from gonghui.people import services
from gonghui.people.vocabularies import NewFormGroup

from .conftest import valid_id

REGISTER = reverse("people:person-create")
NEW_APPLICATION = reverse("people:application-create")


def test_the_join_form_preselects_the_workers_employer_and_group(county, client_for):
    person = services.person_create(
        by=county.admin,
        name="易晓峰",
        id_number=valid_id(500),
        employer=county.e1,
        new_form_group=NewFormGroup.COURIER,
    )

    response = client_for(county.chair1).get(reverse("people:person-join", args=[person.pk]))

    assert response.status_code == 200
    form = response.context["form"]
    assert form["employer"].value() == county.e1.pk
    assert form["new_form_group"].value() == NewFormGroup.COURIER
    html = response.content.decode()
    assert f'<option value="{county.e1.pk}" selected>' in html
    assert f'<option value="{NewFormGroup.COURIER}" selected>' in html


def test_the_join_form_still_submits_the_preselected_values(county, client_for):
    person = services.person_create(
        by=county.admin, name="易晓峰", id_number=valid_id(501), employer=county.e1
    )
    client = client_for(county.chair1)
    form = client.get(reverse("people:person-join", args=[person.pk])).context["form"]

    response = client.post(
        reverse("people:person-join", args=[person.pk]),
        {"employer": form["employer"].value(), "new_form_group": ""},
    )

    assert response.status_code == 302
    application = person.join_applications.get()
    assert application.employer == county.e1
    assert application.union == county.g1


def test_the_registration_form_preselects_the_employer_it_was_opened_for(county, client_for):
    response = client_for(county.chair1).get(REGISTER, {"employer": county.e1.pk})

    assert response.status_code == 200
    assert response.context["form"]["employer"].value() == county.e1.pk
    assert f'<option value="{county.e1.pk}" selected>' in response.content.decode()


def test_the_join_application_form_preselects_the_employer_it_was_opened_for(county, client_for):
    response = client_for(county.chair1).get(NEW_APPLICATION, {"employer": county.e1.pk})

    assert response.status_code == 200
    assert response.context["form"]["employer"].value() == county.e1.pk


def test_an_employer_outside_the_scope_is_not_preselected_nor_named(county, client_for):
    client = client_for(county.chair1)

    for url in (REGISTER, NEW_APPLICATION):
        response = client.get(url, {"employer": county.e2.pk})

        assert response.status_code == 200
        assert response.context["form"]["employer"].value() is None
        assert county.e2.name not in response.content.decode()


def test_a_malformed_employer_in_the_link_is_ignored(county, client_for):
    response = client_for(county.chair1).get(REGISTER, {"employer": "e1"})

    assert response.status_code == 200
    assert response.context["form"]["employer"].value() is None


def test_the_join_approval_marks_its_required_date_and_proposes_today(people, county, client_for):
    client = client_for(county.chair1)
    today = timezone.localdate().isoformat()

    for url in (
        reverse("people:application-detail", args=[people.a4.pk]),
        reverse("people:application-approve", args=[people.a4.pk]),
    ):
        html = client.get(url).content.decode()
        label = html[html.index('<label for="id_joined_on">') :]
        label = label[: label.index("</label>")]

        assert label.startswith('<label for="id_joined_on">Member since')
        assert '<abbr class="req" title="required">*</abbr>' in label
        assert f'name="joined_on" value="{today}"' in html
        field = html.rindex('<div class="field', 0, html.index('<label for="id_joined_on">'))
        assert html.startswith('<div class="field required"', field)
