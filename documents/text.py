"""Joining the pieces of an official sentence. Case facts and a clerk's text arrive with or without
their own closing mark ("…行政处罚决定。"); a sentence built from them must not print "。，" or "；。".
Every join in the adapters and templates goes through ``clause``, so the rule lives here only."""

from __future__ import annotations

import re
from datetime import date

# The marks a piece may end with that the joining sentence supplies itself.
_TRAILING = re.compile(r"[\s。．.，,、；;：:！!？?]+$")

# Two marks in a row that a clerk never writes (the check the wording test runs over every document).
DOUBLED_PUNCTUATION = re.compile(r"[。，、；：！？][。，、；：！？]")


def clause(text: object) -> str:
    """``text`` without its trailing punctuation and spaces, ready to be followed by a mark."""
    return _TRAILING.sub("", str(text or "").strip())


def join(*parts: object, sep: str = "，", end: str = "") -> str:
    """The non-empty ``parts`` as clauses joined by ``sep``, closed by ``end`` (nothing if all are
    empty): ``join("决定。", "于2026年3月2日申请", end="。")`` → "决定，于2026年3月2日申请。"."""
    pieces = [clause(p) for p in parts]
    text = sep.join(p for p in pieces if p)
    return f"{text}{end}" if text else ""


def chinese_date(value: date | None) -> str:
    """2026年11月1日, as a document prints a date (no leading zeros)."""
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def parse_date(text: object) -> date | None:
    """A date as a clerk types it (2026-11-01, 2026/11/1, 2026年11月1日), or None if it is not one."""
    if isinstance(text, date):
        return text
    value = str(text or "").strip()
    for form in _DATE_FORMS:
        match = form.match(value)
        if match:
            try:
                return date(*(int(g) for g in match.groups()))
            except ValueError:
                return None
    return None
