"""Editing a person's file: the numbers are never shown in full, and stay unique."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from gonghui.people import services
from gonghui.people.models import Person

from .conftest import valid_id, valid_phone


def edit_url(person):
    return reverse("people:person-update", args=[person.pk])


def edit_data(person, **overrides):
    return {
        "name": person.name,
        "id_number": "",
        "phone": "",
        "ethnicity": person.ethnicity,
        "education": person.education,
        "employer": person.employer_id or "",
        "job_title": person.job_title,
        "new_form_group": person.new_form_group,
        **overrides,
    }


def test_the_edit_form_shows_the_numbers_masked_only(people, client_for, county):
    response = client_for(county.chair1).get(edit_url(people.p1))

    html = response.content.decode()
    assert response.status_code == 200
    assert people.p1.masked_id_number() in html
    assert people.p1.plain_id_number() not in html
    assert people.p1.plain_phone() not in html


def test_empty_number_fields_keep_the_stored_numbers(people, client_for, county):
    before = Person.objects.values("id_number_encrypted", "id_hash", "phone_hash").get(
        pk=people.p1.pk
    )

    response = client_for(county.chair1).post(
        edit_url(people.p1), edit_data(people.p1, name="张一一", job_title="班组长")
    )

    people.p1.refresh_from_db()
    assert response.status_code == 302
    assert people.p1.name == "张一一"
    assert people.p1.job_title == "班组长"
    after = Person.objects.values("id_number_encrypted", "id_hash", "phone_hash").get(
        pk=people.p1.pk
    )
    assert after == before


def test_a_corrected_id_number_updates_the_derived_columns(people, client_for, county):
    corrected = valid_id(61, born=date(1979, 11, 30), region="110101")

    client_for(county.chair1).post(edit_url(people.p1), edit_data(people.p1, id_number=corrected))

    people.p1.refresh_from_db()
    assert people.p1.plain_id_number() == corrected
    assert people.p1.birth_date == date(1979, 11, 30)
    assert people.p1.region_code == "110101"
    assert Person.objects.get(id_hash=services.id_hash(corrected)) == people.p1


def test_changing_to_another_persons_id_number_is_refused(people, client_for, county):
    response = client_for(county.t1staff).post(
        edit_url(people.p1), edit_data(people.p1, id_number=people.p2.plain_id_number())
    )

    assert response.status_code == 200
    assert "This person is already registered." in response.content.decode()
    people.p1.refresh_from_db()
    assert people.p1.plain_id_number() == valid_id(1)


def test_the_phone_can_be_replaced_or_removed(people, client_for, county):
    client = client_for(county.chair1)

    client.post(edit_url(people.p1), edit_data(people.p1, phone="13700000001"))
    people.p1.refresh_from_db()
    assert people.p1.plain_phone() == "13700000001"

    client.post(edit_url(people.p1), edit_data(people.p1, remove_phone="on"))
    people.p1.refresh_from_db()
    assert people.p1.plain_phone() == ""
    assert people.p1.phone_hash == ""


def test_a_new_employer_moves_the_file_to_its_township(people, county):
    services.person_update(by=county.admin, person=people.p3, employer=county.e2)

    people.p3.refresh_from_db()
    assert people.p3.file_org == county.t1
    assert Person.objects.for_user(county.t1staff).filter(pk=people.p3.pk).exists()
    assert not Person.objects.for_user(county.t2staff).filter(pk=people.p3.pk).exists()


def test_the_audit_history_records_an_edit_without_the_numbers(people, client_for, county):
    client_for(county.t1staff).post(
        edit_url(people.p1), edit_data(people.p1, name="张改", phone=valid_phone(70))
    )

    response = client_for(county.t1staff).get(people.p1.get_absolute_url())

    html = response.content.decode()
    assert "张一 → 张改" in html
    assert valid_phone(70) not in html
    assert "phone_encrypted" not in html
