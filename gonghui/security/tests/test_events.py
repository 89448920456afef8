"""Each security-relevant action writes its event: who, roles, organisation, address,
request id, object and result, and never the sensitive value itself."""

import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from gonghui.accounts.models import Role
from gonghui.accounts.tests.conftest import add_device, sign_in, wrong_code
from gonghui.aid import services as aid_services
from gonghui.aid.tests.conftest import aid, approve_all_levels, relief_application  # noqa: F401
from gonghui.conftest import PASSWORD
from gonghui.people import services as people_services
from gonghui.people.vocabularies import SensitiveField
from gonghui.security.models import EventKind, SecurityEvent


def events(kind) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind).order_by("pk"))


def only(kind) -> SecurityEvent:
    (event,) = events(kind)
    return event


def row_text(event: SecurityEvent) -> str:
    """Everything the row holds, as one text to search for values that must not be there."""
    return json.dumps(
        {f.attname: str(getattr(event, f.attname)) for f in event._meta.concrete_fields},
        ensure_ascii=False,
    )


@pytest.fixture
def worker(county):
    return people_services.person_create(
        by=county.admin,
        name="事件职工",
        id_number="11010519491231002X",
        phone="13912345678",
        employer=county.e1,
    )


def test_a_sign_in_is_logged_with_account_roles_organisation_address_and_request(client, county):
    response = sign_in(client, "t1staff", REMOTE_ADDR="10.1.2.3", HTTP_X_REQUEST_ID="req-00000001")

    assert response.status_code == 302
    event = only(EventKind.SIGN_IN)
    assert (event.result, event.username, event.account_id) == ("ok", "t1staff", county.t1staff.pk)
    assert event.roles == Role.STAFF
    assert (event.organisation_id, event.organisation_name) == (county.t1.pk, county.t1.name)
    assert event.ip_address == "10.1.2.3"
    assert event.request_id == "req-00000001" == response["X-Request-ID"]


def test_every_answer_carries_a_request_id_and_an_odd_one_given_is_replaced(client, county):
    response = client.get(reverse("accounts:login"), HTTP_X_REQUEST_ID="<script>")

    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_a_failed_sign_in_is_logged_without_the_password(client, county):
    sign_in(client, "chair1", password="Wrong-Password-99")

    event = only(EventKind.SIGN_IN_FAILED)
    assert (event.result, event.username, event.organisation_id) == (
        "failed",
        "chair1",
        county.g1.pk,
    )
    assert "Wrong-Password-99" not in row_text(event)


def test_a_failed_sign_in_under_an_unknown_name_keeps_the_name_given(client, county):
    sign_in(client, "nobody-here", password="Wrong-Password-99")

    event = only(EventKind.SIGN_IN_FAILED)
    assert (event.username, event.account_id, event.organisation_id) == ("nobody-here", None, None)


def test_a_wrong_second_factor_code_is_logged_without_the_code(client, county):
    device = add_device(county.admin)
    sign_in(client, "admin")
    code = wrong_code(device)

    client.post(reverse("accounts:otp-verify"), {"otp_token": code})

    event = only(EventKind.SECOND_FACTOR_FAILED)
    assert (event.result, event.username) == ("failed", "admin")
    assert not events(EventKind.SIGN_IN_FAILED)
    assert code not in row_text(event)


def test_a_lockout_is_logged(client, county, settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "chair2", password="Wrong-Password-99")

    event = only(EventKind.LOCKOUT)
    assert (event.result, event.username, event.organisation_id) == (
        "refused",
        "chair2",
        county.g2.pk,
    )


def test_signing_out_is_logged(client, county):
    sign_in(client, "chair1", password=PASSWORD)

    client.post(reverse("accounts:logout"))

    assert only(EventKind.SIGN_OUT).username == "chair1"


def test_a_page_refused_to_the_role_is_logged(client_for, county):
    response = client_for(county.chair1).get(reverse("accounts:staff-list"))

    assert response.status_code == 403
    event = only(EventKind.PERMISSION_DENIED)
    assert (event.result, event.username, event.object_type) == (
        "refused",
        "chair1",
        "accounts:staff-list",
    )


def test_a_record_outside_the_scope_is_logged_as_refused(client_for, county, worker):
    response = client_for(county.chair2).get(worker.get_absolute_url())

    assert response.status_code == 404
    event = only(EventKind.OUT_OF_SCOPE)
    assert (event.username, event.object_type, event.object_id) == (
        "chair2",
        "people:person-detail",
        str(worker.pk),
    )


def test_a_reveal_is_logged_without_the_value_revealed(client_for, county, worker):
    client_for(county.t1staff).post(
        reverse("people:person-reveal", args=[worker.pk, SensitiveField.ID_NUMBER]),
        REMOTE_ADDR="10.9.8.7",
    )

    event = only(EventKind.REVEAL)
    assert (event.username, event.object_type, event.object_id) == (
        "t1staff",
        "people.person",
        str(worker.pk),
    )
    assert (event.detail, event.ip_address, event.chain) == (
        {"field": "id_number"},
        "10.9.8.7",
        "access",
    )
    assert "11010519491231002X" not in row_text(event)


def test_an_export_is_logged_with_its_query_masked(client_for, county, worker):
    response = client_for(county.t1staff).get(
        reverse("people:person-list"), {"q": "11010519491231002X", "export": "xlsx"}
    )

    assert response["Content-Disposition"].startswith("attachment")
    event = only(EventKind.EXPORT)
    assert (event.username, event.object_type, event.chain) == (
        "t1staff",
        "people:person-list",
        "access",
    )
    assert "export=xlsx" in event.detail["query"]
    assert "11010519491231002X" not in row_text(event)


def test_a_job_file_download_is_logged(client_for, county, tmp_path):
    from gonghui.jobs.models import Job, JobStatus

    path = tmp_path / "result.xlsx"
    path.write_bytes(b"x")
    job = Job.objects.create(
        kind="export",
        title="an export",
        started_by=county.t1staff,
        status=JobStatus.DONE,
        result_file=str(path),
        result_name=path.name,
    )

    response = client_for(county.t1staff).get(reverse("jobs:download", args=[job.pk]))

    assert response.status_code == 200
    event = only(EventKind.DOWNLOAD)
    assert (event.object_type, event.object_id) == ("jobs:download", str(job.pk))


def test_approvals_and_payments_are_logged(county, aid):  # noqa: F811
    application = approve_all_levels(county, aid, relief_application(county, aid))
    aid_services.aid_application_pay(by=county.admin, application=application)

    approvals = events(EventKind.APPROVAL)
    assert [e.username for e in approvals] == ["g1clerk", "t1staff", "admin"]
    assert approvals[-1].detail == {"status": "approved"}
    payment = only(EventKind.PAYMENT)
    assert (payment.username, payment.object_type, payment.object_id) == (
        "admin",
        "aid.aidapplication",
        str(application.pk),
    )
    assert "6222020200001111" not in row_text(payment)


def test_a_bulk_approval_is_logged_with_what_was_approved_and_refused(county, aid):  # noqa: F811
    application = relief_application(county, aid)

    aid_services.aid_applications_approve(by=aid.g1clerk, applications=[application])

    assert only(EventKind.APPROVAL).detail == {"approved": [application.pk], "refused": []}


def test_a_role_given_is_logged_with_the_account_that_gave_it(county):
    from gonghui.security.middleware import current_request

    # Not the personas' own roles, given as they were built.
    earlier = list(SecurityEvent.objects.values_list("pk", flat=True))

    class Request:  # the administrator's request being answered
        user = county.admin
        request_id = "req-role-000001"
        META = {"REMOTE_ADDR": "10.0.0.5"}

    token = current_request.set(Request())
    try:
        county.chair1.groups.add(Group.objects.get(name=Role.LEADER))
    finally:
        current_request.reset(token)

    (event,) = SecurityEvent.objects.filter(kind=EventKind.ROLE_CHANGE).exclude(pk__in=earlier)
    assert (event.username, event.object_type, event.object_id) == (
        "admin",
        "accounts.user",
        str(county.chair1.pk),
    )
    assert (event.detail, event.request_id) == ({"added": [Role.LEADER]}, "req-role-000001")


def test_a_log_record_written_while_answering_carries_the_request_id(client, county, caplog):
    import logging

    from gonghui.security.middleware import RequestIdMiddleware

    def view(request):
        logging.getLogger("gonghui.test").warning("answering")
        from django.http import HttpResponse

        return HttpResponse()

    from django.test import RequestFactory

    RequestIdMiddleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="req-log-0001"))

    assert [r.request_id for r in caplog.records if r.name == "gonghui.test"] == ["req-log-0001"]
