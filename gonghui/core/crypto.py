"""Encryption at rest for sensitive personal information (PIPL 第五十一条).

Values such as ID numbers and phones are stored as AES-256-GCM ciphertext
(authenticated: a changed byte is detected, never decrypted into garbage) with
a random 96-bit nonce, as the text ``<key id>:<base64 of nonce + ciphertext>``.
The key id lets keys rotate: new values use the current key, old ones stay
readable while their key is listed, and ``gonghui rotate_data_key`` rewrites
every column with the current key (docs/operations.md).

Each value is bound to its column through the associated data (the column's
``context``): a ciphertext copied into another column does not decrypt.

Exact lookup and uniqueness use a keyed hash (HMAC-SHA256) in a column of its
own: without the key, a hash of an 18-digit ID number cannot be reversed by
trying the few thousand numbers a birth date and region leave open.

Keys:

- ``GONGHUI_DATA_KEY``: ``id:base64key,id:base64key`` (32-byte keys), the first
  is current; a single bare key gets the id ``1``.
- ``GONGHUI_HASH_KEY``: the HMAC key (base64, 32 bytes). Unset, it is derived
  with HKDF from the *last* (oldest) data key, which stays in the list while
  newer keys are put in front of it.
- Neither set: a data key is generated once under ``var/`` (file mode 0600)
  for development; production sets the environment (``check --deploy`` warns).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import os
import re
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction

logger = logging.getLogger(__name__)

DATA_KEY_ENV = "GONGHUI_DATA_KEY"
HASH_KEY_ENV = "GONGHUI_HASH_KEY"
DEV_KEY_FILE = "data_key"
KEY_BYTES = 32
NONCE_BYTES = 12
DEFAULT_KEY_ID = "1"
_KEY_ID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")
_HKDF_INFO = b"gonghui keyed hash v1"


class DecryptionError(Exception):
    """A stored value could not be decrypted: unknown key id, or changed bytes."""


@dataclass(frozen=True)
class Keyring:
    """The data keys by id (the first is current) and the HMAC key."""

    current_id: str
    ciphers: dict[str, AESGCM]
    hash_key: bytes

    @property
    def current(self) -> AESGCM:
        return self.ciphers[self.current_id]


def _decode_key(text: str, what: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ImproperlyConfigured(f"{what} is not valid base64") from exc
    if len(key) != KEY_BYTES:
        raise ImproperlyConfigured(f"{what} must be {KEY_BYTES} bytes, got {len(key)}")
    return key


def parse_data_keys(raw: str) -> list[tuple[str, bytes]]:
    """``id:key,id:key`` (or one bare key) as [(id, key)], the current key first."""
    keys: list[tuple[str, bytes]] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        key_id, sep, text = item.partition(":")
        if not sep:
            key_id, text = DEFAULT_KEY_ID, item
        if not _KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                f"{DATA_KEY_ENV}: key id {key_id!r} must be 1-16 letters, digits, - or _"
            )
        if any(key_id == seen for seen, _key in keys):
            raise ImproperlyConfigured(f"{DATA_KEY_ENV}: key id {key_id!r} is listed twice")
        keys.append((key_id, _decode_key(text, f"{DATA_KEY_ENV} key {key_id!r}")))
    if not keys:
        raise ImproperlyConfigured(f"{DATA_KEY_ENV} is set but holds no key")
    return keys


@lru_cache(maxsize=4)
def _dev_key_text(var_dir: str) -> str:
    """The development key under var/, created on first use with mode 0600."""
    path = Path(var_dir) / DEV_KEY_FILE
    if not path.exists():
        key = base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()
        try:
            # O_EXCL: two processes starting at once do not both write a key.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(f"{DEFAULT_KEY_ID}:{key}\n")
            logger.warning(
                "Generated a development data key at %s; set %s in production.",
                path,
                DATA_KEY_ENV,
            )
    return path.read_text().strip()


@lru_cache(maxsize=8)
def _build_keyring(data_keys: str, hash_key: str) -> Keyring:
    keys = parse_data_keys(data_keys)
    if hash_key:
        hmac_key = _decode_key(hash_key, HASH_KEY_ENV)
    else:
        hmac_key = HKDF(
            algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=_HKDF_INFO
        ).derive(keys[-1][1])
    return Keyring(
        current_id=keys[0][0],
        ciphers={key_id: AESGCM(key) for key_id, key in keys},
        hash_key=hmac_key,
    )


def keyring() -> Keyring:
    """The keys in force now (read from the environment, cached per value)."""
    data_keys = os.environ.get(DATA_KEY_ENV, "").strip()
    if not data_keys:
        data_keys = _dev_key_text(str(settings.VAR_DIR))
    return _build_keyring(data_keys, os.environ.get(HASH_KEY_ENV, "").strip())


def generate_key() -> str:
    """A new random data key, base64 (for ``GONGHUI_DATA_KEY``)."""
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def encrypt(plaintext: str, *, context: str, ring: Keyring | None = None) -> str:
    """``plaintext`` encrypted with the current key and bound to ``context``.

    ``ring`` (from ``keyring()``) saves reading the environment again when one
    caller encrypts many values.
    """
    ring = ring or keyring()
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = ring.current.encrypt(nonce, plaintext.encode(), context.encode())
    return f"{ring.current_id}:{base64.b64encode(nonce + sealed).decode()}"


def decrypt(token: str, *, context: str) -> str:
    """The plaintext of ``token``; DecryptionError when it was altered or its key is gone."""
    key_id, sep, body = token.partition(":")
    cipher = keyring().ciphers.get(key_id)
    if not sep or cipher is None:
        raise DecryptionError(f"no data key with id {key_id!r}")
    try:
        raw = base64.b64decode(body, validate=True)
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode()).decode()
    except (InvalidTag, binascii.Error, ValueError) as exc:
        raise DecryptionError("the value was altered or belongs to another column") from exc


def key_id_of(token: str) -> str:
    return token.partition(":")[0]


def keyed_hash(value: str, *, purpose: str, ring: Keyring | None = None) -> str:
    """HMAC-SHA256 of ``value`` (hex), separated by ``purpose`` so columns do not correlate."""
    message = purpose.encode() + b"\x1f" + value.encode()
    return hmac.digest((ring or keyring()).hash_key, message, hashlib.sha256).hex()


class CiphertextField(models.TextField):
    """A column holding ``encrypt()`` output for ``context``; empty means no value.

    The field converts nothing by itself, on purpose: a filter on it could
    never match (every encryption differs), so code reads and writes it through
    ``encrypt``/``decrypt`` and looks values up through their keyed hash. The
    field type is what ``rotate_data_key`` finds every encrypted column by.
    """

    def __init__(self, *args, context: str = "", **kwargs):
        self.context = context
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["context"] = self.context
        kwargs.pop("editable", None)
        if kwargs.get("blank") is True:
            kwargs.pop("blank")
        return name, path, args, kwargs


def encrypted_columns() -> list[tuple[type[models.Model], list[CiphertextField]]]:
    """Every concrete model with CiphertextFields, and those fields."""
    from django.apps import apps

    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, CiphertextField)]
        if fields:
            found.append((model, fields))
    return found


def _batches(model, batch_size: int) -> Iterator[list[int]]:
    """Primary keys in ascending batches (keyset pagination: no OFFSET scans)."""
    last = None
    while True:
        queryset = model._base_manager.order_by("pk")
        if last is not None:
            queryset = queryset.filter(pk__gt=last)
        pks = list(queryset.values_list("pk", flat=True)[:batch_size])
        if not pks:
            return
        yield pks
        last = pks[-1]


def rotate_data_key(
    *, batch_size: int = 1000, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Re-encrypt every encrypted column with the current key; returns rows changed per model.

    Each batch is one transaction holding its rows locked, so the command can
    run while the system is in use, be interrupted, and be run again: values
    already under the current key are left alone.
    """
    current = keyring().current_id
    changed: dict[str, int] = {}
    for model, fields in encrypted_columns():
        label = model._meta.label
        changed[label] = 0
        names = [f.name for f in fields]
        for pks in _batches(model, batch_size):
            with transaction.atomic():
                rows = list(
                    model._base_manager.select_for_update().filter(pk__in=pks).only("pk", *names)
                )
                stale = []
                for row in rows:
                    dirty = False
                    for f in fields:
                        token = getattr(row, f.attname)
                        if token and key_id_of(token) != current:
                            plain = decrypt(token, context=f.context)
                            setattr(row, f.attname, encrypt(plain, context=f.context))
                            dirty = True
                    if dirty:
                        stale.append(row)
                if stale:
                    model._base_manager.bulk_update(stale, names)
            changed[label] += len(stale)
            if progress:
                progress(label, changed[label])
    return changed


@checks.register(checks.Tags.security, deploy=True)
def check_data_key(app_configs=None, **kwargs):
    """``check --deploy``: production keeps its keys in the environment, not in var/."""
    problems = []
    if not os.environ.get(DATA_KEY_ENV, "").strip():
        problems.append(
            checks.Warning(
                f"{DATA_KEY_ENV} is not set: personal data is encrypted with a development "
                "key kept under var/.",
                hint="Set GONGHUI_DATA_KEY (and GONGHUI_HASH_KEY) and back them up; "
                "see docs/operations.md.",
                id="gonghui.W001",
            )
        )
    if not os.environ.get(HASH_KEY_ENV, "").strip():
        problems.append(
            checks.Warning(
                f"{HASH_KEY_ENV} is not set: the lookup hash key is derived from the oldest "
                "data key, which then can never be retired.",
                hint="Set GONGHUI_HASH_KEY; see docs/operations.md.",
                id="gonghui.W002",
            )
        )
    return problems
