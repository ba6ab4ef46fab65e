"""Gap-free numbers: case numbers, document numbers (文号) and any other official series.

The row of a series is locked (SELECT … FOR UPDATE) inside the caller's transaction, so concurrent
callers queue on it, and a caller that rolls back gives its number back. On SQLite the database-wide
write lock (transactions begin IMMEDIATE, see settings) gives the same guarantee.
"""

from __future__ import annotations

from django.db import transaction

from .models import NumberSequence


def sequence_next(*, series: str, year: int) -> int:
    """The next number of ``series`` in ``year``; must run inside the transaction that uses it."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("sequence_next() must run inside the transaction that stores the number.")
    # Create the row for the year's first number; a concurrent creator makes this a no-op.
    NumberSequence.objects.bulk_create([NumberSequence(series=series, year=year)], ignore_conflicts=True)
    row = NumberSequence.objects.select_for_update().get(series=series, year=year)
    row.last_value += 1
    row.save(update_fields=["last_value"])
    return row.last_value
