"""Case numbers: per number prefix (the centre's short name and the kind), per year, unique and
without gaps.

Numbers come from ``core.sequences`` (series ``case:<prefix>``): locked in the registering
transaction, so a rolled-back registration gives its number back.
"""

from __future__ import annotations

from core.models import Organisation
from core.sequences import sequence_next

from .choices import CASE_KIND_NUMBER_CHAR


def number_prefix(*, centre: Organisation, kind: str) -> str:
    return f"{centre.short_name or centre.name}{CASE_KIND_NUMBER_CHAR[kind]}"


def format_case_number(*, centre: Organisation, year: int, kind: str, sequence: int) -> str:
    return f"〔{year}〕{number_prefix(centre=centre, kind=kind)}字第{sequence}号"


def case_number_take(*, centre: Organisation, year: int, kind: str) -> tuple[int, str]:
    """The next case number; must run inside the transaction that stores the case."""
    sequence = sequence_next(series=f"case:{number_prefix(centre=centre, kind=kind)}", year=year)
    return sequence, format_case_number(centre=centre, year=year, kind=kind, sequence=sequence)
