"""Micro-wishes in the worker portal (issue 14, item 5): a member posts a wish to their
own union, sees it claimed and fulfilled (and is told in the inbox), withdraws one
nobody has taken on; a double tap posts one wish; another worker's wish is a 404."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from gonghui.inbox.models import Message, MessageKind
from gonghui.outreach import services
from gonghui.outreach.models import Wish, WishStep
from gonghui.outreach.vocabularies import WishAction, WishStatus
from gonghui.portal.tests.test_card import bound_client, worker

MINE = reverse("portal-wishes:mine")
NEW = reverse("portal-wishes:new")


def detail(wish) -> str:
    return reverse("portal-wishes:detail", args=[wish.pk])


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([^"]+)"', page).group(1)


def form_data(client, **fields) -> dict:
    page = client.get(NEW).content.decode()
    return {"key": key_of(page), "text": "一台电风扇", "estimated_value": "150", **fields}


@pytest.fixture
def member(county):
    """钱愿 of E1, a member of G1."""
    return worker(county, 41, union=county.g1, name="钱愿")


def test_a_member_posts_a_wish_to_their_own_union_and_is_told_what_comes_next(
    member, county, portal_sign_in
):
    client = bound_client(portal_sign_in, member)
    assert "Post a wish" in client.get(MINE).content.decode()

    response = client.post(NEW, form_data(client))

    wish = Wish.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(wish)
    assert (wish.person, wish.organisation) == (member, county.g1)
    assert (wish.text, wish.estimated_value, wish.status) == (
        "一台电风扇",
        Decimal("150.00"),
        WishStatus.POSTED,
    )
    step = wish.steps.get()
    assert step.action == WishAction.POST and step.by is None
    page = client.get(detail(wish)).content.decode()
    assert "Your union is looking for a donor" in page
    assert "一台电风扇" in client.get(MINE).content.decode()
    # One wish open at a time: the form is not offered again, the page says why.
    again = client.get(NEW).content.decode()
    assert "You may have one wish open at a time" in again
    assert 'name="text"' not in again


def test_the_worker_sees_the_wish_claimed_and_fulfilled_and_gets_messages(
    member, county, portal_sign_in
):
    client = bound_client(portal_sign_in, member)
    client.post(NEW, form_data(client))
    wish = Wish.objects.get()

    services.wish_claim(by=county.chair1, wish=wish, donor_name="热心职工孙")
    page = client.get(detail(wish)).content.decode()
    assert "热心职工孙 took on your wish" in page
    assert "taken on by 热心职工孙" in client.get(MINE).content.decode()
    claimed = Message.objects.get(person=member)
    assert claimed.kind == MessageKind.GENERAL and claimed.url == detail(wish)

    services.wish_fulfil(
        by=county.chair1, wish=wish, fulfilled_on=date(2025, 7, 1), delivered="电风扇一台"
    )
    page = client.get(detail(wish)).content.decode()
    assert "Your wish came true." in page and "2025-07-01" in page and "电风扇一台" in page
    told = Message.objects.filter(person=member).order_by("pk")
    assert [m.url for m in told] == [detail(wish)] * 2
    assert "电风扇一台" in told[1].body
    # A fulfilled wish closes: a new one may be posted.
    assert 'name="text"' in client.get(NEW).content.decode()


def test_bad_input_is_refused_with_a_message_and_what_was_typed_is_kept(member, portal_sign_in):
    client = bound_client(portal_sign_in, member)

    empty = client.post(NEW, form_data(client, text="  ", estimated_value="12"))
    too_long = client.post(NEW, form_data(client, text="扇" * 201))
    too_dear = client.post(NEW, form_data(client, text="一台冰箱", estimated_value="3000"))
    negative = client.post(NEW, form_data(client, estimated_value="-5"))
    no_value = client.post(NEW, form_data(client, estimated_value=""))
    stale = client.post(NEW, form_data(client, key="not-a-key"))

    assert Wish.objects.count() == 0 and WishStep.objects.count() == 0
    for response in (empty, too_long, too_dear, negative, no_value, stale):
        assert response.status_code == 200
        assert response.context["form"].errors
    assert "This field is required." in empty.content.decode()
    assert "at most 200 characters" in too_long.content.decode()
    page = too_dear.content.decode()
    assert "less than or equal to 1000" in page and "一台冰箱" in page and 'value="3000"' in page
    assert "This form was out of date" in stale.content.decode()
    # The form shown again carries a fresh key that posts.
    assert client.post(NEW, {**form_data(client), "key": key_of(page)}).status_code == 302


def test_the_service_refuses_a_second_open_wish_and_a_non_member(member, county):
    services.wish_post_by_worker(person=member, text="一个台灯", estimated_value="40")
    with pytest.raises(services.ValidationError, match="You have a wish open already"):
        services.wish_post_by_worker(person=member, text="一把伞", estimated_value="20")
    outsider = worker(county, 42, name="李外")
    with pytest.raises(services.ValidationError, match="for union members"):
        services.wish_post_by_worker(person=outsider, text="一把伞", estimated_value="20")
    assert Wish.objects.count() == 1


def test_a_double_tap_posts_one_wish_and_lands_on_it(member, portal_sign_in):
    client = bound_client(portal_sign_in, member)
    data = form_data(client)

    first = client.post(NEW, data)
    second = client.post(NEW, data)

    wish = Wish.objects.get()
    assert first["Location"] == second["Location"] == detail(wish)
    assert WishStep.objects.count() == 1


def test_a_worker_withdraws_an_open_wish_with_a_reason(member, portal_sign_in):
    client = bound_client(portal_sign_in, member)
    client.post(NEW, form_data(client))
    wish = Wish.objects.get()

    no_reason = client.post(detail(wish), {"reason": " "})
    assert no_reason.status_code == 200 and "This field is required." in no_reason.content.decode()
    wish.refresh_from_db()
    assert wish.status == WishStatus.POSTED

    response = client.post(detail(wish), {"reason": "家人已买"})
    tapped_again = client.post(detail(wish), {"reason": "家人已买"})

    assert response["Location"] == tapped_again["Location"] == detail(wish)
    wish.refresh_from_db()
    assert wish.status == WishStatus.WITHDRAWN
    step = wish.steps.get(action=WishAction.WITHDRAW)
    assert (step.by, step.comment) == (None, "家人已买")
    page = client.get(detail(wish)).content.decode()
    assert "This wish was withdrawn." in page and "家人已买" in page
    assert 'name="reason"' not in page


def test_a_claimed_wish_is_withdrawn_by_the_union_not_the_worker(member, county, portal_sign_in):
    client = bound_client(portal_sign_in, member)
    client.post(NEW, form_data(client))
    wish = Wish.objects.get()
    services.wish_claim(by=county.chair1, wish=wish, donor_name="热心职工孙")

    assert 'name="reason"' not in client.get(detail(wish)).content.decode()
    client.post(detail(wish), {"reason": "不要了"})

    wish.refresh_from_db()
    assert wish.status == WishStatus.CLAIMED
    with pytest.raises(services.ValidationError, match="ask your union"):
        services.wish_withdraw_by_worker(person=member, wish=wish, reason="不要了")


def test_another_workers_wish_is_not_found(member, county, portal_sign_in):
    other = worker(county, 43, union=county.g1, name="孙他")
    theirs = services.wish_post_by_worker(person=other, text="一双劳保鞋", estimated_value="90")
    client = bound_client(portal_sign_in, member)

    assert client.get(detail(theirs)).status_code == 404
    assert client.post(detail(theirs), {"reason": "不要了"}).status_code == 404
    assert "一双劳保鞋" not in client.get(MINE).content.decode()
    theirs.refresh_from_db()
    assert theirs.status == WishStatus.POSTED
    # Nor does a worker withdraw another's wish through the service.
    with pytest.raises(services.PermissionDenied):
        services.wish_withdraw_by_worker(person=member, wish=theirs, reason="不要了")


def test_a_worker_who_is_not_a_member_is_sent_to_join(county, portal_sign_in):
    outsider = worker(county, 44, name="周非")
    client = bound_client(portal_sign_in, outsider)

    page = client.get(NEW).content.decode()
    posted = client.post(NEW, form_data(client) if 'name="key"' in page else {"text": "伞"})

    assert "Micro-wishes are for union members" in page
    assert reverse("membership:join") in page
    assert posted.status_code == 200 and Wish.objects.count() == 0
    assert reverse("membership:join") in client.get(MINE).content.decode()


def test_an_account_not_linked_to_a_file_is_told_to_link_it(member, portal_sign_in):
    client = portal_sign_in("13912345678")

    for url in (MINE, NEW):
        page = client.get(url).content.decode()
        assert "Link my file" in page and reverse("portal:bind") in page
    assert client.post(NEW, {"text": "一把伞", "estimated_value": "20"}).status_code == 200
    assert Wish.objects.count() == 0


def test_the_portal_pages_send_a_visitor_to_sign_in(member):
    wish = services.wish_post_by_worker(person=member, text="一个台灯", estimated_value="40")
    from django.test import Client

    for url in (MINE, NEW, detail(wish)):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:sign-in"))


def test_the_home_page_lists_micro_wishes(member, portal_sign_in):
    client = bound_client(portal_sign_in, member)

    assert f'href="{MINE}"' in client.get(reverse("portal:home")).content.decode()
