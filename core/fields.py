"""A model field whose value is encrypted in the database (``core.crypto``) and plain in Python."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import FieldError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models.lookups import Exact, IsNull

from . import crypto


class EncryptedCharField(models.TextField):  # type: ignore[type-arg]
    """Text kept encrypted at rest. ``max_length`` bounds the plain value in forms; the column is ``text``,
    since the ciphertext is longer. A ciphertext cannot be compared: filter on
    the keyed hash beside it instead; only ``isnull`` and ``exact`` with an empty value are allowed here."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        return crypto.decrypt(value) if value else value

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        if isinstance(value, str) and value.startswith(crypto.PREFIX):
            return value  # already a ciphertext (a historical record's copy, the key rotation)
        return crypto.encrypt(value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in {"exact", "isnull"}:
            raise FieldError(f"{self.name} is encrypted: search its keyed hash, not {lookup_name!r}.")
        return _EmptyOnlyExact if lookup_name == "exact" else IsNull


class _EmptyOnlyExact(Exact):
    def get_prep_lookup(self) -> Any:
        if self.rhs not in ("", None):
            raise FieldError("An encrypted field cannot be matched by value: search its keyed hash.")
        return super().get_prep_lookup()


class EncryptedJSONField(models.TextField):  # type: ignore[type-arg]
    """A JSON object kept encrypted at rest (a document's snapshot of case facts, which may carry ID and
    phone numbers an official document prints). Read and written as a dict; not searchable."""

    _pyi_private_set_type: Any  # a dict (django-stubs would type a TextField's value as str)
    _pyi_private_get_type: Any

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("default", dict)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return self.to_python(value)

    def to_python(self, value: Any) -> Any:
        if value is None or isinstance(value, dict | list):
            return value
        if value == "":
            return {}
        return json.loads(crypto.decrypt(value))

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, str) and value.startswith(crypto.PREFIX):
            return value
        return crypto.encrypt(json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder, sort_keys=True))

    def value_to_string(self, obj: models.Model) -> str:
        return json.dumps(self.value_from_object(obj), ensure_ascii=False, cls=DjangoJSONEncoder)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            raise FieldError(f"{self.name} is encrypted: it cannot be searched.")
        return IsNull
