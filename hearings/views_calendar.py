"""The hearings calendar page: a week (the default) or a month of hearings within the user's reach, by
centre, room, respondent agency or person, or the user's own. Filter values that are not numbers and
days that are not days are set aside with a note, never an error."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from core import workdays
from core.http import AuthenticatedHttpRequest
from core.models import Organisation, User

from .calendar import (
    CALENDAR_LIMIT,
    MONTH,
    WEEK,
    calendar_hearings,
    month_grid,
    period,
    week_grid,
)
from .models import Hearing, HearingKind, Room
from .selectors import hearings_reachable

FILTERS = ("centre", "room", "agency", "person")


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return None
    return day if 2000 <= day.year <= 2100 else None


def _id(value: str | None) -> int | None:
    value = (value or "").strip()
    if value.isdigit() and len(value) <= 10 and int(value) < 2**31:
        return int(value)
    return None


def _choices(user: User) -> dict[str, list[tuple[int, str]]]:
    """What the selects offer, from the hearings within reach (and the user's own organisation's rooms
    and the user): one query each, whatever the number of hearings."""
    reachable = hearings_reachable(user=user)
    used = Q(pk__in=reachable.filter(room__isnull=False).values("room_id"))
    own = Q(organisation_id=user.organisation_id, is_active=True) if user.organisation_id else Q(pk__in=[])
    rooms = Room.objects.filter(used | own)
    officers = Hearing.officers.through.objects.filter(hearing_id__in=reachable.values("pk"))
    people = User.objects.filter(
        Q(pk__in=reachable.filter(presiding__isnull=False).values("presiding_id"))
        | Q(pk__in=reachable.filter(clerk__isnull=False).values("clerk_id"))
        | Q(pk__in=officers.values("user_id"))
        | Q(pk=user.pk)
    )
    return {
        "centre": [
            (o.pk, o.short_name or o.name)
            for o in Organisation.objects.filter(pk__in=reachable.values("dispute__centre_id")).order_by(
                "name"
            )
        ],
        "room": [
            (r.pk, f"{r.organisation.short_name or r.organisation.name} · {r.name}")
            for r in rooms.select_related("organisation").order_by("organisation__name", "name")
        ],
        "agency": [
            (o.pk, o.name)
            for o in Organisation.objects.filter(pk__in=reachable.values("dispute__respondent_id")).order_by(
                "name"
            )
        ],
        "person": [(p.pk, str(p)) for p in people.order_by("name", "username")],
    }


@login_required
@require_GET
def hearing_calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    today = workdays.today()
    view = MONTH if request.GET.get("view") == MONTH else WEEK
    notes: list[str] = []
    raw_day = request.GET.get("day")
    day = _day(raw_day)
    if day is None:
        if raw_day:
            notes.append(_("“%(value)s” is not a day (YYYY-MM-DD): showing today.") % {"value": raw_day[:40]})
        day = today
    filters: dict[str, int] = {}
    for name in FILTERS:
        raw = request.GET.get(name, "")
        if not raw:
            continue
        value = _id(raw)
        if value is None:
            notes.append(
                _("The filter “%(value)s” was not understood and is left out.") % {"value": raw[:40]}
            )
        else:
            filters[name] = value
    mine = request.GET.get("mine") == "1"

    first, last = period(view, day)
    hearings = calendar_hearings(user=user, first=first, last=last, mine=mine, **filters)
    if view == MONTH:
        weeks = month_grid(hearings, day, today=today)
        previous = (day.replace(day=1) - timedelta(days=1)).replace(day=1)
        following = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    else:
        weeks = [week_grid(hearings, day, today=today)]
        previous, following = first - timedelta(days=7), first + timedelta(days=7)

    kept: dict[str, Any] = {"view": view, **filters}
    if mine:
        kept["mine"] = "1"

    def link(**changes: Any) -> str:
        params = {**kept, **changes}
        return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})

    choices = _choices(user)
    return render(
        request,
        "hearings/calendar.html",
        {
            "view": view,
            "day": day,
            "first": first,
            "last": last,
            "today": today,
            "weeks": weeks,
            "hearings": hearings,
            "truncated": len(hearings) >= CALENDAR_LIMIT,
            "limit": CALENDAR_LIMIT,
            "weekdays": [WEEKDAYS_ABBR[i] for i in range(7)],
            "mine": mine,
            "filters": filters,
            "selects": [
                (name, label, choices[name], filters.get(name))
                for name, label in (
                    ("centre", _("Centre")),
                    ("room", _("Room")),
                    ("agency", _("Respondent agency")),
                    ("person", _("Panel member")),
                )
                if choices[name] or name in filters
            ],
            "notes": notes,
            "kinds": HearingKind.choices,
            "previous_url": link(day=previous.isoformat()),
            "next_url": link(day=following.isoformat()),
            "today_url": link(day=""),
            "week_url": link(view=WEEK, day=day.isoformat()),
            "month_url": link(view=MONTH, day=day.isoformat()),
            "mine_url": link(mine="1", day=day.isoformat()),
            "everyone_url": link(mine=None, day=day.isoformat()),
            "clear_url": "?"
            + urlencode({"view": view, "day": day.isoformat(), **({"mine": "1"} if mine else {})}),
        },
    )
