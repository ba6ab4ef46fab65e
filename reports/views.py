"""The committee's dashboard of the four 100%: each figure with its definition, red below target, and
its drill-down to the cases behind the numerator and the denominator. Scoped to the user's region (an
agency to itself), for any period."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render

from core.access import scoped
from core.http import AuthenticatedHttpRequest
from core.roles import Capability
from deadlines.models import Problem
from disputes.choices import MatterCategory, Source
from disputes.models import Dispute

from . import periods
from .metrics import (
    BY_CODE,
    FOUR,
    METRICS,
    OTHERS,
    Counts,
    Metric,
    Scope,
    by_agency,
    by_region,
    change_in_percent,
    change_in_points,
    figure_table,
    volume,
    year_before,
)


def _scope(request: AuthenticatedHttpRequest) -> tuple[Scope, periods.Period, list[str]]:
    if not request.user.can(Capability.VIEW_REPORTS):
        raise PermissionDenied
    period, notes = periods.parse(request.GET)
    narrowed, more = periods.narrowing(request.user, request.GET)
    return Scope(request.user, period.first, period.last, **narrowed), period, notes + more


def _card(metric: Metric, now: Counts, before: Counts) -> dict[str, Any]:
    return {
        "metric": metric,
        "figure": now,
        "before": before,
        "change": change_in_points(now, before),
        "below": metric.alarm(now.value),
        "beside": [(metric.beside_labels[k], n) for k, n in now.beside.items()],
    }


def dashboard_context(scope: Scope) -> dict[str, Any]:
    """Everything the dashboard shows, in a bounded number of queries whatever the number of agencies:
    two per figure (this period and the same one a year earlier, each grouped by agency and region), two
    for the agencies and their 四不问题, one for the regions, four for the volume."""
    earlier = year_before(scope)
    table, last_year = figure_table(scope), figure_table(earlier)
    cards = {m.code: _card(m, table.totals[m.code], last_year.totals[m.code]) for m in METRICS}
    loss, loss_before = table.totals["loss_rate"], last_year.totals["loss_rate"]
    now_volume, before_volume = volume(scope), volume(earlier)
    litigation_change = change_in_percent(now_volume.litigation, before_volume.litigation)
    loss_change = cards["loss_rate"]["change"]
    return {
        "cards": [cards[m.code] for m in FOUR],
        "others": [cards[m.code] for m in OTHERS],
        "loss": {
            "count": loss.numerator,
            "before": loss_before.numerator,
            "change": change_in_percent(loss.numerator, loss_before.numerator),
        },
        "volume": {
            "now": now_volume,
            "before": before_volume,
            "received_change": change_in_percent(now_volume.received, before_volume.received),
            "litigation_change": litigation_change,
            # 双下降: the litigation volume and the loss rate both fell
            "double_fall": litigation_change is not None and litigation_change < 0
            and loss_change is not None and loss_change < 0,
            "sources": [(label, now_volume.by_source.get(v, 0), before_volume.by_source.get(v, 0))
                        for v, label in Source.choices],
            "categories": [(label, now_volume.by_category.get(v, 0), before_volume.by_category.get(v, 0))
                           for v, label in MatterCategory.choices],
        },
        "agencies": [
            {
                "row": row,
                "rates": [(m.code, row.rate(m.code), row.parts.get(m.code), m.alarm(row.rate(m.code)))
                          for m in AGENCY_COLUMNS],
                "problems": [(p.label, row.problems.get(p.value, 0)) for p in Problem],
                "problem_count": sum(row.problems.values()),
            }
            for row in by_agency(scope, table)
        ],
        "regions": [
            {"row": row, "rates": [(m.code, row.rate(m.code), row.parts.get(m.code), m.alarm(row.rate(m.code)))
                                   for m in AGENCY_COLUMNS]}
            for row in by_region(scope, table)
        ],
        "problems": [p.label for p in Problem],
        "columns": AGENCY_COLUMNS,
    }  # fmt: skip


# The figures of the agency and region tables: the four, the heads in court and the loss rate.
AGENCY_COLUMNS = [*FOUR, BY_CODE["court_head_rate"], BY_CODE["loss_rate"]]


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope, period, notes = _scope(request)
    return render(
        request,
        "reports/dashboard.html",
        {
            **dashboard_context(scope),
            "period": period,
            "notes": notes,
            "query": request.GET.urlencode(),
            "kinds": periods.KINDS,
        },
    )


@login_required
def drilldown(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The cases behind one figure: its numerator, its denominator and what is beside, each case once with
    how many times it counts. A case the user may open links to it."""
    metric = BY_CODE.get(code)
    if metric is None:
        raise Http404
    scope, period, notes = _scope(request)
    figure = metric.compute(scope)
    ids = set(figure.denominator) | set(figure.numerator) | {pk for v in figure.beside.values() for pk in v}
    cases = {d.pk: d for d in Dispute.objects.filter(pk__in=ids).select_related("respondent")}
    openable = set(scoped(Dispute.objects.filter(pk__in=ids), request.user).values_list("pk", flat=True))

    def rows(part: list[int]) -> list[dict[str, Any]]:
        counts = Counter(part)
        return [
            {"case": cases[pk], "times": n, "open": pk in openable}
            for pk, n in sorted(counts.items(), key=lambda item: cases[item[0]].number)
        ]

    sections = [
        (metric.numerator_label, len(figure.numerator), rows(figure.numerator)),
        (metric.denominator_label, len(figure.denominator), rows(figure.denominator)),
        *((metric.beside_labels[k], len(v), rows(v)) for k, v in figure.beside.items()),
    ]
    return render(
        request,
        "reports/drilldown.html",
        {
            "metric": metric,
            "figure": figure,
            "period": period,
            "notes": notes,
            "sections": sections,
            "query": request.GET.urlencode(),
        },
    )
