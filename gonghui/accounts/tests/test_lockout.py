"""Five failed sign-ins lock the account (not the address) for 15 minutes."""

from datetime import timedelta

from axes.models import AccessAttempt
from django.urls import reverse

from .conftest import is_signed_in, sign_in

WRONG = "Not-The-Password-1"


def fail(client, username, times, **extra):
    return [sign_in(client, username, WRONG, **extra) for _ in range(times)]


def test_the_login_page_signs_a_user_in(client, county):
    response = sign_in(client, "t1staff")
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert is_signed_in(client)


def test_a_failed_sign_in_says_so_and_how_many_attempts_are_left(client, county):
    response = sign_in(client, "t1staff", WRONG)
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()
    assert "4 more failed attempts lock this account for 15 minutes" in response.content.decode()
    assert not is_signed_in(client)


def test_the_fifth_failure_locks_the_account(client, county, clock):
    responses = fail(client, "t1staff", 5)
    assert [r.status_code for r in responses] == [200, 200, 200, 200, 429]
    assert "Account locked" in responses[-1].content.decode()


def test_the_right_password_is_refused_while_locked(client, county, clock):
    fail(client, "t1staff", 5)
    clock.shift(timedelta(minutes=1))
    response = sign_in(client, "t1staff")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Account locked" in page
    assert "locked for 15 minutes" in page
    assert not is_signed_in(client)
    assert client.get(reverse("core:home")).status_code == 302


def test_the_lock_lifts_after_15_minutes(client, county, clock):
    fail(client, "t1staff", 5)
    clock.shift(timedelta(minutes=14, seconds=50))
    assert sign_in(client, "t1staff").status_code == 429
    clock.shift(timedelta(seconds=20))
    response = sign_in(client, "t1staff")
    assert response.status_code == 302
    assert is_signed_in(client)
    assert client.get(reverse("core:home")).status_code == 200


def test_attempts_during_the_lock_do_not_extend_it(client, county, clock):
    fail(client, "t1staff", 5)
    for _minute in range(14):
        clock.shift(timedelta(minutes=1))
        assert sign_in(client, "t1staff", WRONG).status_code == 429
    clock.shift(timedelta(minutes=1, seconds=10))
    assert sign_in(client, "t1staff").status_code == 302


def test_failures_older_than_15_minutes_do_not_count(client, county, clock):
    fail(client, "t1staff", 4)
    clock.shift(timedelta(minutes=16))
    responses = fail(client, "t1staff", 4)
    assert [r.status_code for r in responses] == [200, 200, 200, 200]
    assert sign_in(client, "t1staff").status_code == 302


def test_failures_less_than_15_minutes_apart_keep_counting(client, county, clock):
    # django-axes keeps one count per account that expires 15 minutes after its
    # latest failure: a slow, steady guesser is locked too.
    fail(client, "t1staff", 3)
    clock.shift(timedelta(minutes=10))
    fail(client, "t1staff", 1)
    clock.shift(timedelta(minutes=10))
    assert fail(client, "t1staff", 1)[0].status_code == 429


def test_the_lock_is_on_the_account_whatever_the_address(client, county, clock):
    for n in range(5):
        response = sign_in(client, "t1staff", WRONG, REMOTE_ADDR=f"10.0.0.{n + 1}")
    assert response.status_code == 429
    assert sign_in(client, "t1staff", REMOTE_ADDR="10.0.0.99").status_code == 429


def test_one_account_locked_leaves_colleagues_at_the_same_address_alone(client, county, clock):
    fail(client, "t1staff", 5)
    assert sign_in(client, "t2staff").status_code == 302
    assert is_signed_in(client)


def test_a_name_that_does_not_exist_is_locked_the_same_way(client, county, clock):
    responses = fail(client, "nobody", 5)
    assert [r.status_code for r in responses][-1] == 429


def test_a_completed_sign_in_clears_the_failure_count(client, county, clock):
    fail(client, "t1staff", 4)
    assert sign_in(client, "t1staff").status_code == 302
    client.post(reverse("accounts:logout"))
    assert not AccessAttempt.objects.filter(username="t1staff").exists()
    responses = fail(client, "t1staff", 4)
    assert [r.status_code for r in responses] == [200, 200, 200, 200]
