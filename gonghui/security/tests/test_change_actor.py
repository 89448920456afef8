"""Each change-history entry names who made the change and from which address, when
it is made through a page; the receiver that names them is connected once, not on
every request (``security.middleware.ChangeActorMiddleware``)."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.db.models.signals import pre_save
from django.urls import reverse

from gonghui.orgs.services import employer_update
from gonghui.orgs.tests.formdata import employer_form_data


def test_a_change_through_a_page_names_its_actor_and_address(county, client_for):
    client = client_for(county.t1staff)

    response = client.post(
        reverse("orgs:employer-update", args=[county.e1.pk]),
        employer_form_data(county.e1, name="东镇机械制造有限公司"),
        REMOTE_ADDR="192.0.2.7",
    )

    assert response.status_code == 302
    entry = LogEntry.objects.get_for_object(county.e1).latest("timestamp")
    assert entry.changes_dict["name"][1] == "东镇机械制造有限公司"
    assert (entry.actor, entry.remote_addr) == (county.t1staff, "192.0.2.7")


def test_a_change_outside_any_request_names_no_actor(county):
    employer_update(by=county.superuser, employer=county.e1, name="东镇机械制造有限公司")

    entry = LogEntry.objects.get_for_object(county.e1).latest("timestamp")
    assert entry.actor is None and entry.remote_addr is None


def test_no_receiver_is_connected_per_request(county, client_for, monkeypatch):
    """Connecting one on every request took the registry's lock and emptied its
    caches, for every page, in every thread."""
    client = client_for(county.t1staff)
    connected = []
    monkeypatch.setattr(pre_save, "connect", lambda *a, **k: connected.append(k))
    before = len(pre_save.receivers)

    client.get(reverse("orgs:employer-detail", args=[county.e1.pk]))
    client.post(
        reverse("orgs:employer-update", args=[county.e1.pk]),
        employer_form_data(county.e1, name="东镇机械制造有限公司"),
    )

    assert connected == [] and len(pre_save.receivers) == before
