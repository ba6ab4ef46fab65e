"""Case numbers: per number prefix (the centre's short name and the kind), per year, unique and
without gaps.

The sequence row is locked (SELECT … FOR UPDATE) inside the caller's transaction, so concurrent
registrations queue on it and a rolled-back registration gives its number back. On SQLite the
database-wide write lock (transactions begin IMMEDIATE, see settings) gives the same guarantee.
"""

from __future__ import annotations

from django.db import transaction

from core.models import Organisation

from .choices import CASE_KIND_NUMBER_CHAR
from .models import CaseNumberSequence


def number_prefix(*, centre: Organisation, kind: str) -> str:
    return f"{centre.short_name or centre.name}{CASE_KIND_NUMBER_CHAR[kind]}"


def format_case_number(*, centre: Organisation, year: int, kind: str, sequence: int) -> str:
    return f"〔{year}〕{number_prefix(centre=centre, kind=kind)}字第{sequence}号"


def case_number_take(*, centre: Organisation, year: int, kind: str) -> tuple[int, str]:
    """The next number; must run inside the transaction that stores the case."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("case_number_take() must run inside the registering transaction.")
    # Create the row if it is the year's first case; a concurrent creator makes this a no-op.
    prefix = number_prefix(centre=centre, kind=kind)
    CaseNumberSequence.objects.bulk_create(
        [CaseNumberSequence(prefix=prefix, year=year, last_value=0)], ignore_conflicts=True
    )
    seq = CaseNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
    seq.last_value += 1
    seq.save(update_fields=["last_value"])
    return seq.last_value, format_case_number(centre=centre, year=year, kind=kind, sequence=seq.last_value)
