"""Personal data at rest: encryption of ID and phone numbers, and the keyed hash that finds them.

Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, random IV). ``FIELD_ENCRYPTION_KEYS`` is a
list: the first key encrypts, every key decrypts, so a key is rotated by putting a new one first and
running ``manage.py rotate_personal_data_keys`` (docs/security.md). Equal values encrypt differently, so
they are found through a keyed hash (HMAC-SHA256 under ``FIELD_HASH_KEY``, a separate key) of the
normalised value, kept in a column beside the ciphertext: an exact match, never a partial one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

PREFIX = "enc1:"  # marks a ciphertext; anything without it is a value from before encryption


def _derived(purpose: str) -> bytes:
    """A key derived from SECRET_KEY: only where no key is configured (development and tests; production
    refuses to start without its own keys)."""
    return hashlib.sha256(f"huajie:{purpose}:{settings.SECRET_KEY}".encode()).digest()


@cache
def _fernet() -> MultiFernet:
    keys = list(settings.FIELD_ENCRYPTION_KEYS) or [base64.urlsafe_b64encode(_derived("field-encryption"))]
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except ValueError as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS: each key must be 32 url-safe base64-encoded bytes "
            "(python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')."
        ) from exc


@cache
def _hash_key() -> bytes:
    key = settings.FIELD_HASH_KEY
    return key.encode() if key else _derived("field-hash")


def reset_keys() -> None:
    """Forget the keys read so far (after the settings change: tests, key rotation)."""
    _fernet.cache_clear()
    _hash_key.cache_clear()


def encrypt(value: str) -> str:
    if not value:
        return ""
    return PREFIX + _fernet().encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    if not value or not value.startswith(PREFIX):
        return value
    try:
        return _fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored value cannot be decrypted with FIELD_ENCRYPTION_KEYS: was a key removed too early?"
        ) from exc


def reencrypt(value: str) -> str:
    """The value under the first (current) key; unchanged if empty."""
    if not value:
        return value
    if value.startswith(PREFIX):
        return PREFIX + _fernet().rotate(value[len(PREFIX) :].encode()).decode()
    return encrypt(value)


def normalise(value: str) -> str:
    """The form compared: no spaces or dashes, upper case (the ID number's check letter X)."""
    return "".join(ch for ch in value if ch not in " -\u3000").upper()


def blind_index(value: str) -> str:
    """The keyed hash of a value for exact search; empty for an empty value."""
    value = normalise(value)
    if not value:
        return ""
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()


@receiver(setting_changed, dispatch_uid="core-crypto-keys")
def _keys_changed(*, setting: str, **kwargs: object) -> None:
    if setting in {"FIELD_ENCRYPTION_KEYS", "FIELD_HASH_KEY", "SECRET_KEY"}:
        reset_keys()
