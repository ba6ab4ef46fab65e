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
from disputes.models import Dispute

from . import periods
from .metrics import BY_CODE, FOUR, Scope, by_agency, change_in_points, year_before


def _scope(request: AuthenticatedHttpRequest) -> tuple[Scope, periods.Period, list[str]]:
    if not request.user.can(Capability.VIEW_REPORTS):
        raise PermissionDenied
    period, notes = periods.parse(request.GET)
    return Scope(request.user, period.first, period.last), period, notes


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope, period, notes = _scope(request)
    cards = []
    figures = {}
    earlier = year_before(scope)
    for metric in FOUR:
        figure = figures[metric.code] = metric.compute(scope)
        before = metric.compute(earlier)
        cards.append(
            {
                "metric": metric,
                "figure": figure,
                "before": before,
                "change": change_in_points(figure, before),
                "below": metric.below_target(figure),
                "beside": [(metric.beside_labels[k], len(v)) for k, v in figure.beside.items()],
            }
        )
    return render(
        request,
        "reports/dashboard.html",
        {
            "cards": cards,
            "period": period,
            "notes": notes,
            "query": request.GET.urlencode(),
            "kinds": periods.KINDS,
            "agencies": [
                {
                    "row": row,
                    "rates": [(m.code, row.rate(m.code), row.parts.get(m.code, (0, 0))) for m in FOUR],
                    "problems": [row.problems.get(p.value, 0) for p in Problem],
                }
                for row in by_agency(scope, figures)
            ],
            "problems": [p.label for p in Problem],
            "metrics": FOUR,
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
