"""Staff pages of join applications: the queue, and applications entered on a worker's behalf."""

from __future__ import annotations

from django.urls import reverse

from gonghui.people import services
from gonghui.people.models import JoinApplication, Person
from gonghui.people.vocabularies import JoinChannel, JoinStatus

from .conftest import valid_id

LIST = reverse("people:application-list")
CREATE = reverse("people:application-create")


def listed(client, **params) -> list[JoinApplication]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [obj for obj, _values in response.context["rows"]]


def test_the_queue_shows_pending_applications_in_scope_by_default(people, client_for, county):
    decided = services.join_application_submit(
        by=county.admin, channel=JoinChannel.STAFF, person=people.p3, employer=county.e1
    )
    services.join_application_reject(by=county.admin, application=decided, reason="材料不全")

    assert listed(client_for(county.chair1)) == [people.a4]
    assert listed(client_for(county.chair2)) == []
    assert listed(client_for(county.t2staff)) == []
    assert set(listed(client_for(county.chair1), status="")) == {people.a4, decided}
    assert listed(client_for(county.chair1), status=JoinStatus.REJECTED) == [decided]


def test_staff_enter_an_application_for_a_new_worker(county, client_for):
    response = client_for(county.chair1).post(
        CREATE,
        {
            "id_number": valid_id(500),
            "name": "新职工",
            "phone": "13600000500",
            "employer": county.e1.pk,
            "new_form_group": "",
        },
    )

    application = JoinApplication.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    assert application.submitted_by == county.chair1
    assert application.channel == JoinChannel.STAFF
    assert application.union == county.g1
    assert application.person.name == "新职工"
    assert application.person.plain_phone() == "13600000500"


def test_an_application_routed_outside_the_scope_returns_to_the_persons_file(county, client_for):
    response = client_for(county.chair1).post(
        CREATE,
        {
            "id_number": valid_id(501),
            "name": "快递员",
            "employer": county.e1.pk,
            "new_form_group": "courier",
        },
    )

    application = JoinApplication.objects.get()
    assert application.union == county.j1
    assert response["Location"] == application.person.get_absolute_url()


def test_an_application_for_a_registered_number_uses_the_existing_file(people, county, client_for):
    # p3 moves from E3 (township T2) to E1: the county sees both townships.
    response = client_for(county.admin).post(
        CREATE,
        {"id_number": people.p3.plain_id_number(), "name": "王三", "employer": county.e1.pk},
    )

    application = JoinApplication.objects.get(person=people.p3)
    assert response.status_code == 302
    assert application.union == county.g1
    assert Person.objects.count() == 4


def test_a_township_without_a_joint_union_is_explained_on_the_form(people, county, client_for):
    response = client_for(county.t2staff).post(
        CREATE,
        {"id_number": valid_id(502), "name": "西镇职工", "employer": county.e3.pk},
    )

    # E3 has no union and T2 no joint union: the reason is shown, nothing is saved.
    assert response.status_code == 200
    assert "has no joint union" in response.content.decode()
    assert Person.objects.count() == 4
    assert JoinApplication.objects.count() == 1


def test_an_application_from_a_persons_file(people, client_for, county):
    response = client_for(county.chair1).post(
        reverse("people:person-join", args=[people.p1.pk]), {"employer": county.e1.pk}
    )

    # p1 is already a member: the reason is shown on the form.
    assert response.status_code == 200
    assert "already a member" in response.content.decode()
    services.membership_leave(by=county.chair1, person=people.p1, reason="离职")

    response = client_for(county.chair1).post(
        reverse("people:person-join", args=[people.p1.pk]), {"employer": county.e1.pk}
    )

    application = JoinApplication.objects.get(person=people.p1)
    assert response["Location"] == application.get_absolute_url()
    assert application.union == county.g1


def test_the_application_page_offers_the_decision_to_those_who_may_decide(
    people, client_for, county
):
    chair_page = client_for(county.chair1).get(people.a4.get_absolute_url()).content.decode()
    leader_page = client_for(county.leader).get(people.a4.get_absolute_url()).content.decode()

    assert reverse("people:application-approve", args=[people.a4.pk]) in chair_page
    assert reverse("people:application-approve", args=[people.a4.pk]) not in leader_page
    assert people.p4.plain_id_number() not in chair_page
