"""Password rules, history, and the forced change at first sign-in and after 180 days."""

from datetime import timedelta

import pytest
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import PasswordHistory, User
from gonghui.accounts.services import user_password_change
from gonghui.conftest import PASSWORD

from .conftest import is_signed_in, sign_in

GOOD = "Spring-River-2031"


def codes(exc: ValidationError) -> set[str]:
    return {error.code for error in exc.error_list}


def refused(user, password) -> set[str]:
    with pytest.raises(ValidationError) as caught:
        user_password_change(user=user, new_password=password, by=user)
    return codes(caught.value)


# --- the rules ---------------------------------------------------------------


def test_a_password_that_follows_every_rule_is_accepted(county):
    user = user_password_change(user=county.t1staff, new_password=GOOD, by=county.t1staff)
    assert user.check_password(GOOD)


def test_a_password_shorter_than_12_characters_is_refused(county):
    assert "password_too_short" in refused(county.t1staff, "Short-Pw-12")


def test_a_password_with_only_two_kinds_of_character_is_refused(county):
    assert "password_too_simple" in refused(county.t1staff, "lowercaseonly2031")
    assert "password_too_simple" in refused(county.t1staff, "ALLUPPER-STRING")


def test_chinese_characters_count_as_other_characters():
    password_validation.validate_password("工会服务职工stone2031")


def test_a_common_password_is_refused(county):
    assert "password_too_common" in refused(county.t1staff, "Password1234")


def test_a_password_containing_the_user_name_is_refused(county):
    assert "password_personal_data" in refused(county.t1staff, "My-t1staff-2031")


def test_a_password_containing_the_own_name_or_phone_is_refused(county):
    user = county.t1staff
    user.last_name, user.first_name, user.phone = "王", "建国", "138-0013-8000"
    user.save()
    assert "password_personal_data" in refused(user, "Hello-建国-2031x")
    assert "password_personal_data" in refused(user, "Ab#13800138000")


def test_a_single_character_of_a_name_is_not_refused(county):
    user = county.t1staff
    user.last_name, user.first_name = "王", "建"
    user.save()
    user_password_change(user=user, new_password="王-Spring-2031x", by=user)


def test_the_last_five_passwords_cannot_be_reused(county):
    user = county.t1staff
    used = [PASSWORD] + [f"Spring-River-{n}x" for n in range(1, 5)]
    for password in used[1:]:
        user = user_password_change(user=user, new_password=password, by=user)
    for password in used:
        assert "password_reused" in refused(user, password)


def test_the_sixth_last_password_may_be_used_again(county):
    user = county.t1staff
    for n in range(1, 6):
        user = user_password_change(user=user, new_password=f"Spring-River-{n}x", by=user)
    user = user_password_change(user=user, new_password=PASSWORD, by=user)
    assert user.check_password(PASSWORD)


def test_every_password_change_is_recorded_whichever_way_it_is_made(county, clock):
    # The Django admin and `changepassword` set the password on the model directly.
    user = county.t1staff
    before = PasswordHistory.objects.filter(user=user).count()
    user.set_password("Admin-Set-2031x")
    user.save()
    assert PasswordHistory.objects.filter(user=user).count() == before + 1
    assert "password_reused" in refused(user, PASSWORD)
    user.refresh_from_db()
    assert user.password_changed_at == timezone.now()


def test_the_history_keeps_only_the_passwords_the_rule_needs(county):
    user = county.t1staff
    for n in range(1, 9):
        user = user_password_change(user=user, new_password=f"Spring-River-{n}x", by=user)
    # The current password and the four before it.
    assert PasswordHistory.objects.filter(user=user).count() == 4


class QuickPBKDF2Hasher(PBKDF2PasswordHasher):
    iterations = 2


def test_a_hash_upgrade_at_sign_in_is_not_a_password_change(client, county, settings, clock):
    settings.PASSWORD_HASHERS = [
        f"{__name__}.QuickPBKDF2Hasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    changed_at = county.t1staff.password_changed_at
    sign_in(client, "t1staff")
    county.t1staff.refresh_from_db()
    assert county.t1staff.password.startswith("pbkdf2_sha256$2$")
    assert not PasswordHistory.objects.filter(user=county.t1staff).exists()
    assert county.t1staff.password_changed_at == changed_at


# --- who may change a password ---------------------------------------------------


def test_a_colleague_cannot_change_someone_elses_password(county):
    with pytest.raises(PermissionDenied):
        user_password_change(user=county.t2staff, new_password=GOOD, by=county.admin)
    county.t2staff.refresh_from_db()
    assert county.t2staff.check_password(PASSWORD)


def test_a_password_set_by_a_superuser_must_be_replaced_at_the_next_sign_in(county):
    user = user_password_change(user=county.t2staff, new_password=GOOD, by=county.superuser)
    assert user.must_change_password
    user = user_password_change(user=user, new_password="Autumn-Hill-2031", by=user)
    assert not user.must_change_password


# --- the page ----------------------------------------------------------------


def change(client, old=PASSWORD, new=GOOD, again=None, next_url=None):
    url = reverse("accounts:password-change")
    if next_url:
        url += f"?next={next_url}"
    data = {"old_password": old, "new_password1": new, "new_password2": again or new}
    return client.post(url, data)


def test_the_page_shows_every_rule(client_for, county):
    page = client_for(county.t1staff).get(reverse("accounts:password-change")).content.decode()
    for help_text in password_validation.password_validators_help_texts():
        assert str(help_text) in page.replace("&#x27;", "'")


def test_changing_the_password_on_the_page(client_for, county, clock):
    client = client_for(county.t1staff)
    response = change(client)
    assert response.status_code == 302
    county.t1staff.refresh_from_db()
    assert county.t1staff.check_password(GOOD)
    assert county.t1staff.password_changed_at == timezone.now()
    assert "Your password has been changed" in client.get(response.url).content.decode()


def test_a_wrong_current_password_is_refused(client_for, county):
    response = change(client_for(county.t1staff), old="Not-It-2031x")
    assert response.status_code == 200
    assert "current password was entered incorrectly" in response.content.decode()
    county.t1staff.refresh_from_db()
    assert county.t1staff.check_password(PASSWORD)


def test_wrong_current_passwords_count_toward_the_lockout(client_for, county, clock):
    client = client_for(county.t1staff)
    statuses = [change(client, old="Not-It-2031x").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert not is_signed_in(client)
    assert sign_in(client, "t1staff").status_code == 429


def test_two_different_new_passwords_are_refused(client_for, county):
    response = change(client_for(county.t1staff), again="Spring-River-2032")
    assert "two new passwords are not the same" in response.content.decode()


def test_a_broken_rule_is_explained_on_the_page(client_for, county):
    response = change(client_for(county.t1staff), new="short")
    page = response.content.decode()
    assert response.status_code == 200
    assert "at least 12 characters" in page
    assert 'class="field-error"' in page


# --- the forced change ---------------------------------------------------------


@pytest.fixture
def newcomer(county):
    """An account just handed out with a temporary password."""
    user = User.objects.create_user(
        "newcomer", password=PASSWORD, organisation=county.t1, must_change_password=True
    )
    return user


def test_a_new_account_must_change_its_password_at_first_sign_in(client, newcomer):
    response = sign_in(client, "newcomer")
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:password-change"))
    page = client.get(response.url).content.decode()
    assert "Choose your own password before you continue" in page


def test_every_console_page_leads_to_the_change_until_it_is_done(client, newcomer):
    sign_in(client, "newcomer")
    for url in [
        reverse("core:home"),
        reverse("orgs:organisation-list"),
        reverse("accounts:profile"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url == reverse("accounts:password-change") + "?next=" + url.replace(
            "/", "%2F"
        )
    response = change(client, next_url="/orgs/")
    assert response.url == "/orgs/"
    assert client.get(reverse("core:home")).status_code == 200
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password


def test_signing_out_and_choosing_a_language_stay_open_during_the_change(client, newcomer):
    sign_in(client, "newcomer")
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    response = client.post(reverse("accounts:logout"))
    assert response.url == reverse("accounts:login")
    assert "_auth_user_id" not in client.session


def test_a_password_older_than_180_days_must_be_changed(client, county, clock):
    county.t1staff.password_changed_at = timezone.now()
    county.t1staff.save()
    clock.shift(timedelta(days=179))
    sign_in(client, "t1staff")
    assert client.get(reverse("core:home")).status_code == 200
    clock.shift(timedelta(days=1, minutes=1))
    sign_in(client, "t1staff")
    response = client.get(reverse("core:home"))
    assert response.url.startswith(reverse("accounts:password-change"))
    page = client.get(response.url).content.decode()
    assert "more than 180 days old" in page
    change(client)
    assert client.get(reverse("core:home")).status_code == 200
