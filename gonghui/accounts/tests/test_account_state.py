"""An account's roles, permissions and second factor are kept between requests
(``accounts.state``): every change to them is seen by the account's next request,
whichever way it was made."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.accounts import state
from gonghui.accounts.models import Role, User
from gonghui.accounts.services import user_update
from gonghui.conftest import make_user

from .conftest import add_device

ORGS = reverse("orgs:organisation-list")
VERIFY = reverse("accounts:otp-verify")


def status(client) -> int:
    return client.get(ORGS).status_code


def test_a_role_taken_away_closes_its_pages_at_the_next_request(client_for, county):
    clerk = make_user("clerk", county.t1, Role.STAFF)
    client = client_for(clerk)
    assert status(client) == 200
    assert status(client) == 200  # now from the kept state
    user_update(by=county.secadmin, user=User.objects.get(pk=clerk.pk), roles=[Role.MEDIATOR])
    assert status(client) == 403


def test_a_role_given_opens_its_pages_at_the_next_request(client_for, county):
    clerk = make_user("clerk", county.t1)
    client = client_for(clerk)
    assert status(client) == 403
    user_update(by=county.secadmin, user=User.objects.get(pk=clerk.pk), roles=[Role.STAFF])
    assert status(client) == 200


def test_removing_a_member_from_the_group_side_is_seen(client_for, county):
    clerk = make_user("clerk", county.t1, Role.STAFF)
    client = client_for(clerk)
    assert status(client) == 200
    Group.objects.get(name=Role.STAFF).user_set.remove(clerk)
    assert status(client) == 403
    Group.objects.get(name=Role.STAFF).user_set.add(clerk)
    assert status(client) == 200
    Group.objects.get(name=Role.STAFF).user_set.clear()
    assert status(client) == 403


def test_a_permission_taken_from_a_role_is_seen_by_its_holders(client_for, county):
    clerk = make_user("clerk", county.t1, Role.STAFF)
    client = client_for(clerk)
    assert status(client) == 200
    view = Permission.objects.get(codename="view_organisation")
    Group.objects.get(name=Role.STAFF).permissions.remove(view)
    assert status(client) == 403
    view.group_set.add(Group.objects.get(name=Role.STAFF))
    assert status(client) == 200
    view.group_set.clear()
    assert status(client) == 403


def test_a_permission_given_to_the_account_itself_is_seen(client_for, county):
    clerk = make_user("clerk", county.t1)
    client = client_for(clerk)
    assert status(client) == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_organisation"))
    assert status(client) == 200


def test_a_device_added_asks_for_its_code_at_the_next_request(client_for, county):
    clerk = make_user("clerk", county.t1, Role.STAFF)
    client = client_for(clerk)
    assert status(client) == 200
    add_device(User.objects.get(pk=clerk.pk))
    assert client.get(ORGS).url.startswith(VERIFY)


def test_an_account_read_before_a_change_does_not_undo_it_when_saved(client_for, county):
    clerk = make_user("clerk", county.t1, Role.STAFF)
    client = client_for(clerk)
    assert status(client) == 200
    stale = User.objects.get(pk=clerk.pk)
    Group.objects.get(name=Role.STAFF).user_set.remove(clerk)
    stale.phone = "0000"
    stale.save()  # would write the old access_version back if save() wrote every column
    assert User.objects.get(pk=clerk.pk).phone == "0000"
    assert status(client) == 403


def test_a_change_rolled_back_leaves_no_kept_state_behind(client_for, county):
    clerk = make_user("clerk", county.t1, Role.STAFF)
    client = client_for(clerk)
    assert status(client) == 200
    with pytest.raises(RuntimeError), transaction.atomic():
        Group.objects.get(name=Role.STAFF).user_set.remove(clerk)
        assert status(client) == 403  # kept under the version the rollback takes back
        raise RuntimeError
    assert status(client) == 200
    # The next change must not land on the version of the one rolled back.
    Group.objects.get(name=Role.LEADER).user_set.add(clerk)
    assert status(client) == 200


def test_a_kept_state_spares_the_queries_of_roles_and_permissions(client_for, county):
    client = client_for(make_user("clerk", county.t1, Role.STAFF))
    state._states.clear()  # as in a process that has not served the account yet

    def tables() -> str:
        with CaptureQueriesContext(connection) as captured:
            assert status(client) == 200
        return " ".join(q["sql"] for q in captured)

    first, second = tables(), tables()
    assert "auth_group_permissions" in first
    assert "auth_group_permissions" not in second
    assert "otp_totp_totpdevice" not in second
