"""The statutory clocks of a case: what is due, by when, and whether it is overdue.

One clock runs at a time: the one the current status is waiting on. ``CLOCKS`` declares them all, once;
two readers interpret that table and nothing else:

* ``current_clock(dispute)``, in Python, for the case page header (due date, days left);
* ``overdue_q(today)``, in SQL, for the list's overdue flag and filter and the home-page counts.

A test holds the two to the same answer for every status, around holidays, with extensions and
suspensions (``tests/disputes/test_rules.py``). Periods of the Administrative Reconsideration Law of
3, 5, 7 and 10 days are working days (第八十八条); the others are calendar days whose last day moves
to the next working day (``core.workdays``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from functools import reduce
from operator import or_
from typing import Any, cast

from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    Func,
    IntegerField,
    Model,
    OuterRef,
    Q,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core import workdays

from .choices import Status
from .models import Dispute, DisputeEvent

RECON_OPEN = (Status.RECON_ACCEPTED, Status.RECON_REPLIED, Status.RECON_HEARING)

ACCEPTANCE_REVIEW_WORKING_DAYS = 5  # 行政复议法 第三十条
CORRECTION_WORKING_DAYS = 10  # 行政复议法 第三十一条
DECISION_DAYS = 60  # 行政复议法 第六十二条
DECISION_DAYS_SIMPLIFIED = 30  # 行政复议法 第六十二条 (simplified procedure)


@dataclass(frozen=True)
class ClockRule:
    """One statutory clock. It runs while the case is in one of ``statuses``; its dates are on the case
    itself, or on the current row of the stage ``row`` (``Dispute.current_row``). Its deadline is one of:

    * ``due_field``: a deadline stored as a date (set by the action that started the clock);
    * ``working_days`` after ``start_field`` (or after the day of the latest timeline event
      ``start_event``), the start not counted;
    * ``calendar_days`` after ``start_field`` (``short_days`` instead when the row's boolean field
      ``short_days[0]`` is set), plus the day counts in ``added_fields`` (extension, suspension), the
      last day moved to the next working day.

    The clock stops once ``stopped_by`` (a date field) is set, and stands still (no deadline, shown as
    paused) while the case is in one of ``paused_in``.
    """

    statuses: tuple[str, ...]
    label: Promise
    basis: Promise | str = ""
    row: str = ""
    due_field: str = ""
    start_field: str = ""
    start_event: str = ""
    working_days: int = 0
    calendar_days: int = 0
    short_days: tuple[str, int] | None = None
    added_fields: tuple[str, ...] = ()
    stopped_by: str = ""
    paused_in: tuple[str, ...] = ()
    paused_basis: Promise | str = ""

    def __post_init__(self):
        kinds = [bool(self.due_field), bool(self.working_days), bool(self.calendar_days)]
        if sum(kinds) != 1:
            raise ValueError("A clock has exactly one of due_field, working_days, calendar_days.")
        if (self.working_days or self.calendar_days) and not (self.start_field or self.start_event):
            raise ValueError("A period needs start_field or start_event.")
        if self.start_event and (self.row or not self.working_days):
            raise ValueError("start_event is for working-day periods of the case itself.")
        if self.calendar_days and not self.row:
            raise ValueError("Calendar-day periods are counted on a stage row.")


CLOCKS: tuple[ClockRule, ...] = (
    ClockRule(
        statuses=(Status.REGISTERED,),
        label=_("Acceptance review"),
        basis=_("Administrative Reconsideration Law, Art. 30: 5 working days"),
        start_field="received_on",
        working_days=ACCEPTANCE_REVIEW_WORKING_DAYS,
    ),
    ClockRule(
        statuses=(Status.CORRECTION,),
        label=_("Correction period"),
        basis=_("Administrative Reconsideration Law, Art. 31: 10 working days"),
        start_event="request_correction",
        working_days=CORRECTION_WORKING_DAYS,
    ),
    ClockRule(
        statuses=(Status.ACCEPTED, Status.MEDIATING),
        label=_("Resolution period"),
        basis=_("30 days, extendable"),
        row="resolutions",
        due_field="due_on",
    ),
    RECON_DECISION := ClockRule(
        statuses=RECON_OPEN,
        label=_("Reconsideration decision"),
        basis=_("Administrative Reconsideration Law, Art. 62: 60 days (simplified procedure 30)"),
        row="reconsiderations",
        start_field="accepted_on",
        calendar_days=DECISION_DAYS,
        short_days=("simplified", DECISION_DAYS_SIMPLIFIED),
        added_fields=("extension_days", "suspended_days"),
        stopped_by="decided_on",
        # 第三十九条: suspension stops the clock; the suspended days are added on resumption.
        paused_in=(Status.RECON_SUSPENDED,),
        paused_basis=_("Administrative Reconsideration Law, Art. 39"),
    ),
    ClockRule(
        statuses=(Status.LIT_NOTICED,),
        label=_("Answer to the court"),
        basis=_("Administrative Litigation Law, Art. 67: 15 days"),
        row="litigations",
        due_field="answer_due",
        stopped_by="answered_on",
    ),
    ClockRule(
        statuses=(Status.PERFORMANCE,),
        label=_("Performance"),
        due_field="perform_by",
        stopped_by="performed_on",
    ),
)


def clock_rule(status: str) -> ClockRule | None:
    """The rule of the clock that runs (or stands still) in ``status``, if any."""
    return next((r for r in CLOCKS if status in r.statuses or status in r.paused_in), None)


def today_in_china() -> date:
    """The day statutory periods are counted against (Beijing time)."""
    return timezone.localdate(timezone=workdays.SHANGHAI)


# --- the Python reader: the case page -------------------------------------------------------------


@dataclass(frozen=True)
class Clock:
    label: str
    due: date | None
    days_remaining: int | None
    basis: str = ""
    paused: bool = False

    @property
    def overdue(self) -> bool:
        return self.days_remaining is not None and self.days_remaining < 0

    @property
    def days_overdue(self) -> int:
        remaining = self.days_remaining
        return -remaining if remaining is not None and remaining < 0 else 0

    @property
    def due_today(self) -> bool:
        return self.days_remaining == 0


def _last_event_day(dispute: Dispute, action: str) -> date | None:
    # Uses the prefetched timeline when the page loaded it; one small query otherwise.
    events = [e for e in dispute.events.all() if e.action == action]
    if not events:
        return None
    latest = max(events, key=lambda e: (e.at, e.pk))
    return timezone.localtime(latest.at, workdays.SHANGHAI).date()


def _period_days(rule: ClockRule, holder) -> int:
    days = rule.calendar_days
    if rule.short_days and getattr(holder, rule.short_days[0]):
        days = rule.short_days[1]
    return days + sum(getattr(holder, f) or 0 for f in rule.added_fields)


def deadline(rule: ClockRule, holder, dispute: Dispute | None = None) -> date | None:
    """The last day of ``rule``'s period for ``holder`` (the case, or the stage row the rule names);
    None when the clock has stopped or has nothing to count from. ``dispute`` is needed for a
    period that runs from a timeline event."""
    if rule.stopped_by and getattr(holder, rule.stopped_by):
        return None
    if rule.due_field:
        return getattr(holder, rule.due_field)
    if rule.start_event:
        start = _last_event_day(dispute or holder, rule.start_event)
    else:
        start = getattr(holder, rule.start_field)
    if start is None:
        return None
    if rule.working_days:
        return workdays.add_working_days(start, rule.working_days)
    return workdays.add_days(start, _period_days(rule, holder))


def recon_decision_due(recon) -> date | None:
    """The decision deadline of a reconsideration: 60 days from acceptance (30 under the simplified
    procedure), plus the extension and the days the case was suspended; None once decided."""
    return deadline(RECON_DECISION, recon)


def current_clock(dispute: Dispute, today: date | None = None) -> Clock | None:
    """The clock the case is running against now, or None when no statutory period runs."""
    rule = clock_rule(dispute.status)
    if rule is None:
        return None
    holder = dispute.current_row(rule.row) if rule.row else dispute
    if holder is None:
        return None
    if dispute.status in rule.paused_in:
        # The clock stands still; the deadline is recomputed on resumption.
        return Clock(
            label=str(rule.label), due=None, days_remaining=None, basis=str(rule.paused_basis), paused=True
        )
    due = deadline(rule, holder, dispute)
    if due is None:
        return None
    return Clock(
        label=str(rule.label),
        due=due,
        days_remaining=workdays.days_remaining(due, today),
        basis=str(rule.basis),
    )


# --- the SQL reader: lists and counts -------------------------------------------------------------


class _DaysAfter(Func):
    """Whole calendar days from ``earlier`` to ``later`` (``later - earlier``), both dates."""

    arity = 2
    output_field = IntegerField()

    def __init__(self, later, earlier):
        super().__init__(Cast(later, DateField()), Cast(earlier, DateField()))

    def as_sql(self, compiler, connection, **extra):  # type: ignore[override]  # sets template and arg_joiner itself, so takes no others
        # PostgreSQL: date - date is an integer number of days.
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Dates are ISO text; julianday() of two midnights differs by a whole number.
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def _rule_overdue_q(rule: ClockRule, today: date) -> Q:
    """Cases in ``rule``'s statuses whose deadline lies before ``today``, exactly as ``deadline``:

    * a stored deadline: it lies before today;
    * N working days: the start lies before the N-th working day before today (the working days
      strictly between them are then at least N); the calendar is read in Python, once;
    * N calendar days, rolled to the next working day: the rolled day lies before today exactly when
      start + N <= L, the last working day before today; the days are counted in SQL.
    """
    if rule.due_field:
        late = Q(**{f"{rule.due_field}__lt": today})
    elif rule.working_days:
        cutoff = workdays.add_working_days(today, -rule.working_days)
        if rule.start_event:
            # The latest such event fell on a day before the cutoff: there is one, and none since.
            cutoff_at = datetime.combine(cutoff, time.min, tzinfo=workdays.SHANGHAI)
            events = DisputeEvent.objects.filter(dispute=OuterRef("pk"), action=rule.start_event)
            late = Q(Exists(events)) & ~Q(Exists(events.filter(at__gte=cutoff_at)))
        else:
            late = Q(**{f"{rule.start_field}__lt": cutoff})
    else:
        late = Q(elapsed__gte=F("allowed"))
    if rule.stopped_by:
        late &= Q(**{f"{rule.stopped_by}__isnull": True})
    if not rule.row:
        return Q(status__in=rule.statuses) & late

    model = cast(type[Model], Dispute._meta.get_field(rule.row).related_model)
    rows = model._default_manager.filter(dispute=OuterRef("pk")).filter(Dispute.current_row_q(rule.row))
    if rule.calendar_days:
        allowed: Any = Value(rule.calendar_days)
        if rule.short_days:
            flag, days = rule.short_days
            allowed = Case(
                When(**{flag: True}, then=Value(days)), default=allowed, output_field=IntegerField()
            )
        for added in rule.added_fields:
            allowed = allowed + F(added)
        last_working_day = workdays.add_working_days(today, -1)
        rows = rows.alias(elapsed=_DaysAfter(Value(last_working_day), F(rule.start_field)), allowed=allowed)
    return Q(status__in=rule.statuses) & Q(Exists(rows.filter(late)))


def overdue_q(today: date | None = None) -> Q:
    """Cases whose current statutory clock ran out before ``today`` (Beijing time by default): the SQL
    twin of ``current_clock(dispute).overdue``, read from the same ``CLOCKS``. A paused clock is
    never overdue."""
    today = today or today_in_china()
    return reduce(or_, (_rule_overdue_q(rule, today) for rule in CLOCKS))
