"""The committee's dashboard of the four 100%: each figure with its definition, red below target, and
its drill-down to the cases behind the numerator and the denominator. Scoped to the user's region (an
agency to itself), for any period."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core import workdays
from core.access import scoped
from core.http import AuthenticatedHttpRequest, attachment
from core.models import Organisation, User
from core.roles import Capability
from core.xlsx import XLSX_TYPE, write_ledger
from deadlines.models import Problem
from disputes.choices import MatterCategory, Source
from disputes.models import Dispute

from . import bulletins, export, periods
from .dashboard import dashboard_data
from .metrics import (
    BY_CODE,
    FOUR,
    METRICS,
    OTHERS,
    Counts,
    Figure,
    Metric,
    Scope,
    change_in_percent,
    change_in_points,
)
from .models import Bulletin, Subscription
from .selectors import bulletin_get, bulletins_for
from .warnings import HORIZON_DAYS


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


def dashboard_context(scope: Scope, refresh: bool = False, agencies: int | None = None) -> dict[str, Any]:
    """Everything the dashboard shows, from ``dashboard.dashboard_data`` (read in a bounded number of
    queries whatever the number of agencies, and kept a few minutes: see ``reports.dashboard``)."""
    data = dashboard_data(scope, refresh=refresh)
    table, last_year = data.table, data.last_year
    cards = {m.code: _card(m, table.totals[m.code], last_year.totals[m.code]) for m in METRICS}
    loss, loss_before = table.totals["loss_rate"], last_year.totals["loss_rate"]
    now_volume, before_volume = data.volume, data.volume_before
    litigation_change = change_in_percent(now_volume.litigation, before_volume.litigation)
    loss_change = cards["loss_rate"]["change"]
    warnings = data.warnings
    shown = sum(len(a.warnings) for a in warnings.agencies) if warnings else 0
    return {
        "computed_at": data.computed_at,
        "warnings": warnings,
        "later": {"count": warnings.total - shown, "agencies": sum(1 for a in warnings.agencies if a.more)}
        if warnings and warnings.total > shown
        else None,
        "trend": {
            "months": data.trend_months,
            "series": [{"code": m.code, "name": str(m.short), "values": data.trend[m.code]} for m in FOUR],
        },
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
            for row in data.agencies(agencies)
        ],
        "regions": [
            {"row": row, "rates": [(m.code, row.rate(m.code), row.parts.get(m.code), m.alarm(row.rate(m.code)))
                                   for m in AGENCY_COLUMNS]}
            for row in data.regions()
        ],
        "problems": [p.label for p in Problem],
        "agency_total": len(data.agency_rows),
        "columns": AGENCY_COLUMNS,
    }  # fmt: skip


# The figures of the agency and region tables: the four, the heads in court and the loss rate.
AGENCY_COLUMNS = [*FOUR, BY_CODE["court_head_rate"], BY_CODE["loss_rate"]]


AGENCIES_SHOWN = 50  # the ranking's head on the page (a province has hundreds: all with ?agencies=all)


def _with(request: AuthenticatedHttpRequest, **values: str) -> str:
    query = request.GET.copy()
    query.pop("refresh", None)
    for name, value in values.items():
        query[name] = value
    return query.urlencode()


@login_required
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    scope, period, notes = _scope(request)
    return render(
        request,
        "reports/dashboard.html",
        {
            **dashboard_context(
                scope,
                refresh=request.GET.get("refresh") == "1",
                agencies=None if request.GET.get("agencies") == "all" else AGENCIES_SHOWN,
            ),
            "all_agencies_query": _with(request, agencies="all"),
            "period": period,
            "notes": notes,
            "query": request.GET.urlencode(),
            "kinds": periods.KINDS,
            "horizon": HORIZON_DAYS,
        },
    )


def _behind(
    request: AuthenticatedHttpRequest, code: str
) -> tuple[Metric, periods.Period, list[str], Figure, list[tuple[object, list[int]]]]:
    """The figure ``code`` for the request's scope, and its parts with their labels: the numerator, the
    denominator and each thing beside (the dispute ids behind each)."""
    metric = BY_CODE.get(code)
    if metric is None:
        raise Http404
    scope, period, notes = _scope(request)
    figure = metric.compute(scope)
    parts = [
        (metric.numerator_label, figure.numerator),
        (metric.denominator_label, figure.denominator),
        *((metric.beside_labels[k], v) for k, v in figure.beside.items()),
    ]
    return metric, period, notes, figure, parts


@login_required
def drilldown(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The cases behind one figure: its numerator, its denominator and what is beside, each case once with
    how many times it counts. A case the user may open links to it."""
    metric, period, notes, figure, parts = _behind(request, code)
    ids = {pk for _label, part in parts for pk in part}
    cases = {d.pk: d for d in Dispute.objects.filter(pk__in=ids).select_related("respondent")}
    openable = set(scoped(Dispute.objects.filter(pk__in=ids), request.user).values_list("pk", flat=True))

    def rows(part: list[int]) -> list[dict[str, Any]]:
        counts = Counter(part)
        return [
            {"case": cases[pk], "times": n, "open": pk in openable}
            for pk, n in sorted(counts.items(), key=lambda item: cases[item[0]].number)
        ]

    sections = [(label, len(part), rows(part)) for label, part in parts]
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


def _download(content: bytes, stem: str, ascii_stem: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    today = workdays.today()
    response["Content-Disposition"] = attachment(
        f"{stem}_{today:%Y%m%d}.xlsx", f"{ascii_stem}_{today:%Y%m%d}.xlsx"
    )
    return response


def _heading(scope: Scope, period: periods.Period) -> str:
    organisation = scope.user.organisation if scope.user is not None else None
    where = organisation.region.name if organisation is not None else ""
    return f"{where} · {period.label}（{period.first.isoformat()} – {period.last.isoformat()}）"


@login_required
def dashboard_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Every table of the dashboard as one workbook, a sheet each."""
    scope, period, _notes = _scope(request)
    content = export.dashboard_workbook(dashboard_context(scope), _heading(scope, period))
    return _download(content, f"{_('Reports')}_{period.label}", "reports")


@login_required
def drilldown_export(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The cases behind one figure, every part, as a ledger: the part, the case, its agency and how many
    times it counts."""
    metric, period, _notes, _figure, parts = _behind(request, code)
    ids = {pk for _label, part in parts for pk in part}
    cases, agencies = {}, {}
    for pk, number, agency in Dispute.objects.filter(pk__in=ids).values_list(
        "pk", "number", "respondent__name"
    ):
        cases[pk], agencies[pk] = number, agency
    output = io.BytesIO()
    write_ledger(
        output,
        sheet=str(metric.label),
        columns=[(_("Part"), 20), (_("Case"), 26), (_("Respondent"), 30), (_("Counted"), 8)],
        rows=(
            [str(label), cases[pk], agencies[pk], n]
            for label, part in parts
            for pk, n in sorted(Counter(part).items(), key=lambda item: cases[item[0]])
        ),
    )
    return _download(output.getvalue(), f"{metric.label}_{period.label}", code)


@login_required
def bulletin_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The bulletins of the user's region (and those below and above it), newest first; a centre's clerk
    builds one for any closed period on demand; anyone subscribes to receive them."""
    if not request.user.can(Capability.VIEW_REPORTS):
        raise PermissionDenied
    builder = _may_build(request.user)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "subscribe":
            bulletins.subscription_set(user=request.user, subscribed=request.POST.get("on") == "1")
            messages.success(request, _("Your subscription is saved."))
            return redirect("reports:bulletins")
        if action != "build" or builder is None:
            raise PermissionDenied
        kind, raw = request.POST.get("kind", ""), request.POST.get("day", "")
        try:
            day = date.fromisoformat(raw)
        except ValueError:
            day = None
        if kind not in {k for k, _label in Bulletin.Kind.choices} or day is None:
            messages.error(request, _("Choose a kind of bulletin and a day of its period (YYYY-MM-DD)."))
            return redirect("reports:bulletins")
        if periods.period_of(kind, day).last >= workdays.today():
            messages.error(request, _("A bulletin covers a closed period: choose a day of an earlier one."))
            return redirect("reports:bulletins")
        bulletin = bulletins.bulletin_build(organisation=builder, kind=kind, day=day, actor=request.user)
        assert bulletin.document is not None  # issued with it
        return redirect("documents:detail", pk=bulletin.document.pk)
    rows = list(bulletins_for(request.user)[:200])
    return render(
        request,
        "reports/bulletins.html",
        {
            "bulletins": rows,
            "builder": builder,
            "kinds": Bulletin.Kind.choices,
            "last_month": (workdays.today().replace(day=1) - timedelta(days=1)).isoformat(),
            "subscribed": Subscription.objects.filter(user=request.user).exists(),
        },
    )


def _may_build(user: User) -> Organisation | None:
    """The centre a user builds bulletins for: a centre's clerk, for the centre's region."""
    organisation = user.organisation
    if (
        organisation is None
        or organisation.kind != Organisation.Kind.CENTRE
        or not user.can(Capability.MANAGE_CASES)
    ):
        return None
    return organisation


@login_required
def bulletin_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    bulletin = bulletin_get(request.user, pk)
    if bulletin.document is None:
        raise Http404
    return redirect("documents:detail", pk=bulletin.document.pk)
