"""Writes to deadlines: planned by the event that starts a clock, moved by the events that pause, resume,
extend, correct or end it, and recomputed when the holiday calendar changes. Every change of a due date
or status writes a ``DeadlineChange``.

Called by the apps that own the subjects (inside their own transaction: each service is atomic and
joins the caller's). Keyword-only; idempotent: repeating a call with the same arguments changes nothing
and records nothing. A subject is any model instance registered with ``deadlines.subjects``; a clock is
named by ``(subject, rule_code, key)``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Model, Q, QuerySet

from core import workdays

from .arithmetic import compute_due, unrolled_end
from .models import ChangeReason, Deadline, DeadlineChange, DeadlineRule, Status, Unit
from .remedies import remedy_follow
from .reminders import reminders_plan
from .subjects import adapter_for, clocks_changed

if TYPE_CHECKING:
    from core.models import Organisation, Region, User

__all__ = [
    "DeadlineError",
    "deadline_cancel",
    "deadline_correct_start",
    "deadline_extend",
    "deadline_meet",
    "deadline_pause",
    "deadline_plan",
    "deadline_resume",
    "deadlines_recompute",
]

RUNNING = (Status.OPEN, Status.PAUSED)


class DeadlineError(ValueError):
    """A request the deadline cannot follow (e.g. extending a met deadline)."""


def _subject_filter(subject: Model) -> dict[str, Any]:
    adapter_for(subject)  # raises LookupError for an unregistered subject model
    return {"subject_type": ContentType.objects.get_for_model(subject), "subject_id": subject.pk}


def _for_subject(subject: Model) -> QuerySet[Deadline]:
    return Deadline.objects.select_for_update().filter(**_subject_filter(subject)).select_related("rule")


def _one(subject: Model, rule_code: str, key: str) -> Deadline | None:
    return _for_subject(subject).filter(rule__code=rule_code, key=key).first()


def _subjects_changed(deadlines: Iterable[Deadline]) -> None:
    """Tell the subjects' apps which subjects' clocks changed (``deadlines.subjects.clocks_changed``)."""
    by_type: dict[int, set[int]] = {}
    for deadline in deadlines:
        by_type.setdefault(deadline.subject_type_id, set()).add(deadline.subject_id)
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is not None:
            clocks_changed(model._meta.label_lower, ids)


def _record(
    deadline: Deadline,
    *,
    old_due_on: date | None,
    old_status: str,
    reason: str,
    actor: User | None,
    note: str = "",
    notify: bool = True,
) -> DeadlineChange:
    """Write the change, bring the clock's reminders and remedy in line, and (unless a batch tells them
    itself) tell the subject's app."""
    reminders_plan(deadline)
    remedy_follow(deadline, actor=actor)
    if notify:
        _subjects_changed([deadline])
    return DeadlineChange.objects.create(
        deadline=deadline,
        old_due_on=old_due_on,
        new_due_on=deadline.due_on,
        old_status=old_status,
        new_status=deadline.status,
        reason=reason,
        note=note,
        actor=actor,
    )


def _recount(deadline: Deadline) -> None:
    """Set ``due_on`` and ``provisional`` from the deadline's present count."""
    due = compute_due(
        start=deadline.count_from,
        length=deadline.count_length,
        unit=deadline.count_unit,
        rolls_over=deadline.rolls_over,
    )
    deadline.due_on, deadline.provisional = due.due_on, due.provisional


def _set_due(deadline: Deadline, due_on: date | None) -> None:
    if due_on is None:
        deadline.due_fixed = False
        _recount(deadline)
    else:
        deadline.due_on, deadline.due_fixed = due_on, True
        deadline.provisional = workdays.is_provisional_year(due_on.year)


@transaction.atomic
def deadline_plan(
    *,
    subject: Model,
    rule_code: str,
    starts_on: date,
    key: str = "",
    responsible_organisation: Organisation,
    responsible_person: User | None = None,
    region: Region,
    actor: User | None = None,
    start_event: str = "",
    due_on: date | None = None,
) -> Deadline | None:
    """Start the clock ``rule_code`` for ``subject`` on ``starts_on`` (the event's day, not counted).

    ``due_on`` is for a clock whose last day a document fixes rather than the rule's length (the
    performance date of a decision, a resolution period agreed with the parties): it is stored as set
    by hand (no calendar change moves it), counted as calendar days from ``starts_on``.

    Planning the same clock again with the same start changes nothing; with another start it counts
    again from it (the rule's present length and unit) and reopens it, recording ``replanned``.
    Returns ``None`` when the rule is switched off (``is_active``): a centre may drop a local rule
    without the calling code changing."""
    rule = DeadlineRule.objects.get(code=rule_code)
    existing = _one(subject, rule_code, key)
    if not rule.is_active and existing is None:
        return None
    count: dict[str, Any] = {"count_from": starts_on, "count_length": rule.length, "count_unit": rule.unit}
    if due_on is not None:
        if due_on < starts_on:
            raise DeadlineError("A fixed last day cannot come before the start.")
        count = {
            "count_from": starts_on,
            "count_length": (due_on - starts_on).days,
            "count_unit": Unit.CALENDAR_DAYS,
        }
    people = {
        "responsible_organisation": responsible_organisation,
        "responsible_person": responsible_person,
        "region": region,
    }
    if existing is None:
        deadline = Deadline(
            rule=rule,
            key=key,
            start_event=start_event or rule.start_event,
            starts_on=starts_on,
            length=rule.length,
            unit=rule.unit,
            rolls_over=rule.rolls_over,
            status=Status.OPEN,
            **count,
            **people,
            **_subject_filter(subject),
        )
        _set_due(deadline, due_on)
        deadline.save()
        _record(deadline, old_due_on=None, old_status="", reason=ChangeReason.PLANNED, actor=actor)
        return deadline

    deadline = existing
    same_people = all(
        getattr(deadline, f"{name}_id") == getattr(value, "pk", None) for name, value in people.items()
    )
    if (
        deadline.starts_on == starts_on
        and deadline.status in RUNNING
        and (due_on is None or due_on == deadline.due_on)
    ):
        if not same_people:  # the clock is the same; who answers for it changed
            for name, value in people.items():
                setattr(deadline, name, value)
            deadline.save()
        return deadline
    old_due, old_status = deadline.due_on, deadline.status
    for name, value in {**count, **people}.items():
        setattr(deadline, name, value)
    deadline.starts_on = starts_on
    deadline.start_event = start_event or deadline.start_event
    deadline.length, deadline.unit, deadline.rolls_over = rule.length, rule.unit, rule.rolls_over
    deadline.status = Status.OPEN
    deadline.met_on = deadline.paused_on = deadline.paused_days_left = None
    _set_due(deadline, due_on)
    deadline.save()
    _record(deadline, old_due_on=old_due, old_status=old_status, reason=ChangeReason.REPLANNED, actor=actor)
    return deadline


@transaction.atomic
def deadline_meet(
    *, subject: Model, rule_code: str, key: str = "", met_on: date, actor: User | None
) -> Deadline | None:
    """The event the clock waited for happened on ``met_on`` (reply received, answer filed, decision
    recorded). In time when ``met_on <= due_on`` (``Deadline.met_in_time``); a missed deadline met late
    is met too, so reports see the day. ``None`` when no such clock was planned."""
    deadline = _one(subject, rule_code, key)
    if deadline is None or deadline.status in (Status.MET, Status.CANCELLED):
        return deadline
    old_status = deadline.status
    deadline.status, deadline.met_on = Status.MET, met_on
    deadline.save()
    _record(deadline, old_due_on=deadline.due_on, old_status=old_status, reason=ChangeReason.MET, actor=actor)
    return deadline


def _units_left(deadline: Deadline, on: date) -> int:
    if deadline.count_unit == Unit.WORKING_DAYS:
        left = workdays.working_days_between(on, deadline.due_on)
    elif deadline.due_fixed:
        left = (deadline.due_on - on).days
    else:
        end = unrolled_end(start=deadline.count_from, length=deadline.count_length, unit=deadline.count_unit)
        left = (end - on).days
    return max(left, 0)


@transaction.atomic
def deadline_pause(
    *, subject: Model, on: date, actor: User | None, rule_codes: Iterable[str] | None = None
) -> list[Deadline]:
    """Stop the running clocks of ``subject`` (or those of ``rule_codes``) on ``on``, a suspension
    (中止, 行政复议法 第三十九条): each keeps the units still to run after ``on``. Clocks counted back
    from an event (a notice before a hearing) hang on that event's date, not on elapsed time: they are
    not paused."""
    queryset = _for_subject(subject).filter(status=Status.OPEN, count_length__gt=0)
    if rule_codes is not None:
        queryset = queryset.filter(rule__code__in=list(rule_codes))
    paused = []
    for deadline in queryset:
        deadline.paused_days_left = _units_left(deadline, on)
        deadline.paused_on = on
        deadline.status = Status.PAUSED
        deadline.save()
        _record(
            deadline,
            old_due_on=deadline.due_on,
            old_status=Status.OPEN,
            reason=ChangeReason.SUSPENSION,
            actor=actor,
        )
        paused.append(deadline)
    return paused


@transaction.atomic
def deadline_resume(*, subject: Model, on: date, actor: User | None) -> list[Deadline]:
    """Restart the paused clocks of ``subject`` on ``on`` with the units they had left: the new last
    day is that many units after ``on`` (months are carried as calendar days)."""
    resumed = []
    for deadline in _for_subject(subject).filter(status=Status.PAUSED):
        old_due = deadline.due_on
        deadline.count_from = on
        deadline.count_length = deadline.paused_days_left or 0
        if deadline.count_unit == Unit.MONTHS:
            deadline.count_unit = Unit.CALENDAR_DAYS
        deadline.status = Status.OPEN
        deadline.paused_on = deadline.paused_days_left = None
        deadline.due_fixed = False
        _recount(deadline)
        deadline.save()
        _record(
            deadline,
            old_due_on=old_due,
            old_status=Status.PAUSED,
            reason=ChangeReason.RESUMPTION,
            actor=actor,
        )
        resumed.append(deadline)
    return resumed


@transaction.atomic
def deadline_extend(
    *,
    subject: Model,
    rule_code: str,
    key: str = "",
    by_days: int | None = None,
    new_due_on: date | None = None,
    reason: str,
    actor: User | None,
) -> Deadline:
    """Extend one running clock, by ``by_days`` units of its count (e.g. +30 days for the decision,
    行政复议法 第六十二条: counted from the start, so the roll-over applies to the new end) or to
    ``new_due_on`` (a date no calendar change moves afterwards). ``reason`` is kept in the history
    (who approved, when the parties were told)."""
    if (by_days is None) == (new_due_on is None):
        raise DeadlineError("Give either by_days or new_due_on.")
    deadline = _one(subject, rule_code, key)
    if deadline is None or deadline.status != Status.OPEN:
        raise DeadlineError("Only a running deadline can be extended.")
    old_due = deadline.due_on
    if by_days is not None:
        if by_days <= 0 or deadline.count_unit == Unit.MONTHS or deadline.count_length < 0:
            raise DeadlineError("An extension by days needs a positive number and a count in days.")
        if deadline.due_fixed:
            deadline.due_on = compute_due(
                start=deadline.due_on,
                length=by_days,
                unit=deadline.count_unit,
                rolls_over=deadline.rolls_over,
            ).due_on
        else:
            deadline.count_length += by_days
            _recount(deadline)
    else:
        assert new_due_on is not None
        if new_due_on <= deadline.due_on:
            raise DeadlineError("An extension must move the last day later.")
        deadline.due_on, deadline.due_fixed = new_due_on, True
        deadline.provisional = workdays.is_provisional_year(new_due_on.year)
    deadline.save()
    _record(
        deadline,
        old_due_on=old_due,
        old_status=Status.OPEN,
        reason=ChangeReason.EXTENSION,
        actor=actor,
        note=reason,
    )
    return deadline


@transaction.atomic
def deadline_cancel(
    *,
    subject: Model,
    rule_codes: Iterable[str] | None = None,
    reason: str,
    actor: User | None,
    on: date | None = None,
    judge: bool = True,
    key: str | None = None,
) -> list[Deadline]:
    """End the running (or paused) clocks that no longer apply, e.g. when the case leaves a stage on
    ``on`` (Beijing date; default: today). A clock whose last day had already ended by then, without
    the event it waited for, ends as *missed* (a fact reports count); the others are cancelled.
    ``judge=False`` cancels them all: for a period that was an option not taken (an appeal), or a duty
    whose day was not recorded. ``key`` keeps to the clocks of one occurrence (one hearing of several).
    Returns the clocks ended, missed ones included."""
    if on is None:
        on = workdays.today()
    queryset = _for_subject(subject).filter(status__in=RUNNING)
    if rule_codes is not None:
        queryset = queryset.filter(rule__code__in=list(rule_codes))
    if key is not None:
        queryset = queryset.filter(key=key)
    ended = []
    for deadline in queryset:
        old_status = deadline.status
        missed = judge and old_status == Status.OPEN and deadline.due_on < on
        deadline.status = Status.MISSED if missed else Status.CANCELLED
        deadline.save()
        _record(
            deadline,
            old_due_on=deadline.due_on,
            old_status=old_status,
            reason=ChangeReason.MISSED if missed else ChangeReason.CANCELLED,
            actor=actor,
            note=reason,
        )
        ended.append(deadline)
    return ended


@transaction.atomic
def deadline_correct_start(
    *, subject: Model, rule_code: str, key: str = "", starts_on: date, actor: User | None, note: str = ""
) -> Deadline | None:
    """The starting event's date was recorded wrongly: count again from ``starts_on``, keeping the
    length (with any extension). A clock already resumed after a suspension keeps counting from the
    resumption; only its recorded start changes."""
    deadline = _one(subject, rule_code, key)
    if deadline is None or deadline.starts_on == starts_on:
        return deadline
    old_due, old_start = deadline.due_on, deadline.starts_on
    if deadline.count_from == old_start:
        deadline.count_from = starts_on
    deadline.starts_on = starts_on
    if deadline.status in RUNNING and not deadline.due_fixed:
        _recount(deadline)
    deadline.save()
    _record(
        deadline,
        old_due_on=old_due,
        old_status=deadline.status,
        reason=ChangeReason.DATE_CORRECTED,
        actor=actor,
        note=note or f"{old_start:%Y-%m-%d} → {starts_on:%Y-%m-%d}",
    )
    return deadline


def _calendar_reason(deadline: Deadline, old_due: date, was_provisional: bool) -> str:
    if was_provisional and not deadline.provisional:
        return ChangeReason.PROVISIONAL_REPLACED
    # More rest days push a period's end later, and a notice counted back from an event earlier.
    more_rest_days = (deadline.due_on > old_due) == (deadline.count_length > 0)
    return ChangeReason.HOLIDAY_ADDED if more_rest_days else ChangeReason.HOLIDAY_REMOVED


def deadlines_recompute(*, reason: str | None = None, years: Iterable[int] | None = None) -> int:
    """Count every running clock again after the calendar changed (``years``: the years written, or
    ``None`` for all). A clock moves only if its last day changes, or its provisional mark does; each
    move is recorded with ``reason`` or, when none is given, the reason read from the move (later, or
    earlier for a notice counted back from an event: rest days added, ``holiday_added``; the other way:
    ``holiday_removed``; no longer provisional: ``provisional_replaced``). Met, missed and cancelled deadlines keep the dates they were judged by; paused
    ones are counted when they resume; dates set by hand are left. Returns how many moved.

    Runs in batches of short transactions, so a recompute of many clocks does not hold locks long."""
    queryset = Deadline.objects.filter(status=Status.OPEN, due_fixed=False)
    year_list = sorted(set(years)) if years is not None else None
    if year_list:
        first, last = date(year_list[0], 1, 1), date(year_list[-1], 12, 31)
        # The counted span runs from count_from to due_on, or back from count_from for a notice period.
        touches = Q(count_from__lte=last, due_on__gte=first) | Q(due_on__lte=last, count_from__gte=first)
        queryset = queryset.filter(touches | Q(provisional=True))
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    moved = 0
    for offset in range(0, len(ids), 500):
        with transaction.atomic():
            batch = Deadline.objects.select_for_update().filter(
                pk__in=ids[offset : offset + 500], status=Status.OPEN, due_fixed=False
            )
            changed = []
            for deadline in batch:
                old_due, was_provisional = deadline.due_on, deadline.provisional
                _recount(deadline)
                if (deadline.due_on, deadline.provisional) == (old_due, was_provisional):
                    continue
                deadline.save(update_fields=["due_on", "provisional", "updated_at"])
                _record(
                    deadline,
                    old_due_on=old_due,
                    old_status=Status.OPEN,
                    reason=reason or _calendar_reason(deadline, old_due, was_provisional),
                    actor=None,
                    notify=False,
                )
                changed.append(deadline)
            _subjects_changed(changed)
            moved += len(changed)
    return moved
