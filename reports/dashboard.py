"""The dashboard's figures, read once and kept a few minutes.

A province's dashboard reads every figure of a year for every agency and region, and the same a year
earlier: seconds of work on a million cases. Readers share it: the data (plain numbers, no text) is kept
in the cache under what decides it (the reach: an agency, or a region and those below it; the narrowing;
the period; today), for ``REPORTS_CACHE_SECONDS`` (10 minutes by default; 0 reads it every time). The page
says when it was read and offers to read it again; Celery beat reads each centre's and committee's year,
quarter and month ahead of their readers (``reports.tasks.warm_dashboards``). Drill-downs, exports of a
drill-down and the API read live.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from core import workdays

from .metrics import (
    FOUR,
    AgencyRow,
    Counts,
    RegionRow,
    Scope,
    Table,
    Volume,
    by_agency,
    by_region,
    figure_table,
    monthly,
    volume,
    year_before,
)
from .warnings import Warnings, early_warnings

# An agency's or a region's parts kept as plain tuples: a province's hundreds of rows are read back from
# the cache in a few milliseconds (as objects they took a tenth of a second).
Parts = tuple[tuple[str, int, int, tuple[tuple[str, int], ...]], ...]


def _pack(parts: dict[str, Counts]) -> Parts:
    return tuple((code, c.numerator, c.denominator, tuple(c.beside.items())) for code, c in parts.items())


def _unpack(parts: Parts) -> dict[str, Counts]:
    return {code: Counts(n, d, dict(beside)) for code, n, d, beside in parts}


@dataclass(frozen=True)
class DashboardData:
    computed_at: datetime
    table: Table  # the totals only
    last_year: Table
    volume: Volume
    volume_before: Volume
    agency_rows: list[tuple[int, str, Parts, tuple[tuple[str, int], ...]]]  # ranked
    region_rows: list[tuple[int, str, Parts]]
    warnings: Warnings | None  # for a period still running
    trend_months: list[str]
    trend: dict[str, list[float | None]]

    def agencies(self, limit: int | None = None) -> list[AgencyRow]:
        rows = self.agency_rows if limit is None else self.agency_rows[:limit]
        return [AgencyRow(pk, name, _unpack(parts), dict(problems)) for pk, name, parts, problems in rows]

    def regions(self) -> list[RegionRow]:
        return [RegionRow(pk, name, _unpack(parts)) for pk, name, parts in self.region_rows]


# Raised whenever ``DashboardData`` changes shape: a kept object of the old shape is then never read.
LAYOUT = 2


def _key(scope: Scope, today: date) -> str:
    """What decides the figures: the reach (an agency, or the regions), the narrowing, the period, today."""
    narrowed_region = scope.region
    if scope.user is None:
        reach, narrowed_region = f"r{scope.region}", None  # a region's own figures: as its users read them
    elif scope._agency_only():
        reach = f"a{scope.user.organisation_id}"
    elif scope.covers():
        assert scope.user.organisation is not None  # covers() said so
        reach = f"r{scope.user.organisation.region_id}"
    else:
        reach = "none"
    narrowed = f"{scope.agency or ''}:{narrowed_region or ''}"
    return f"reports:dashboard:v{LAYOUT}:{reach}:{narrowed}:{scope.first}:{scope.last}:{today}"


def dashboard_data(scope: Scope, refresh: bool = False) -> DashboardData:
    seconds = getattr(settings, "REPORTS_CACHE_SECONDS", 600)
    today = workdays.today()
    key = _key(scope, today)
    if seconds and not refresh:
        kept = cache.get(key)
        if kept is not None:
            return kept  # type: ignore[no-any-return]  # stored by this function
    data = read(scope, today)
    if seconds:
        cache.set(key, data, seconds)
    return data


def read(scope: Scope, today: date) -> DashboardData:
    """Every figure of the dashboard, in a bounded number of queries whatever the number of agencies:
    one per figure for the period and one for the same period a year earlier (by agency and region), one
    per figure of the four for the trend, two for the agencies' 四不问题, one for the regions, four for
    the volume, five for the warnings."""
    earlier = year_before(scope)
    table = figure_table(scope)
    end = scope.last.replace(day=1)
    start = date(end.year - (end.month < 12), end.month % 12 + 1, 1)
    trends = monthly(replace(scope, first=start), FOUR)
    last_year = figure_table(earlier)
    return DashboardData(
        computed_at=timezone.now(),
        # The totals only: every agency's and region's part is kept in ``agencies`` and ``regions``.
        table=Table(table.totals, {}, {}),
        last_year=Table(last_year.totals, {}, {}),
        volume=volume(scope),
        volume_before=volume(earlier),
        agency_rows=[
            (r.agency_id, r.agency, _pack(r.parts), tuple(r.problems.items()))
            for r in by_agency(scope, table)
        ],
        region_rows=[(r.region_id, r.region, _pack(r.parts)) for r in by_region(scope, table)],
        warnings=early_warnings(scope, today) if scope.last >= today else None,
        trend_months=[f"{m.year}-{m.month:02d}" for m, _counts in trends[FOUR[0].code]],
        trend={
            m.code: [float(c.value) if c.value is not None else None for _m, c in trends[m.code]]
            for m in FOUR
        },
    )


def warm(today: date | None = None) -> int:
    """Read ahead the dashboards most opened: each centre's and committee's region, this year, quarter
    and month (as a user of that region reads them, the key is the same)."""
    from core.models import Organisation, Region

    from . import periods

    today = today or workdays.today()
    regions = set(
        Organisation.objects.filter(
            kind__in=[Organisation.Kind.CENTRE, Organisation.Kind.COMMITTEE]
        ).values_list("region_id", flat=True)
    )
    done = 0
    for region in Region.objects.filter(pk__in=regions):
        for kind in ("year", "quarter", "month"):
            period = periods.period_of(kind, today)
            dashboard_data(Scope.of_region(region, period.first, period.last), refresh=True)
            done += 1
    return done
