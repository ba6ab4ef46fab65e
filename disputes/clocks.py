"""The case's stored clocks as the pages read them: the list's overdue flag and filter, the home-page
counts and the case header. Read only: ``case_deadlines`` plans and moves them (docs/deadlines.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from core import workdays
from deadlines.models import Deadline
from deadlines.models import Status as ClockStatus

from .models import Dispute

RUNNING = (ClockStatus.OPEN, ClockStatus.PAUSED)


def case_deadlines() -> QuerySet[Deadline]:
    """Deadlines whose subject is a case, unfiltered (the content type is cached after the first call)."""
    return Deadline.objects.filter(subject_type=ContentType.objects.get_for_model(Dispute))


def overdue_q(today: date | None = None) -> Q:
    """Cases with a clock still running after the end of its last day on ``today`` (Beijing date by
    default): the list's overdue flag and filter and the home-page counts.

    A case carries the earliest last day among its open clocks (``Dispute.next_due_on``, kept by
    ``case_deadlines.clocks_changed`` whenever the deadline engine moves or ends a clock), so the test is
    a range on one indexed column of the case, for a county's list or a province's count alike, and the
    list, the counts, the case page and the API cannot disagree: all read the stored deadlines."""
    # ``IS NOT NULL`` first: as the list's flag, a case without a running clock is false, not unknown.
    return Q(next_due_on__isnull=False, next_due_on__lt=today or workdays.today())


@dataclass(frozen=True)
class Clock:
    """The case header's clock: the running deadline that ends first (or, with none running, a paused
    one). The deadlines card lists them all."""

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


def deadline_rows(dispute: Dispute) -> list[Deadline]:
    """Every deadline of the case, soonest first, with its rule and responsible body: the rows the case
    page's header, stage cards and deadlines card share. Read once per case object: a page reads the
    case, then these, then renders (a case object that outlives a transition must be read again)."""
    rows: list[Deadline] | None = dispute.__dict__.get("_deadline_rows")
    if rows is None:
        rows = list(
            case_deadlines()
            .filter(subject_id=dispute.pk)
            .select_related("rule", "responsible_organisation")
            .order_by("due_on", "pk")
        )
        dispute.__dict__["_deadline_rows"] = rows
    return rows


def running_deadlines(dispute: Dispute) -> list[Deadline]:
    """The case's running clocks (open or paused), soonest first, with their rules."""
    return [d for d in deadline_rows(dispute) if d.status in RUNNING]


def current_clock(running: list[Deadline], today: date | None = None) -> Clock | None:
    """The clock the case is running against now (see ``Clock``) among its ``running_deadlines``, or
    None when none runs."""
    first = next((d for d in running if d.status == ClockStatus.OPEN), None)
    if first is not None:
        return Clock(
            label=first.rule.label,
            due=first.due_on,
            days_remaining=workdays.days_remaining(first.due_on, today),
            basis=first.rule.basis,
        )
    if running:
        rule = running[0].rule
        return Clock(label=rule.label, due=None, days_remaining=None, basis=rule.basis, paused=True)
    return None
