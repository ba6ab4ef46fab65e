"""The deadlines' pages: the calendar feed (the page with a person's private address, and the feed itself,
no sign-in: the token in the address is the credential), the month calendar, the overdue items and the
remedy tasks."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core import workdays
from core.http import AuthenticatedHttpRequest
from core.paginator import CappedPaginator

from . import selectors
from .calendar import FEED_LIMIT, events_for, feed_for, ics
from .filters import RemedyFilter
from .models import CalendarFeed, Problem, RemedyStatus, Status
from .remedies import problem_counts
from .selectors import deadlines_answered_by
from .subjects import shown


@login_required
@require_http_methods(["GET", "POST"])
def calendar_feed_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the address; a POST replaces it (the old address stops working)."""
    feed = feed_for(user=request.user, renew=request.method == "POST")
    if request.method == "POST":
        messages.success(request, _("A new address was made; the old one no longer works."))
        return redirect("deadlines:calendar")
    address = request.build_absolute_uri(reverse("deadlines:ical", args=[feed.token]))
    return render(request, "deadlines/calendar_feed.html", {"address": address, "feed": feed})


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = CalendarFeed.objects.select_related("user__organisation").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    deadlines = deadlines_answered_by(user=feed.user)[:FEED_LIMIT]
    today = workdays.today()
    events = events_for(feed.user, today - timedelta(days=30), today + timedelta(days=365), mine=True)
    body = ics(
        deadlines,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        name=f"化解 · {feed.user}",
        events=events[:FEED_LIMIT],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="huajie.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


# --- the calendar of a month, the overdue items, the remedy tasks ------------------------------------

MONTH_PER_DAY = 6
LIST_PAGE_SIZE = 30


def _month(value: str | None) -> date:
    """The first day of the month ``value`` names (``2026-12``), or of this month."""
    if value:
        try:
            year, month = (int(part) for part in value.split("-", 1))
            if 2000 <= year <= 2100 and 1 <= month <= 12:
                return date(year, month, 1)
        except ValueError:
            pass
    today = workdays.today()
    return date(today.year, today.month, 1)


@dataclass(frozen=True)
class Day:
    on: date
    in_month: bool
    rows: list[Any]
    count: int
    rest: bool  # a weekend or holiday of the loaded calendar
    events: list[Any] = field(default_factory=list)  # the apps' timed events (hearings)

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


@login_required
@require_GET
def month_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A month of deadlines on a calendar: every deadline in reach that ends that month (or, ``mine``,
    those the user answers for), a few per day with how many more, each linked to its subject."""
    first = _month(request.GET.get("m"))
    mine = request.GET.get("mine") == "1"
    by_day = selectors.deadlines_in_month(
        user=request.user, year=first.year, month=first.month, mine=mine, per_day=MONTH_PER_DAY
    )
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                Day(
                    on=day,
                    in_month=day.month == first.month,
                    rows=[(d, *shown(d)) for d in by_day.get(day, ([], 0))[0]],
                    count=by_day.get(day, ([], 0))[1],
                    rest=not workdays.is_working_day(day),
                )
                for day in week
            ]
        )
    last = weeks[-1][-1].on
    by_event_day: dict[date, list[Any]] = {}
    for event in events_for(request.user, first, last, mine=mine):
        by_event_day.setdefault(timezone.localtime(event.starts_at, workdays.SHANGHAI).date(), []).append(
            event
        )
    weeks = [[replace(day, events=by_event_day.get(day.on, [])) for day in week] for week in weeks]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return render(
        request,
        "deadlines/month.html",
        {
            "first": first,
            "weeks": weeks,
            "mine": mine,
            "today": workdays.today(),
            "previous": f"{previous:%Y-%m}",
            "following": f"{following:%Y-%m}",
            "total": sum(n for _, n in by_day.values()),
            "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
        },
    )


@login_required
@require_GET
def overdue_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The running deadlines in reach past their last day, counted per body (the centre sees each
    agency's), then listed, the oldest first; ``organisation`` narrows to one body. With ``due`` (a day
    of the month calendar), every deadline ending that day instead."""
    queryset = selectors.deadlines_reachable(user=request.user)
    try:
        day = date.fromisoformat(request.GET.get("due", ""))
    except ValueError:
        day = None
    if day is not None:
        queryset = queryset.filter(due_on=day).exclude(status=Status.CANCELLED)
    else:
        queryset = queryset.filter(selectors.overdue_q())
    organisation = request.GET.get("organisation", "")
    if organisation.isdigit():
        queryset = queryset.filter(responsible_organisation_id=int(organisation))
    page = CappedPaginator(
        queryset.prefetch_related("subject"), LIST_PAGE_SIZE, page=request.GET.get("page")
    ).get_page(request.GET.get("page"))
    today = workdays.today()
    return render(
        request,
        "deadlines/overdue.html",
        {
            "page": page,
            "rows": [(d, *shown(d), (today - d.due_on).days) for d in page],
            "by_organisation": [] if day else selectors.overdue_by_organisation(user=request.user),
            "organisation": int(organisation) if organisation.isdigit() else None,
            "day": day,
        },
    )


@login_required
@require_GET
def remedies_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The remedy tasks (补救) in reach: the 四不问题 per body, then the tasks, open ones first."""
    filterset = RemedyFilter(request.GET or None, queryset=selectors.remedies_reachable(user=request.user))
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
    page = Paginator(queryset, LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "deadlines/remedies.html",
        {
            "page": page,
            "rows": [(r, *shown(r.deadline, act="remedy")) for r in page],
            "counts": problem_counts(selectors.remedies_reachable(user=request.user)),
            "problems": Problem.choices,
            "statuses": RemedyStatus.choices,
            "status": request.GET.get("status", ""),
            "invalid": filterset.is_bound and not filterset.is_valid(),
        },
    )
