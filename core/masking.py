"""How ID and phone numbers are shown by default: enough to tell people apart, not enough to use."""

from __future__ import annotations


def mask_id_number(value: str) -> str:
    """420322199001011231 → 420322********1231 (the region and the last four stay)."""
    if not value:
        return ""
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13972812345 → 139****2345; a landline keeps its area code and last four: 0719-****110 style."""
    if not value:
        return ""
    digits = len(value)
    if digits <= 7:
        return value[:2] + "*" * (digits - 2)
    return value[:3] + "*" * (digits - 7) + value[-4:]
