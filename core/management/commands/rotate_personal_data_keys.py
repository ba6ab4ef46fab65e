"""Re-encrypt every encrypted value under the first of FIELD_ENCRYPTION_KEYS and recompute the search
hashes under FIELD_HASH_KEY (docs/security.md, key rotation)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.crypto import blind_index
from core.fields import EncryptedCharField, EncryptedJSONField


class Command(BaseCommand):
    help = "Re-encrypt personal data under the newest key and recompute its search hashes."

    def handle(self, *args: Any, **options: Any) -> None:
        for model in apps.get_models():
            fields = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, EncryptedCharField | EncryptedJSONField)
            ]
            if not fields:
                continue
            names = [f.name for f in fields]
            hashed = [n for n in names if any(f.name == f"{n}_hash" for f in model._meta.concrete_fields)]
            key = model._meta.pk.name
            done = 0
            rows = model._base_manager.values_list(key, *names).order_by(key)
            for row in rows.iterator(chunk_size=500):
                values = dict(zip(names, row[1:], strict=True))
                # Read (any key decrypts) and written back (the first key encrypts).
                changes = {**values, **{f"{n}_hash": blind_index(values[n] or "") for n in hashed}}
                with transaction.atomic():
                    model._base_manager.filter(**{key: row[0]}).update(**changes)
                done += 1
            if options["verbosity"]:
                self.stdout.write(f"{model._meta.label}: {done} rows ({', '.join(names)})")
