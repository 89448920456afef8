"""Encryption at rest: round trip, tamper detection, keys from the environment, rotation."""

from __future__ import annotations

import base64
import io
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.core import crypto
from gonghui.core.idnumbers import complete_id_number

KEY_A = base64.b64encode(b"A" * 32).decode()
KEY_B = base64.b64encode(b"B" * 32).decode()
HASH_KEY = base64.b64encode(b"H" * 32).decode()


@pytest.fixture
def key_a(monkeypatch):
    monkeypatch.setenv(crypto.DATA_KEY_ENV, f"a:{KEY_A}")
    monkeypatch.delenv(crypto.HASH_KEY_ENV, raising=False)
    return monkeypatch


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(), st.sampled_from(["people.person.id_number", "x", ""]))
def test_a_value_decrypts_to_itself(key_a, value, context):
    token = crypto.encrypt(value, context=context)

    assert crypto.decrypt(token, context=context) == value
    assert token.startswith("a:")


def test_the_same_value_encrypts_differently_every_time(key_a):
    tokens = {crypto.encrypt("330106199001010018", context="c") for _ in range(20)}

    assert len(tokens) == 20
    assert all("330106199001010018" not in token for token in tokens)


def _flip(token: str, index: int) -> str:
    key_id, body = token.split(":", 1)
    raw = bytearray(base64.b64decode(body))
    raw[index] ^= 0x01
    return f"{key_id}:{base64.b64encode(bytes(raw)).decode()}"


@pytest.mark.parametrize("index", [0, 11, 12, 20, -1])
def test_a_changed_byte_is_detected_not_decrypted(key_a, index):
    token = crypto.encrypt("13812345678", context="phone")

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(_flip(token, index), context="phone")


def test_a_value_moved_to_another_column_does_not_decrypt(key_a):
    token = crypto.encrypt("13812345678", context="people.person.phone")

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="people.person.id_number")


@pytest.mark.parametrize(
    "token", ["", "a", "a:", "a:not base64!", "z:AAAA", "a:" + base64.b64encode(b"short").decode()]
)
def test_garbage_is_refused(key_a, token):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, context="c")


def test_values_under_an_older_key_stay_readable_while_it_is_listed(key_a):
    old = crypto.encrypt("old value", context="c")
    key_a.setenv(crypto.DATA_KEY_ENV, f"b:{KEY_B},a:{KEY_A}")

    new = crypto.encrypt("new value", context="c")

    assert new.startswith("b:")
    assert crypto.decrypt(old, context="c") == "old value"
    key_a.setenv(crypto.DATA_KEY_ENV, f"b:{KEY_B}")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(old, context="c")


def test_a_bare_key_gets_the_default_id(monkeypatch):
    monkeypatch.setenv(crypto.DATA_KEY_ENV, KEY_A)

    assert crypto.encrypt("v", context="c").startswith(f"{crypto.DEFAULT_KEY_ID}:")


@pytest.mark.parametrize(
    "value",
    [
        "a:not-base64!!",
        f"a:{base64.b64encode(b'short').decode()}",
        f"a:{KEY_A},a:{KEY_B}",
        f"bad id:{KEY_A}",
        " , ",
    ],
)
def test_a_bad_key_setting_fails_loudly(monkeypatch, value):
    monkeypatch.setenv(crypto.DATA_KEY_ENV, value)

    with pytest.raises(ImproperlyConfigured):
        crypto.encrypt("v", context="c")


def test_the_keyed_hash_is_stable_and_separated_by_purpose(key_a):
    first = crypto.keyed_hash("330106199001010018", purpose="id")

    assert crypto.keyed_hash("330106199001010018", purpose="id") == first
    assert crypto.keyed_hash("330106199001010018", purpose="phone") != first
    assert crypto.keyed_hash("330106199001010019", purpose="id") != first
    assert len(first) == 64


def test_putting_a_new_data_key_in_front_keeps_the_derived_hash_key(key_a):
    before = crypto.keyed_hash("v", purpose="p")
    key_a.setenv(crypto.DATA_KEY_ENV, f"b:{KEY_B},a:{KEY_A}")

    assert crypto.keyed_hash("v", purpose="p") == before


def test_an_explicit_hash_key_replaces_the_derived_one(key_a):
    derived = crypto.keyed_hash("v", purpose="p")
    key_a.setenv(crypto.HASH_KEY_ENV, HASH_KEY)

    pinned = crypto.keyed_hash("v", purpose="p")
    key_a.setenv(crypto.DATA_KEY_ENV, f"b:{KEY_B}")

    assert pinned != derived
    assert crypto.keyed_hash("v", purpose="p") == pinned


def test_without_the_environment_a_development_key_is_made_once_under_var(
    monkeypatch, settings, tmp_path
):
    monkeypatch.delenv(crypto.DATA_KEY_ENV, raising=False)
    settings.VAR_DIR = tmp_path

    token = crypto.encrypt("v", context="c")
    key_file = tmp_path / crypto.DEV_KEY_FILE

    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    content = key_file.read_text()
    assert crypto.decrypt(token, context="c") == "v"
    crypto.encrypt("w", context="c")
    assert key_file.read_text() == content


def test_the_deploy_check_warns_when_keys_come_from_var(monkeypatch):
    monkeypatch.delenv(crypto.DATA_KEY_ENV, raising=False)
    monkeypatch.delenv(crypto.HASH_KEY_ENV, raising=False)

    assert {w.id for w in crypto.check_data_key()} == {"gonghui.W001", "gonghui.W002"}
    monkeypatch.setenv(crypto.DATA_KEY_ENV, KEY_A)
    monkeypatch.setenv(crypto.HASH_KEY_ENV, HASH_KEY)
    assert crypto.check_data_key() == []


# --- rotation of the stored values ------------------------------------------------------


@pytest.fixture
def registered(county, key_a):
    from gonghui.people.services import person_create

    key_a.setenv(crypto.HASH_KEY_ENV, HASH_KEY)
    people = [
        person_create(
            by=county.superuser,
            name=f"职工{n}",
            id_number=complete_id_number(f"33010619900101{n:03d}"),
            phone=f"1390000{n:04d}" if n % 2 else "",
            employer=county.e1,
        )
        for n in range(7)
    ]
    return key_a, people


def _raw(person):
    from gonghui.people.models import Person

    return Person.objects.values_list("id_number_encrypted", "phone_encrypted").get(pk=person.pk)


def test_rotation_re_encrypts_every_value_with_the_current_key(registered):
    env, people = registered
    plain = {p.pk: (p.plain_id_number(), p.plain_phone()) for p in people}
    env.setenv(crypto.DATA_KEY_ENV, f"b:{KEY_B},a:{KEY_A}")
    out = io.StringIO()

    call_command("rotate_data_key", "--batch-size", "3", stdout=out, stderr=io.StringIO())

    assert "people.Person: 7 rows re-encrypted" in out.getvalue()
    for person in people:
        id_token, phone_token = _raw(person)
        assert id_token.startswith("b:")
        assert phone_token == "" or phone_token.startswith("b:")
    # The old key can go now: everything still reads, and lookups by hash still work.
    env.setenv(crypto.DATA_KEY_ENV, f"b:{KEY_B}")
    from gonghui.people.models import Person, id_hash

    for person in Person.objects.filter(pk__in=plain):
        assert (person.plain_id_number(), person.plain_phone()) == plain[person.pk]
        assert Person.objects.get(id_hash=id_hash(plain[person.pk][0])) == person


def test_rotation_run_again_changes_nothing(registered):
    env, _people = registered
    env.setenv(crypto.DATA_KEY_ENV, f"b:{KEY_B},a:{KEY_A}")
    crypto.rotate_data_key()

    again = crypto.rotate_data_key()

    assert again["people.Person"] == 0
    assert set(again.values()) == {0}


def test_the_command_prints_a_new_key_to_add():
    out = io.StringIO()

    call_command("rotate_data_key", "--new-key", stdout=out)

    assert len(base64.b64decode(out.getvalue().strip())) == 32
