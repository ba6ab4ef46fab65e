"""The periods a report covers: a month, a quarter, a half-year, a year, or days chosen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import workdays

KINDS = ("month", "quarter", "half", "year", "custom")


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return date_format(self.first, "YEAR_MONTH_FORMAT")
        if self.kind == "quarter":
            return _("%(y)s Q%(q)s") % {"y": self.first.year, "q": (self.first.month - 1) // 3 + 1}
        if self.kind == "half":
            return _("%(y)s H%(h)s") % {"y": self.first.year, "h": 1 if self.first.month < 7 else 2}
        if self.kind == "year":
            return _("Year %(y)s") % {"y": self.first.year}
        return f"{self.first.isoformat()} – {self.last.isoformat()}"


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def period_of(kind: str, day: date) -> Period:
    """The period of ``kind`` containing ``day``."""
    if kind == "month":
        return Period(kind, day.replace(day=1), _month_end(day.year, day.month))
    if kind == "quarter":
        start = (day.month - 1) // 3 * 3 + 1
        return Period(kind, date(day.year, start, 1), _month_end(day.year, start + 2))
    if kind == "half":
        start = 1 if day.month < 7 else 7
        return Period(kind, date(day.year, start, 1), _month_end(day.year, start + 5))
    return Period("year", date(day.year, 1, 1), date(day.year, 12, 31))


def parse(query: Any) -> tuple[Period, list[str]]:
    """The period a request asks for (``period``, ``day``; or ``first`` and ``last`` for custom), this
    year by default; what could not be read is left out, with a note."""
    notes: list[str] = []
    kind = query.get("period") or "year"
    if kind not in KINDS:
        notes.append(_("The period “%(value)s” was not understood: showing this year.") % {"value": kind})
        kind = "year"

    def day_of(name: str) -> date | None:
        raw = query.get(name)
        if not raw:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            notes.append(_("“%(value)s” is not a day (YYYY-MM-DD).") % {"value": raw})
            return None

    if kind == "custom":
        first, last = day_of("first"), day_of("last")
        if first and last and first <= last and (last - first).days <= 3660:
            return Period("custom", first, last), notes
        notes.append(_("Give a first and a last day, the first not after the last: showing this year."))
        kind = "year"
    return period_of(kind, day_of("day") or workdays.today()), notes


def narrowing(user: Any, query: Any) -> tuple[dict[str, Any], list[str]]:
    """The agency (``agency``) and region (``region``, with those below it) a request narrows a report to,
    as ``Scope`` arguments; a region outside the user's, or an id that is not one, is left out with a
    note."""
    from core.access import region_subtree
    from core.models import Organisation, Region

    from .metrics import regions_below

    narrowed: dict[str, Any] = {}
    notes: list[str] = []
    raw = query.get("agency")
    if raw:
        if raw.isdigit() and Organisation.objects.filter(pk=int(raw), kind=Organisation.Kind.AGENCY).exists():
            narrowed["agency"] = int(raw)
        else:
            notes.append(_("“%(value)s” is not an agency: showing every agency.") % {"value": raw})
    raw = query.get("region")
    if raw:
        mine = set(region_subtree(user)) if user.organisation is not None else set()
        region = Region.objects.filter(pk=int(raw)).first() if raw.isdigit() else None
        if region is None or region.pk not in mine:
            notes.append(
                _("“%(value)s” is not a region of your reports: showing all of them.") % {"value": raw}
            )
        else:
            narrowed["region"] = region.pk
            narrowed["regions"] = regions_below(region)
    return narrowed, notes
