"""Opening, editing, deactivating and reactivating staff accounts, and resetting
their passwords; every change is in the account's history."""

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.accounts import services
from gonghui.accounts.models import Role, User
from gonghui.conftest import make_user

from .conftest import is_signed_in, sign_in

NEW_OWN_PASSWORD = "Autumn-Harbour-2032"


def create(client, county, **overrides):
    """The system administrator opens an account (a role is the security
    administrator's to give: ``give_roles``)."""
    data = {
        "username": "newcomer",
        "last_name": "李",
        "first_name": "明",
        "phone": "",
        "organisation": county.g1.pk,
        **overrides,
    }
    return client.post(reverse("accounts:staff-create"), data)


def give_roles(client, account, *roles):
    return client.post(reverse("accounts:staff-update", args=[account.pk]), {"roles": roles})


def test_a_new_account_is_shown_with_its_temporary_password_once(client_for, county):
    response = create(client_for(county.sysadmin), county)
    assert response.status_code == 200
    password = response.context["password"]
    assert password in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    user = User.objects.get(username="newcomer")
    assert user.check_password(password)
    assert user.must_change_password
    assert user.organisation == county.g1
    assert user.role_names() == set()  # until the security administrator gives one
    assert give_roles(client_for(county.secadmin), user, Role.STAFF).status_code == 302
    assert User.objects.get(pk=user.pk).role_names() == {Role.STAFF}
    assert password not in client_for(county.sysadmin).get(user.get_absolute_url()).content.decode()


def test_the_temporary_password_must_be_changed_at_the_first_sign_in(client_for, county):
    password = create(client_for(county.sysadmin), county).context["password"]
    browser = Client()
    assert sign_in(browser, "newcomer", password).status_code == 302
    response = browser.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:password-change"))
    response = browser.post(
        reverse("accounts:password-change"),
        {
            "old_password": password,
            "new_password1": NEW_OWN_PASSWORD,
            "new_password2": NEW_OWN_PASSWORD,
        },
    )
    assert response.status_code == 302
    assert browser.get(reverse("core:home")).status_code == 200
    user = User.objects.get(username="newcomer")
    assert not user.must_change_password
    assert user.check_password(NEW_OWN_PASSWORD)


def test_a_taken_user_name_is_refused_whatever_its_case(client_for, county):
    response = create(client_for(county.sysadmin), county, username="T1Staff")
    assert response.status_code == 200
    assert "is taken" in str(response.context["form"].errors["username"])
    assert User.objects.filter(username__iexact="t1staff").count() == 1


def test_roles_are_given_by_the_security_administrator_only(client_for, county):
    create(client_for(county.sysadmin), county, roles=[Role.STAFF])  # not the sysadmin's field
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.role_names() == set()
    response = give_roles(client_for(county.secadmin), newcomer)
    assert "roles" in response.context["form"].errors  # at least one
    # Not even the superuser, who alone gives the separated roles, joins one to another.
    with pytest.raises(ValidationError, match="each hold their role alone"):
        services.user_update(by=county.superuser, user=newcomer, roles=[Role.STAFF, Role.AUDITOR])
    assert User.objects.get(username="newcomer").role_names() == set()


def test_the_name_organisation_and_roles_are_edited(client_for, county):
    response = client_for(county.sysadmin).post(
        reverse("accounts:staff-update", args=[county.chair1.pk]),
        {
            "last_name": "周",
            "first_name": "强",
            "phone": "13800000000",
            "organisation": county.g2.pk,
            "roles": [Role.GRASSROOTS_CHAIR, Role.MEDIATOR],  # not the sysadmin's to give
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=county.chair1.pk).role_names() == {Role.GRASSROOTS_CHAIR}
    response = give_roles(
        client_for(county.secadmin), county.chair1, Role.GRASSROOTS_CHAIR, Role.MEDIATOR
    )
    assert response.status_code == 302
    chair = User.objects.get(pk=county.chair1.pk)
    assert (chair.display_name, chair.phone, chair.organisation) == (
        "周强",
        "13800000000",
        county.g2,
    )
    assert chair.role_names() == {Role.GRASSROOTS_CHAIR, Role.MEDIATOR}
    # The system administrator reads no audit record (the separation of powers).
    page = client_for(county.sysadmin).get(chair.get_absolute_url()).content.decode()
    assert 'id="history"' not in page
    # The account pages are the administrators' and none of them reads the history
    # there but the superuser; the auditor reads it in the console.
    page = client_for(county.superuser).get(chair.get_absolute_url()).content.decode()
    assert "<strong>roles</strong>: — → Mediator" in page
    assert county.g2.name in page


def test_a_deactivated_account_cannot_sign_in_and_its_session_ends(client_for, county):
    browser = Client()
    assert sign_in(browser, "t2staff").status_code == 302
    assert browser.get(reverse("core:home")).status_code == 200

    response = client_for(county.sysadmin).post(
        reverse("accounts:staff-deactivate", args=[county.t2staff.pk])
    )
    assert response.status_code == 302
    county.t2staff.refresh_from_db()
    assert not county.t2staff.is_active

    assert browser.get(reverse("core:home")).status_code == 302
    assert not is_signed_in(browser)
    refused = sign_in(Client(), "t2staff")
    assert refused.status_code == 200
    assert not is_signed_in(browser)


def test_a_reactivated_account_signs_in_again(client_for, county):
    admin = client_for(county.sysadmin)
    admin.post(reverse("accounts:staff-deactivate", args=[county.t2staff.pk]))
    admin.post(reverse("accounts:staff-reactivate", args=[county.t2staff.pk]))
    county.t2staff.refresh_from_db()
    assert county.t2staff.is_active
    browser = Client()
    assert sign_in(browser, "t2staff").status_code == 302
    assert is_signed_in(browser)


def test_the_inactive_filter_lists_deactivated_accounts_only(client_for, county):
    admin = client_for(county.sysadmin)
    admin.post(reverse("accounts:staff-deactivate", args=[county.t2staff.pk]))
    response = admin.get(reverse("accounts:staff-list"), {"status": "inactive"})
    assert [a.username for a in response.context["object_list"]] == ["t2staff"]


def test_the_list_finds_an_account_by_its_full_name_and_filters_by_role(client_for, county):
    county.chair2.last_name, county.chair2.first_name = "欧阳", "娜"
    county.chair2.save()
    admin = client_for(county.sysadmin)
    response = admin.get(reverse("accounts:staff-list"), {"q": "欧阳娜"})
    assert [a.username for a in response.context["object_list"]] == ["chair2"]
    response = admin.get(reverse("accounts:staff-list"), {"role": Role.GRASSROOTS_CHAIR})
    assert {a.username for a in response.context["object_list"]} == {"chair1", "chair2"}


def test_a_password_reset_gives_a_temporary_password_and_ends_other_sessions(client_for, county):
    browser = Client()
    sign_in(browser, "t1staff")
    assert browser.get(reverse("core:home")).status_code == 200

    response = client_for(county.sysadmin).post(
        reverse("accounts:staff-password-reset", args=[county.t1staff.pk])
    )
    assert response.status_code == 200
    password = response.context["password"]
    county.t1staff.refresh_from_db()
    assert county.t1staff.check_password(password)
    assert county.t1staff.must_change_password

    assert browser.get(reverse("core:home")).status_code == 302
    assert not is_signed_in(browser)
    again = Client()
    assert sign_in(again, "t1staff", password).status_code == 302
    assert again.get(reverse("core:home")).url.startswith(reverse("accounts:password-change"))


def test_the_history_records_every_change_and_never_a_password_hash(client_for, county):
    admin = client_for(county.sysadmin)
    last_before = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    created = create(admin, county).context["password"]
    reset = admin.post(reverse("accounts:staff-password-reset", args=[county.t1staff.pk])).context[
        "password"
    ]
    admin.post(reverse("accounts:staff-deactivate", args=[county.t1staff.pk]))
    newcomer = User.objects.get(username="newcomer")
    county.t1staff.refresh_from_db()
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(User),
        object_pk__in=[str(newcomer.pk), str(county.t1staff.pk)],
        pk__gt=last_before,
    )
    assert entries.count() == 3  # created, password reset, deactivated
    assert all(entry.actor_id == county.sysadmin.pk for entry in entries)
    for entry in entries:
        assert "password" not in entry.changes_dict
        for secret in (created, reset, newcomer.password, county.t1staff.password):
            assert secret not in str(entry.changes)

    page = client_for(county.auditor).get(reverse("security:change-list")).content.decode()
    assert "newcomer" in page
    assert "must_change_password: False → True" in page
    assert "is_active: True → False" in page


def test_the_list_reads_a_fixed_number_of_queries_whatever_the_rows(client_for, county):
    admin = client_for(county.sysadmin)
    url = reverse("accounts:staff-list")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(url).status_code == 200
        return len(captured)

    queries()  # the first request reads the account's roles and permissions (accounts.state)
    before = queries()
    for n in range(5):
        make_user(f"extra{n}", county.g2, Role.STAFF, Role.MEDIATOR)
    assert queries() == before
