"""Workers who come forward after a case was lodged are named on it: found among the
people in scope, told, and counted among the workers involved."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from gonghui.core.idnumbers import complete_id_number
from gonghui.inbox.models import Message
from gonghui.people.services import person_create
from gonghui.rights import services
from gonghui.rights.models import CaseEvent, CaseWorker

pytestmark = pytest.mark.django_db


def _person(county, name: str, serial: str, employer):
    return person_create(
        by=county.admin,
        name=name,
        id_number=complete_id_number(f"33010619800101{serial}"),
        employer=employer,
    )


@pytest.fixture
def colleague(county):
    """A second worker of E1, who comes forward later."""
    return _person(county, "维权乙", "002", county.e1)


def test_a_colleague_is_found_named_told_and_counted(county, worker, colleague, lodge, client_for):
    case = lodge()
    client = client_for(county.t1staff)
    url = reverse("rights:case-worker-add", args=[case.pk])
    assert url in client.get(case.get_absolute_url()).content.decode()
    # Without scripts: the name typed comes back with the workers it finds.
    found = client.post(url, {"worker": "维权乙"})
    assert found.status_code == 200
    assert f'value="{colleague.pk}"' in found.content.decode()
    assert not CaseWorker.objects.filter(person=colleague).exists()

    named = client.post(url, {"worker": "维权乙", "person": colleague.pk})
    assert named.status_code == 302 and named["Location"] == case.get_absolute_url()
    case.refresh_from_db()
    assert set(case.workers.all()) == {worker, colleague}
    assert (case.workers_involved, case.is_group) == (2, False)
    told = Message.objects.get(person=colleague)
    assert told.url == reverse("portal-rights:detail", args=[case.pk])
    event = CaseEvent.objects.filter(case=case).latest("pk")
    assert (event.action, event.by) == ("add_worker", county.t1staff)
    assert "维权乙" in client.get(case.get_absolute_url()).content.decode()


def test_naming_the_tenth_worker_makes_a_group_case(county, worker, lodge):
    others = [_person(county, f"同事{n}", f"{n + 10:03d}", county.e1) for n in range(9)]
    case = lodge(workers=[worker, *others[:8]])
    assert (case.workers_involved, case.is_group) == (9, False)
    case = services.case_worker_add(by=county.t1staff, case=case, person=others[8])
    case.refresh_from_db()
    assert (case.workers_involved, case.is_group) == (10, True)


def test_the_same_worker_twice_an_anonymous_or_closed_case_are_refused(
    county, worker, colleague, lodge, client_for
):
    case = lodge()
    client = client_for(county.t1staff)
    url = reverse("rights:case-worker-add", args=[case.pk])
    again = client.post(url, {"worker": "维权甲", "person": worker.pk})
    assert again.status_code == 200
    assert "already named on the case" in again.content.decode()
    anonymous = lodge(anonymous=True, workers=[])
    with pytest.raises(ValidationError, match="anonymous case names no worker"):
        services.case_worker_add(by=county.t1staff, case=anonymous, person=colleague)
    declined = services.case_decline(by=county.t1staff, case=lodge(), reason="不属于劳动争议")
    with pytest.raises(ValidationError):
        services.case_worker_add(by=county.t1staff, case=declined, person=colleague)
    assert not CaseWorker.objects.filter(person=colleague).exists()
    assert not Message.objects.filter(person=colleague).exists()


def test_a_worker_or_a_case_outside_the_scope_is_refused_without_a_name(
    county, worker, lodge, client_for
):
    case = lodge()
    stranger = _person(county, "外镇职工", "099", county.e3)
    client = client_for(county.t1staff)
    url = reverse("rights:case-worker-add", args=[case.pk])
    refused = client.post(url, {"worker": "外镇职工", "person": stranger.pk})
    assert refused.status_code == 200
    text = refused.content.decode()
    assert "Choose the worker from the suggestions." in text and "外镇职工</" not in text
    with pytest.raises(PermissionDenied):
        services.case_worker_add(by=county.t1staff, case=case, person=stranger)
    assert list(case.workers.all()) == [worker]
    # Another township's staff do not see the case at all.
    assert client_for(county.t2staff).get(url).status_code == 404


def test_the_messages_are_in_the_workers_language_whatever_the_staff_member_reads(
    county, worker, colleague, lodge, settings
):
    settings.LANGUAGE_CODE = "zh-hans"  # the site's language, as deployed
    with translation.override("en"):
        case = lodge()
        services.case_worker_add(by=county.t1staff, case=case, person=colleague)
    received = Message.objects.get(person=worker)
    named = Message.objects.get(person=colleague)
    assert "工会" in received.body and "union" not in received.body
    assert "工会" in named.body and "union" not in named.body
