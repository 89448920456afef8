"""Linking a staff account to its own person record, which separation of duties
reads: pages and service through the scope rule, and the link's effect on approval."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gonghui.accounts.models import Role
from gonghui.aid import services
from gonghui.aid.models import StaffPerson
from gonghui.conftest import make_user
from gonghui.people.tests.conftest import valid_id

from .bulk import at_county
from .conftest import relief_application
from .needy_files import needy_file

LIST = "/aid/staff/"


def edit(user):
    return f"/aid/staff/{user.pk}/"


@pytest.fixture
def t1admin(county):
    """A county-administrator role held at township T1: it manages T1's subtree only."""
    return make_user("t1admin", county.t1, Role.COUNTY_ADMIN)


def test_the_list_shows_staff_in_scope_with_their_person_masked(county, aid, client_for):
    services.staff_person_link(by=county.superuser, user=county.chair1, person=aid.p1)

    page = client_for(county.admin).get(LIST)

    assert page.status_code == 200
    html = page.content.decode()
    for user in (county.t1staff, county.t2staff, county.chair1):
        assert f'data-user="{user.pk}"' in html
    assert aid.p1.name in html
    assert aid.p1.masked_id_number() in html
    assert valid_id(11) not in html
    assert f'data-user="{county.outsider.pk}"' not in html


def test_an_administrator_of_a_township_sees_and_links_only_its_subtree(
    county, aid, client_for, t1admin
):
    client = client_for(t1admin)
    html = client.get(LIST).content.decode()
    assert f'data-user="{county.chair1.pk}"' in html
    assert f'data-user="{county.t2staff.pk}"' not in html
    assert client.get(edit(county.t2staff)).status_code == 404
    assert client.post(edit(county.t2staff), {"person": aid.p1.pk}).status_code == 404

    with pytest.raises(PermissionDenied, match="staff account is outside your scope"):
        services.staff_person_link(by=t1admin, user=county.t2staff, person=aid.p1)
    with pytest.raises(PermissionDenied, match="person is outside your scope"):
        services.staff_person_link(by=t1admin, user=county.chair1, person=aid.p3)
    # The page offers only people in scope: a person elsewhere is not a valid choice.
    response = client.post(edit(county.chair1), {"person": aid.p3.pk})
    assert response.status_code == 400
    assert "Choose a person found in your scope." in response.content.decode()
    assert not StaffPerson.objects.exists()


@pytest.mark.parametrize("persona", ["t1staff", "chair1", "leader"])
def test_without_the_right_the_pages_and_the_service_refuse(county, aid, client_for, persona):
    user = getattr(county, persona)
    client = client_for(user)
    assert client.get(LIST).status_code == 403
    assert client.post(edit(county.chair2), {"person": aid.p2.pk}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.staff_person_link(by=user, user=county.chair2, person=aid.p2)
    assert not StaffPerson.objects.exists()


def test_a_person_is_found_by_name_or_id_suffix_and_linked_from_the_page(county, aid, client_for):
    client = client_for(county.admin)

    by_name = client.get(edit(county.chair1), {"q": aid.p1.name[:1]}).content.decode()
    assert f'value="{aid.p1.pk}"' in by_name
    by_suffix = client.get(edit(county.chair1), {"q": valid_id(12)[-4:]}).content.decode()
    assert f'value="{aid.p2.pk}"' in by_suffix
    assert f'value="{aid.p1.pk}"' not in by_suffix

    response = client.post(edit(county.chair1), {"person": aid.p1.pk})

    assert response.status_code == 302
    assert StaffPerson.objects.get(user=county.chair1).person == aid.p1
    # Changing the link replaces it.
    client.post(edit(county.chair1), {"person": aid.p2.pk})
    assert StaffPerson.objects.get(user=county.chair1).person == aid.p2
    client.post(f"/aid/staff/{county.chair1.pk}/unlink/")
    assert not StaffPerson.objects.filter(user=county.chair1).exists()


def test_one_person_belongs_to_one_staff_account(county, aid):
    services.staff_person_link(by=county.admin, user=county.chair1, person=aid.p1)
    with pytest.raises(ValidationError, match="already linked to the staff account chair1"):
        services.staff_person_link(by=county.admin, user=county.chair2, person=aid.p1)
    assert not StaffPerson.objects.filter(user=county.chair2).exists()


def test_nobody_links_or_unlinks_their_own_account(county, aid, client_for):
    with pytest.raises(PermissionDenied, match="not by yourself"):
        services.staff_person_link(by=county.admin, user=county.admin, person=aid.p1)
    services.staff_person_link(by=county.superuser, user=county.admin, person=aid.p1)
    with pytest.raises(PermissionDenied, match="not by yourself"):
        services.staff_person_unlink(by=county.admin, user=county.admin)
    assert StaffPerson.objects.get(user=county.admin).person == aid.p1
    assert client_for(county.admin).post(edit(county.admin), {"person": aid.p2.pk}).status_code == (
        403
    )


def test_once_linked_the_staff_member_cannot_approve_their_own_application(county, aid, client_for):
    application = relief_application(county, aid)
    client_for(county.admin).post(edit(aid.g1clerk), {"person": aid.p1.pk})

    with pytest.raises(PermissionDenied, match="themselves"):
        services.aid_application_approve(by=aid.g1clerk, application=application)
    result = services.aid_applications_approve(by=aid.g1clerk, applications=[application])
    assert [m for _a, m in result.refused] == ["Nobody may decide on aid for themselves."]
    # Others decide on it as before.
    assert approve_all_levels_without_g1clerk(county, aid, application).status == "approved"


def approve_all_levels_without_g1clerk(county, aid, application):
    second_g1 = make_user("g1second", county.g1, Role.GRASSROOTS_CHAIR)
    application = services.aid_application_approve(by=second_g1, application=application)
    application = services.aid_application_approve(by=county.t1staff, application=application)
    return services.aid_application_approve(by=county.admin, application=application)


def test_my_account_shows_my_person_record_masked(county, aid, client_for):
    client = client_for(county.t1staff)
    assert "Not linked yet" in client.get("/accounts/me/").content.decode()

    services.staff_person_link(by=county.admin, user=county.t1staff, person=aid.p2)

    html = client.get("/accounts/me/").content.decode()
    mine = html.split('id="own-person">', 1)[1].split("</dd>", 1)[0]
    assert aid.p2.name in mine
    assert aid.p2.masked_id_number() in mine
    assert valid_id(12) not in html


def test_a_county_approver_linked_by_another_is_refused_their_household_in_bulk(county, aid):
    own, relative = at_county(county, aid, 100, 2)
    needy_file(relative.person, county.t1, household=(own.person,))
    services.staff_person_link(by=county.admin, user=aid.admin2, person=own.person)

    result = services.aid_applications_approve(by=aid.admin2, applications=[own, relative])

    assert [m for _a, m in result.refused] == [
        "Nobody may decide on aid for themselves.",
        "Nobody may decide on aid for their own household.",
    ]
