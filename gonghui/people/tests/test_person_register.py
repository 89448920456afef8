"""Registering a person: one person exists once, numbers are normalised and stored encrypted."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from gonghui.core.idnumbers import complete_id_number
from gonghui.people import services
from gonghui.people.models import Person

from .conftest import valid_id, valid_phone

CREATE = reverse("people:person-create")


def form_data(county, **overrides):
    return {
        "name": "钱五",
        "id_number": valid_id(50),
        "phone": valid_phone(50),
        "ethnicity": "01",
        "education": "bachelor",
        "employer": county.e1.pk,
        "job_title": "钳工",
        "new_form_group": "",
        **overrides,
    }


def test_a_person_is_registered_with_columns_derived_from_the_id_number(county, client_for):
    number = valid_id(51, born=date(1985, 7, 9))

    response = client_for(county.chair1).post(CREATE, form_data(county, id_number=number))

    person = Person.objects.get(name="钱五")
    assert response.status_code == 302
    assert response["Location"] == person.get_absolute_url()
    assert person.birth_date == date(1985, 7, 9)
    assert person.gender == ("M" if int(number[16]) % 2 else "F")
    assert person.region_code == "330106"
    assert person.employer == county.e1
    assert person.file_org == county.t1
    assert person.plain_id_number() == number
    assert person.plain_phone() == valid_phone(50)


def test_neither_number_is_stored_in_clear(county):
    person = services.person_create(
        by=county.t1staff, name="孙六", id_number=valid_id(52), phone="13812345678"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM people_person WHERE id = %s", [person.pk])
        row = " ".join(str(value) for value in cursor.fetchone())

    assert valid_id(52) not in row
    assert valid_id(52)[-8:] not in row
    assert "13812345678" not in row
    assert "12345678" not in row


def test_numbers_are_normalised_before_they_are_stored(county, client_for):
    number = valid_id(53)
    written = "".join(chr(ord(ch) + 0xFEE0) for ch in number[:9]) + " " + number[9:].lower()

    client_for(county.t1staff).post(
        CREATE, form_data(county, id_number=written, phone="+86 139-0000-0053")
    )

    person = Person.objects.get(name="钱五")
    assert person.plain_id_number() == number
    assert person.plain_phone() == "13900000053"


def test_an_old_15_digit_number_is_stored_as_18_digits(county):
    number = valid_id(54, born=date(1965, 3, 1))
    old = number[:6] + number[8:17]

    person = services.person_create(by=county.t1staff, name="周七", id_number=old)

    assert person.plain_id_number() == number


def test_a_second_file_for_the_same_id_number_is_refused_by_the_service(county):
    first = services.person_create(by=county.t1staff, name="吴八", id_number=valid_id(55))

    with pytest.raises(services.PersonAlreadyRegistered) as caught:
        services.person_create(by=county.t1staff, name="吴八八", id_number=valid_id(55).lower())

    assert caught.value.person == first
    assert Person.objects.count() == 1


def test_the_database_itself_refuses_a_second_row_with_the_same_id_number(county):
    first = services.person_create(by=county.t1staff, name="郑九", id_number=valid_id(56))
    twin = services.person_build(name="郑九", id_number=valid_id(56), file_org=county.t1)

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.bulk_create([twin])

    assert list(Person.objects.all()) == [first]


def test_the_form_says_the_person_is_registered_and_links_to_the_file(county, client_for):
    first = services.person_create(
        by=county.chair1, name="冯十", id_number=valid_id(57), employer=county.e1
    )
    variant = " ".join([valid_id(57)[:6], valid_id(57)[6:]])

    response = client_for(county.chair1).post(CREATE, form_data(county, id_number=variant))

    assert response.status_code == 200
    html = response.content.decode()
    assert "This person is already registered." in html
    assert f'<a href="{first.get_absolute_url()}">' in html
    assert Person.objects.count() == 1


def test_a_duplicate_outside_the_scope_is_reported_without_a_link(county, client_for):
    other = services.person_create(
        by=county.superuser, name="陈十一", id_number=valid_id(58), employer=county.e3
    )

    response = client_for(county.chair1).post(CREATE, form_data(county, id_number=valid_id(58)))

    html = response.content.decode()
    assert "already registered by another organisation" in html
    assert other.get_absolute_url() not in html
    assert Person.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "33010619900101001", "has 18 characters"),
        ("id_number", "330106199001010017", "check digit"),
        ("id_number", complete_id_number("33010619900230001"), "not a real date of birth"),
        ("phone", "12812345678", "begins with 13 to 19"),
        ("phone", "138-1234-567", "has 11 digits"),
        ("name", "   ", "required"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(county, client_for, field, value, message):
    response = client_for(county.t1staff).post(CREATE, form_data(county, **{field: value}))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Person.objects.exists()


def test_an_unknown_region_code_registers_with_a_warning(county, client_for):
    number = complete_id_number("33999919850612002")

    response = client_for(county.t1staff).post(
        CREATE, form_data(county, id_number=number), follow=True
    )

    assert Person.objects.get().region_code == "339999"
    assert "339999" in response.content.decode()


def test_an_employer_outside_the_scope_cannot_be_chosen(county, client_for):
    response = client_for(county.chair1).post(CREATE, form_data(county, employer=county.e2.pk))

    assert response.status_code == 200
    assert not Person.objects.exists()


def test_the_service_refuses_an_employer_outside_the_scope(county):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.person_create(
            by=county.chair1, name="褚十二", id_number=valid_id(59), employer=county.e2
        )
    assert not Person.objects.exists()


def test_a_person_without_employer_is_kept_by_the_registering_organisation(county):
    person = services.person_create(by=county.chair2, name="卫十三", id_number=valid_id(60))

    assert person.file_org == county.g2
    assert Person.objects.for_user(county.chair2).filter(pk=person.pk).exists()
    assert not Person.objects.for_user(county.chair1).filter(pk=person.pk).exists()


def test_many_people_can_be_built_and_written_in_one_bulk_insert(county):
    built = [
        services.person_build(
            name=f"批量{n}",
            id_number=valid_id(100 + n),
            phone=valid_phone(100 + n),
            employer=county.e1,
            file_org=county.t1,
        )
        for n in range(200)
    ]

    Person.objects.bulk_create(built, batch_size=100)

    assert Person.objects.count() == 200
    sample = Person.objects.get(name="批量7")
    assert sample.plain_id_number() == valid_id(107)
    assert sample.birth_date == date(1990, 1, 1)
