"""The one computation of a due date, on the working-day calendar of ``core.workdays``.

``compute_due`` is the only place a due date is worked out; services store its result and everything
else (lists, counts, the overdue filter, reminders) reads the stored date.

Counting (../shared/DEADLINES.md):
- the starting day is not counted (民事诉讼法 第八十五条; 行政复议法 第八十八条);
- working days skip weekends and statutory holidays and count make-up working days (调休);
- calendar days and months end on the same count, and when ``rolls_over`` a last day that is a rest day
  moves to the next working day; months keep the day of the month, or the month's last day;
- a negative length counts back from the event (a notice due at least N days before a hearing); a rest
  day then moves the last day *earlier*, to the previous working day, so the notice is still in time;
- a year with no published calendar is counted with the provisional one, and the result says so.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import formats
from django.utils.translation import gettext as _

from core import workdays

from .models import Unit


@dataclass(frozen=True)
class DueDate:
    due_on: date
    provisional: bool
    explanation: str


def _plus_months(start: date, n: int) -> date:
    index = start.year * 12 + (start.month - 1) + n
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(start.day, _stdlib_calendar.monthrange(year, month)[1]))


def _roll_back(d: date) -> date:
    while not workdays.is_working_day(d):
        d -= timedelta(days=1)
    return d


def _due(start: date, length: int, unit: str, rolls_over: bool) -> date:
    if unit == Unit.WORKING_DAYS:
        return workdays.add_working_days(start, length)
    if unit == Unit.MONTHS:
        if length < 0:
            raise ValueError("A period in months cannot be counted back.")
        end = _plus_months(start, length)
    else:
        end = start + timedelta(days=length)
    if not rolls_over or workdays.is_working_day(end):
        return end
    return workdays.next_working_day(end) if length >= 0 else _roll_back(end)


def unrolled_end(*, start: date, length: int, unit: str) -> date:
    """The period's end before any roll-over: what a suspension counts the days left against, so that
    a roll-over is not counted twice (once before the pause, again after the resumption)."""
    return _due(start, length, unit, rolls_over=False)


def _day(d: date) -> str:
    return formats.date_format(d, "DATE_FORMAT")


def explain(
    *,
    start: date,
    length: int,
    unit: str,
    rolls_over: bool,
    due_on: date,
    fixed: bool = False,
    resumed: bool = False,
) -> str:
    """How the due date was counted, in the active language, e.g. "10 个工作日，自 2026年2月13日 次日起算，
    节假日不计；末日 2026年3月5日". ``fixed``: the last day was set by hand (an extension to a date, a
    date a document fixes), so it is given as set, not as counted. ``resumed``: ``start`` is the day a
    suspension ended and ``length`` the units that were left."""
    if resumed:
        text = explain(
            start=start, length=length, unit=unit, rolls_over=rolls_over, due_on=due_on, fixed=fixed
        )
        return _("Resumed after a suspension: %(text)s") % {"text": text}
    values = {"n": abs(length), "start": _day(start), "due": _day(due_on)}
    if fixed:
        return _("from %(start)s; last day set to %(due)s") % values
    if length < 0:
        if unit == Unit.WORKING_DAYS:
            return _("%(n)d working days before %(start)s, holidays not counted; last day %(due)s") % values
        return _("%(n)d days before %(start)s; last day %(due)s") % values
    if unit == Unit.WORKING_DAYS:
        return (
            _(
                "%(n)d working days, counted from the day after %(start)s, holidays not counted; last day %(due)s"
            )
            % values
        )
    if unit == Unit.MONTHS:
        text = _("%(n)d months from %(start)s") % values
    else:
        text = _("%(n)d days, counted from the day after %(start)s") % values
    if rolls_over and due_on != _due(start, length, unit, rolls_over=False):
        return text + _("; the last day falls on a rest day, so it moves to %(due)s") % values
    return text + _("; last day %(due)s") % values


def compute_due(*, start: date, length: int, unit: str, rolls_over: bool) -> DueDate:
    """The last day of a period of ``length`` ``unit`` from ``start`` (``start`` not counted), whether
    it was counted through a year with only the provisional calendar, and how it was counted."""
    due_on = _due(start, length, unit, rolls_over)
    first, last = sorted((start, due_on))
    # A roll-over may look one day past the computed end; the years of both ends cover it but for the
    # rare roll across 31 December, which lands in due_on's year anyway.
    provisional = bool(workdays.calendar_missing_years(first.year, last.year))
    return DueDate(
        due_on=due_on,
        provisional=provisional,
        explanation=explain(start=start, length=length, unit=unit, rolls_over=rolls_over, due_on=due_on),
    )
