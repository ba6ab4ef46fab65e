"""Counting statutory time limits on the mainland-China working-day calendar.

Monday to Friday are working days and weekends are rest days, except where the State Council's yearly
arrangement (``CalendarDay`` rows, loaded with ``manage.py load_calendar``) says otherwise: a listed
holiday is a rest day, a listed make-up working day (调休上班) is a working day.

A year without any rows (next year, until the State Council publishes its arrangement each November) is
counted with a *provisional* calendar: the statutory holidays of 全国年节及纪念日放假办法 (2025 revision)
on their own, without the bridging days and make-up working days only the yearly notice fixes. The lunar
dates and 清明 come from ``lunar_python``, not a hand table. ``calendar_missing_years`` /
``is_provisional_year`` tell callers (the deadlines app marks such deadlines provisional) and the UI.

Apps above core that must react when the calendar's rows change (the deadlines app recomputes its stored
due dates) register with ``on_calendar_edit``; every write to ``CalendarDay`` calls ``calendar_edited``,
and the hooks run once per committed transaction, whatever the number of rows written in it.

All functions are pure apart from reading the calendar, which is loaded in one query and kept
in-process until the calendar changes (a version number in Django's cache, bumped on every change).

This module sits below ``core.models``: ``CalendarDay`` tells it of every change, and it reads the rows
through the app registry rather than by importing the model, so the two never import each other.
"""

from __future__ import annotations

import calendar as _stdlib_calendar
import threading
import time as _time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from lunar_python import Lunar

__all__ = [
    "SHANGHAI",
    "add_days",
    "add_months",
    "add_working_days",
    "calendar_changed",
    "calendar_edited",
    "calendar_missing_years",
    "is_provisional_year",
    "on_calendar_edit",
    "provisional_holidays",
    "days_remaining",
    "deadline_end",
    "is_working_day",
    "next_working_day",
    "working_days_between",
]

SHANGHAI = ZoneInfo("Asia/Shanghai")

VERSION_CACHE_KEY = "core:workdays:calendar-version"
# Safety net for processes that do not share the cache (LocMemCache without Redis): reload at least
# this often even if no version change was seen.
MAX_AGE_SECONDS = 600
# How long the in-process copy is used without asking the shared cache for the version: counting one
# period asks about every day in it, and a recompute counts thousands. An edit in this process is seen
# at once (``calendar_changed`` drops the copy); another process's within this many seconds.
VERSION_CHECK_SECONDS = 1.0

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class _Calendar:
    version: str
    loaded_at: float
    holidays: frozenset[date]
    workdays: frozenset[date]
    years: frozenset[int]

    def is_working_day(self, d: date) -> bool:
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        if d.year not in self.years and d in provisional_holidays(d.year):
            return False
        return d.weekday() < 5

    def roll_forward(self, d: date) -> date:
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d


_loaded: _Calendar | None = None
_checked_at = 0.0  # when this process last confirmed its copy against the shared version


@lru_cache(maxsize=64)
def provisional_holidays(year: int) -> frozenset[date]:
    """The statutory holidays of ``year`` as 全国年节及纪念日放假办法 (国务院令第795号, 2025 revision,
    第二条) fixes them, for a year whose State Council arrangement is not loaded: 元旦 1 day (1 January),
    春节 4 days (除夕 to 正月初三), 清明节 1 day (the solar term), 劳动节 2 days (1–2 May), 端午节 1 day
    (五月初五), 中秋节 1 day (八月十五), 国庆节 3 days (1–3 October). Weekends stay rest days; the yearly
    notice's bridging days and make-up working days cannot be known in advance, so they are left out."""
    new_year = Lunar.fromYmd(year, 1, 1).getSolar()
    spring = date(new_year.getYear(), new_year.getMonth(), new_year.getDay())
    days = {date(year, 1, 1), date(year, 5, 1), date(year, 5, 2)}
    days |= {date(year, 10, d) for d in (1, 2, 3)}
    days |= {spring + timedelta(days=offset) for offset in (-1, 0, 1, 2)}  # 除夕 is the day before 初一
    qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"]
    days.add(date(qingming.getYear(), qingming.getMonth(), qingming.getDay()))
    for month, day in ((5, 5), (8, 15)):  # 端午, 中秋
        solar = Lunar.fromYmd(year, month, day).getSolar()
        days.add(date(solar.getYear(), solar.getMonth(), solar.getDay()))
    return frozenset(days)


def _current_version() -> str:
    return str(cache.get_or_set(VERSION_CACHE_KEY, lambda: uuid.uuid4().hex, timeout=None))


def _bump_version() -> None:
    cache.set(VERSION_CACHE_KEY, uuid.uuid4().hex, timeout=None)


def calendar_changed() -> None:
    """Tell every process to reload the calendar. Called by ``CalendarDay`` on save/delete (also bulk)
    and by ``load_calendar``. Bumps now (so this process sees its own uncommitted change) and again on
    commit (so other processes cannot cache what they read before the commit)."""
    global _loaded
    _loaded = None
    _bump_version()
    transaction.on_commit(_bump_version, robust=True)


CalendarHook = Callable[[frozenset[int] | None], None]
_hooks: list[CalendarHook] = []


class _Batch:
    """The calendar writes of one transaction, handed to the hooks once, when it commits."""

    def __init__(self) -> None:
        self.done = False
        self.all_years = False
        self.years: set[int] = set()

    def add(self, years: Iterable[int] | None) -> None:
        if years is None:
            self.all_years = True
        else:
            self.years.update(years)

    def __call__(self) -> None:
        if self.done:
            return
        self.done = True
        written = None if self.all_years else frozenset(self.years)
        for hook in list(_hooks):
            hook(written)


class _Current(threading.local):
    # Per thread, as Django's connections are: another thread's commit never runs this one's batch.
    batch: _Batch | None = None


_current = _Current()


def on_calendar_edit(hook: CalendarHook) -> CalendarHook:
    """Register ``hook(years)``, called after a transaction that wrote ``CalendarDay`` rows commits, once
    for the whole transaction, with the years written (``None``: unknown, e.g. a bulk update; treat as
    every year). Registered in an app's ``AppConfig.ready()``; core never imports the apps that do."""
    if hook not in _hooks:
        _hooks.append(hook)
    return hook


def calendar_edited(years: Iterable[int] | None) -> None:
    """The calendar's rows were written (``years``: the years touched; ``None`` when unknown). Reloads the
    cache (``calendar_changed``) and runs the ``on_calendar_edit`` hooks once after the transaction
    commits: the first write of a transaction queues a batch with ``on_commit``, the later ones add
    their years to it. A batch that has run, or that a rollback dropped from the connection's commit
    queue, is not reused, so no write is handed on before, or without, its commit."""
    calendar_changed()
    batch = _current.batch
    queued = transaction.get_connection().run_on_commit
    if batch is None or batch.done or not any(entry[1] is batch for entry in queued):
        batch = _current.batch = _Batch()
        batch.add(years)
        transaction.on_commit(batch, robust=True)  # runs at once outside a transaction
        return
    batch.add(years)


def is_provisional_year(year: int) -> bool:
    """Whether ``year`` is counted with the provisional calendar (no published arrangement loaded)."""
    return year not in _calendar().years


def _calendar() -> _Calendar:
    """The calendar for this call: the in-process copy if still current, else one query."""
    global _loaded, _checked_at
    loaded = _loaded
    now = _time.monotonic()
    if loaded is not None and now - _checked_at < VERSION_CHECK_SECONDS:
        return loaded
    version = _current_version()
    if loaded is not None and loaded.version == version and now - loaded.loaded_at < MAX_AGE_SECONDS:
        _checked_at = now
        return loaded
    CalendarDay = apps.get_model("core", "CalendarDay")
    holidays: set[date] = set()
    workdays: set[date] = set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (workdays if kind == CalendarDay.Kind.WORKDAY else holidays).add(day)
    loaded = _Calendar(
        version=version,
        loaded_at=_time.monotonic(),
        holidays=frozenset(holidays),
        workdays=frozenset(workdays),
        years=frozenset(d.year for d in holidays | workdays),
    )
    _loaded, _checked_at = loaded, _time.monotonic()
    return loaded


def is_working_day(d: date) -> bool:
    """Whether ``d`` is a working day: a weekday that is not a statutory holiday, or a weekend day listed
    as a make-up working day (国务院办公厅 yearly holiday arrangement; 全国年节及纪念日放假办法)."""
    return _calendar().is_working_day(d)


def next_working_day(d: date) -> date:
    """The first working day strictly after ``d`` (``d`` itself is never returned)."""
    return _calendar().roll_forward(d + _ONE_DAY)


def add_working_days(start: date, n: int) -> date:
    """The ``n``-th working day after ``start``; ``start`` itself is not counted.

    For the periods of 3, 5, 7 and 10 days in the Administrative Reconsideration Law, which are working
    days (行政复议法 2023 第八十八条), e.g. acceptance review within 5 working days (第三十条). A negative
    ``n`` counts back: the ``|n|``-th working day before ``start`` (e.g. a hearing notice served at least
    5 working days before the hearing, 第五十一条). ``n == 0`` returns ``start`` unchanged.
    """
    cal = _calendar()
    step = _ONE_DAY if n >= 0 else -_ONE_DAY
    remaining = abs(n)
    d = start
    while remaining:
        d += step
        if cal.is_working_day(d):
            remaining -= 1
    return d


def add_days(start: date, n: int) -> date:
    """The end of a period of ``n`` calendar days from ``start``, ``start`` not counted; when that last
    day is a rest day or statutory holiday the period ends on the next working day instead
    (民事诉讼法 第八十五条, applied to administrative litigation by 行政诉讼法 第一百零一条; also the
    "other periods" of 行政复议法 第八十八条, e.g. the 60-day decision period).
    """
    if n < 0:
        raise ValueError("add_days counts forward only; n must be >= 0")
    return _calendar().roll_forward(start + timedelta(days=n))


def add_months(start: date, n: int) -> date:
    """The end of a period of ``n`` months from ``start``: the same day-of-month ``n`` months later, or the
    month's last day when it has no such day (31 January + 1 month = 28/29 February; 民法典 第二百零二条),
    rolled forward to the next working day when that is a rest day or holiday (民事诉讼法 第八十五条).
    For trial periods of 6 or 3 months (行政诉讼法 第八十一条, 第八十八条) and the 6-month limit to sue
    (第四十六条).
    """
    if n < 0:
        raise ValueError("add_months counts forward only; n must be >= 0")
    month_index = start.year * 12 + (start.month - 1) + n
    year, month = divmod(month_index, 12)
    month += 1
    day = min(start.day, _stdlib_calendar.monthrange(year, month)[1])
    return _calendar().roll_forward(date(year, month, day))


def working_days_between(a: date, b: date) -> int:
    """How many working days lie after ``a`` up to and including ``b`` (the counting of
    ``add_working_days``: ``working_days_between(a, add_working_days(a, n)) == n``). Negative when ``b``
    is before ``a``; 0 when they are the same day."""
    if b < a:
        return -working_days_between(b, a)
    cal = _calendar()
    count = 0
    d = a + _ONE_DAY
    while d <= b:
        if cal.is_working_day(d):
            count += 1
        d += _ONE_DAY
    return count


def deadline_end(d: date) -> datetime:
    """The moment a deadline whose last day is ``d`` expires: the end of that day, 23:59:59.999999 Beijing
    time (timezone-aware). A period runs to the end of its last day (民法典 第二百零三条; 民事诉讼法
    第八十五条: documents posted before the period expires are in time)."""
    return datetime.combine(d, time.max, tzinfo=SHANGHAI)


def today() -> date:
    """The day statutory periods are counted against: the current date in Beijing time."""
    return timezone.localdate(timezone=SHANGHAI)


def days_remaining(deadline: date, today: date | None = None) -> int:
    """Calendar days from ``today`` to the last day ``deadline``: 0 on the last day itself (still in
    time until its end), negative once overdue (-1 the day after). ``today`` defaults to the current
    date in Beijing time."""
    if today is None:
        today = timezone.localdate(timezone=SHANGHAI)
    return (deadline - today).days


def calendar_missing_years(start_year: int, end_year: int) -> list[int]:
    """The years from ``start_year`` to ``end_year`` (inclusive) with no calendar rows at all: deadlines
    in them are counted with the provisional calendar (``provisional_holidays``), so the UI should warn
    that the State Council's arrangement for those years has not been loaded."""
    years = _calendar().years
    return [y for y in range(start_year, end_year + 1) if y not in years]
