"""The hearings calendar: the hearings of a week or a month (Beijing time) within the user's reach,
narrowed to a room, a respondent agency, a centre, a person or the user's own, laid out on a week
(Monday to Sunday) or a month grid. Reads only: what may be seen is ``hearings_reachable``'s reach."""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core import workdays
from core.models import User

from .models import Hearing
from .selectors import hearings_reachable

CALENDAR_LIMIT = 500  # hearings on one page: a month of a busy county holds far fewer

WEEK, MONTH = "week", "month"


def _involving(person_id: int) -> Q:
    """The hearings ``person_id`` sits on (presiding, clerk or an officer) or scheduled. The officers
    are asked with ``EXISTS`` so that no hearing is repeated."""
    officers = Hearing.officers.through.objects.filter(hearing_id=OuterRef("pk"), user_id=person_id)
    return (
        Q(presiding_id=person_id) | Q(clerk_id=person_id) | Q(created_by_id=person_id) | Q(Exists(officers))
    )


def calendar_hearings(
    *,
    user: User,
    first: date,
    last: date,
    room: int | None = None,
    agency: int | None = None,
    person: int | None = None,
    centre: int | None = None,
    mine: bool = False,
) -> list[Hearing]:
    """The hearings within ``user``'s reach held from ``first`` to ``last`` (Beijing days, both
    included), called-off ones left out, soonest first, at most ``CALENDAR_LIMIT``. ``room``, ``agency``
    (the respondent), ``centre`` and ``person`` (a user on the panel or who scheduled it) narrow them;
    ``mine``: those ``user`` sits on, scheduled, or whose respondent is their organisation. Three
    queries whatever their number: the hearings with their case, room and people, and the officers."""
    start = datetime.combine(first, time.min, tzinfo=workdays.SHANGHAI)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=workdays.SHANGHAI)
    hearings = hearings_reachable(user=user).filter(scheduled_at__gte=start, scheduled_at__lt=end)
    hearings = hearings.exclude(status=Hearing.Status.CANCELLED)
    if room is not None:
        hearings = hearings.filter(room_id=room)
    if agency is not None:
        hearings = hearings.filter(dispute__respondent_id=agency)
    if centre is not None:
        hearings = hearings.filter(dispute__centre_id=centre)
    if person is not None:
        hearings = hearings.filter(_involving(person))
    if mine:
        own = _involving(user.pk)
        if user.organisation_id is not None:
            own |= Q(dispute__respondent_id=user.organisation_id)
        hearings = hearings.filter(own)
    return list(
        hearings.select_related("dispute__respondent", "dispute__centre", "room", "presiding", "clerk")
        .prefetch_related("officers")
        .order_by("scheduled_at", "pk")[:CALENDAR_LIMIT]
    )


# --- the grids -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    on: date
    hearings: list[Hearing]
    in_period: bool  # in the month shown (a month grid starts and ends with the neighbours' days)
    rest: bool  # a weekend or holiday of the loaded calendar
    today: bool


def week_span(day: date) -> tuple[date, date]:
    """The Monday and the Sunday of ``day``'s week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def month_weeks(day: date) -> list[list[date]]:
    """The weeks (Monday to Sunday) that show ``day``'s month, its neighbours' days filling them."""
    return _stdlib_calendar.Calendar(firstweekday=0).monthdatescalendar(day.year, day.month)


def period(view: str, day: date) -> tuple[date, date]:
    """The first and last day shown by ``view`` (``week`` or ``month``) around ``day``."""
    if view == MONTH:
        weeks = month_weeks(day)
        return weeks[0][0], weeks[-1][-1]
    return week_span(day)


def hearing_day(hearing: Hearing) -> date:
    return timezone.localtime(hearing.scheduled_at, workdays.SHANGHAI).date()


def _by_day(hearings: list[Hearing]) -> dict[date, list[Hearing]]:
    days: dict[date, list[Hearing]] = {}
    for hearing in sorted(hearings, key=lambda h: (h.scheduled_at, h.pk)):
        days.setdefault(hearing_day(hearing), []).append(hearing)
    return days


def _day(on: date, by_day: dict[date, list[Hearing]], *, in_period: bool, today: date) -> CalendarDay:
    return CalendarDay(
        on=on,
        hearings=by_day.get(on, []),
        in_period=in_period,
        rest=not workdays.is_working_day(on),
        today=on == today,
    )


def week_grid(hearings: list[Hearing], day: date, *, today: date | None = None) -> list[CalendarDay]:
    """``day``'s week, Monday to Sunday, each day with its hearings in time order."""
    today = today or workdays.today()
    by_day = _by_day(hearings)
    monday, _sunday = week_span(day)
    return [_day(monday + timedelta(days=n), by_day, in_period=True, today=today) for n in range(7)]


def month_grid(hearings: list[Hearing], day: date, *, today: date | None = None) -> list[list[CalendarDay]]:
    """``day``'s month as weeks × 7 days, each day with its hearings in time order."""
    today = today or workdays.today()
    by_day = _by_day(hearings)
    return [
        [_day(on, by_day, in_period=on.month == day.month, today=today) for on in week]
        for week in month_weeks(day)
    ]
