"""Spring jobs in the worker portal (issue 14, item 5): the county's open postings, the
worker's own township first; applying with one tap (a double tap makes one
application, a second application is refused); the worker's own applications,
and a message when staff move one on."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.employment import portal_views, services
from gonghui.employment.models import ApplicationStatus, JobApplication, JobApplicationStep
from gonghui.inbox.models import Message, MessageKind
from gonghui.portal.formkeys import form_key_issue
from gonghui.portal.models import WorkerAccount
from gonghui.portal.tests.test_card import bound_client, worker

from .conftest import posting_data

LIST = reverse("portal-jobs:list")
MINE = reverse("portal-jobs:mine")


def detail(posting) -> str:
    return reverse("portal-jobs:detail", args=[posting.pk])


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([^"]+)"', page).group(1)


@pytest.fixture
def board(county, neighbours):
    """Open postings at E1 (T1, the worker's township), E4 (T2) and the neighbouring
    county's XE; a closed one at E1."""
    su = county.superuser
    near = services.job_posting_create(by=su, **posting_data(county.e1, title="机修工"))
    far = services.job_posting_create(by=su, **posting_data(neighbours.e4, title="仓管员"))
    other_county = services.job_posting_create(by=su, **posting_data(neighbours.xe, title="酿酒工"))
    closed = services.job_posting_create(by=su, **posting_data(county.e1, title="焊工"))
    services.job_posting_set_status(by=su, posting=closed, status="closed")
    return {"near": near, "far": far, "other_county": other_county, "closed": closed}


@pytest.fixture
def applicant(county):
    return worker(county, 41, name="孙求职")


@pytest.fixture
def client(applicant, portal_sign_in):
    return bound_client(portal_sign_in, applicant)


def test_the_list_shows_the_county_open_jobs_own_township_first(client, board, neighbours):
    page = client.get(LIST).content.decode()

    assert page.index("机修工") < page.index("仓管员")
    assert neighbours.e4.name in page and "4000–6000" in page and "Workshop 1" in page
    assert "焊工" not in page  # closed
    assert "酿酒工" not in page and neighbours.xe.name not in page  # another county


def test_the_list_is_searched_by_a_word_of_the_title(client, board):
    page = client.get(LIST, {"q": "仓管"}).content.decode()
    assert "仓管员" in page and "机修工" not in page
    assert "No open job has" in client.get(LIST, {"q": "厨师"}).content.decode()


def test_the_list_is_paginated_by_twenty(client, county, board):
    for n in range(20):
        services.job_posting_create(
            by=county.superuser, **posting_data(county.e1, title=f"岗位{n:02d}")
        )
    first = client.get(LIST)
    assert len(first.context["postings"]) == 20
    assert "Page 1 of 2" in first.content.decode()
    assert len(client.get(LIST, {"page": 2}).context["postings"]) == 2


def test_a_worker_applies_with_one_tap_and_follows_the_application(
    client, applicant, board, county
):
    posting = board["far"]
    page = client.get(detail(posting)).content.decode()
    assert "仓管员" in page and 'name="comment"' in page

    response = client.post(detail(posting), {"key": key_of(page), "comment": "  下周可上岗 "})

    assert response.status_code == 302 and response["Location"] == MINE
    application = JobApplication.objects.get(person=applicant)
    assert application.posting == posting and application.created_by is None
    step = JobApplicationStep.objects.get(application=application)
    assert (step.to_status, step.by, step.comment) == ("applied", None, "下周可上岗")
    mine = client.get(MINE).content.decode()
    assert "Your application for 仓管员 is sent" in mine
    assert "仓管员" in mine and "Applied" in mine
    # The posting now says where the application stands, and offers no second form.
    again = client.get(detail(posting)).content.decode()
    assert "You have applied" in again and 'name="comment"' not in again

    services.job_application_advance(
        by=county.superuser, application=application, to_status=ApplicationStatus.INTERVIEWED
    )

    message = Message.objects.get(person=applicant)
    assert message.kind == MessageKind.GENERAL and message.url == MINE
    assert "仓管员" in message.title
    assert "Interviewed" in client.get(MINE).content.decode()


def test_a_double_tap_makes_one_application_and_lands_on_the_same_page(client, board):
    posting = board["near"]
    data = {"key": key_of(client.get(detail(posting)).content.decode()), "comment": ""}

    first = client.post(detail(posting), data)
    second = client.post(detail(posting), data)

    assert first["Location"] == second["Location"] == MINE
    assert JobApplication.objects.filter(posting=posting).count() == 1
    assert JobApplicationStep.objects.filter(application__posting=posting).count() == 1


def test_applying_again_with_a_new_form_is_refused_with_a_clear_message(client, applicant, board):
    posting = board["near"]
    client.post(detail(posting), {"key": _fresh_key(client, posting), "comment": ""})
    account = WorkerAccount.objects.get(person=applicant)
    with time_machine.travel(timezone.now() + timedelta(minutes=1)):
        # A form issued after the application (another tab, an old page reloaded).
        key = form_key_issue(account, portal_views.APPLY_FORM)
        response = client.post(detail(posting), {"key": key, "comment": ""})

    assert response.status_code == 200
    assert "You have already applied for this job." in response.content.decode()
    assert JobApplication.objects.filter(posting=posting).count() == 1


def _fresh_key(client, posting) -> str:
    return key_of(client.get(detail(posting)).content.decode())


def test_an_application_made_by_staff_earlier_is_not_made_twice(client, applicant, board, county):
    posting = board["near"]
    page = client.get(detail(posting)).content.decode()
    assert "You have applied" not in page
    key = key_of(page)
    services.job_application_create(by=county.superuser, posting=posting, person=applicant)

    response = client.post(detail(posting), {"key": key, "comment": ""})

    assert response.status_code == 200
    assert "You have already applied for this job." in response.content.decode()
    assert JobApplication.objects.filter(posting=posting).count() == 1


def test_a_comment_too_long_is_refused_keeping_what_was_typed(client, board):
    posting = board["near"]
    typed = "能吃苦" * 70
    response = client.post(detail(posting), {"key": _fresh_key(client, posting), "comment": typed})

    page = response.content.decode()
    assert response.status_code == 200 and 'class="error"' in page
    assert typed in page
    assert not JobApplication.objects.exists()


def test_a_forged_or_missing_key_is_refused_and_nothing_is_written(client, board):
    posting = board["near"]
    for key in ("", "forged:key:value"):
        response = client.post(detail(posting), {"key": key, "comment": "你好"})
        page = response.content.decode()
        assert "This form was out of date" in page and "你好" in page
    assert not JobApplication.objects.exists()


def test_a_closed_posting_or_another_countys_answers_404(client, board):
    for name in ("closed", "other_county"):
        assert client.get(detail(board[name])).status_code == 404
        assert client.post(detail(board[name]), {"comment": ""}).status_code == 404
    assert not JobApplication.objects.exists()


def test_a_worker_never_sees_another_workers_applications(client, board, county, portal_sign_in):
    other = worker(county, 42, name="钱别人")
    services.job_application_create(by=county.superuser, posting=board["far"], person=other)

    page = client.get(MINE).content.decode()

    assert "仓管员" not in page and "You have not applied for a job yet." in page
    # The posting itself is the county's advert; the other's application is not shown.
    assert "You have applied" not in client.get(detail(board["far"])).content.decode()


def test_an_unbound_account_is_told_to_link_the_file(board, portal_sign_in):
    client = portal_sign_in("13900009999")
    for url in (LIST, MINE, detail(board["near"])):
        page = client.get(url).content.decode()
        assert "Link my file" in page and "机修工" not in page, url
    response = client.post(detail(board["near"]), {"comment": ""})
    assert "Link my file" in response.content.decode()
    assert not JobApplication.objects.exists()


def test_a_visitor_is_sent_to_sign_in(board):
    response = Client().get(LIST)
    assert response.status_code == 302 and response["Location"].startswith("/m/sign-in/")


def test_the_home_lists_the_service(client):
    page = client.get(reverse("portal:home")).content.decode()
    assert f'href="{LIST}"' in page
