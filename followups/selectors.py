"""Reads of the followups app: the clerk's visits, and the figures (100%进行决定后回访, seed 000) that
``reports`` shows, each with the cases behind it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet

from core import workdays
from core.models import User
from disputes.models import Dispute, DisputeEvent

from .models import Visit


def _rate(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FollowupFigures:
    """Per decision (its first visit and the attempts after it): due ones, followed up (reached by a
    visit), missed (due and not reached), not yet due (shown apart, not hidden); the satisfaction of
    the visits that reached the applicant; the cases reopened after a visit, and of them those resolved
    (an agreement reached since)."""

    due: list[int] = field(default_factory=list)  # decision event ids
    followed_up: list[int] = field(default_factory=list)
    missed: list[int] = field(default_factory=list)
    not_yet_due: list[int] = field(default_factory=list)
    satisfaction: dict[str, int] = field(default_factory=dict)
    satisfied: int = 0
    reached: int = 0
    reopened: list[int] = field(default_factory=list)  # dispute ids
    reopened_resolved: list[int] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        """决定后回访率: of the decisions whose visit is due, those followed up."""
        return _rate(len(self.followed_up), len(self.due))

    @property
    def satisfaction_rate(self) -> Decimal | None:
        return _rate(self.satisfied, self.reached)


SATISFIED = (Visit.Satisfaction.VERY_SATISFIED, Visit.Satisfaction.SATISFIED)


def followup_figures(disputes: QuerySet[Dispute], today: date | None = None) -> FollowupFigures:
    """The figures of ``disputes`` (scope and period them first). A decision is followed up when one of
    its visits reached the applicant; due when its first visit's day has come (or it was followed up
    early); missed when due and not followed up. Two queries and one for the reopened cases."""
    today = today or workdays.today()
    visits = list(
        Visit.objects.filter(dispute__in=disputes.values("pk"))
        .exclude(status=Visit.Status.CANCELLED)
        .order_by("decision_event_id", "pk")
        .values(
            "decision_event_id",
            "dispute_id",
            "status",
            "due_on",
            "satisfaction",
            "reopened_by_id",
            "follows_id",
        )
    )
    by_decision: dict[int, list[Any]] = {}
    for row in visits:
        by_decision.setdefault(row["decision_event_id"], []).append(row)
    due: list[int] = []
    followed_up: list[int] = []
    missed: list[int] = []
    not_yet_due: list[int] = []
    satisfaction: dict[str, int] = {}
    reopened_at: dict[int, int] = {}  # dispute id -> the reopening event's id
    for decision, rows in sorted(by_decision.items()):
        firsts = [r["due_on"] for r in rows if r["follows_id"] is None] or [r["due_on"] for r in rows]
        done = [r for r in rows if r["status"] == Visit.Status.DONE]
        if done or min(firsts) <= today:
            due.append(decision)
            (followed_up if done else missed).append(decision)
        else:
            not_yet_due.append(decision)
        for r in done:
            satisfaction[r["satisfaction"]] = satisfaction.get(r["satisfaction"], 0) + 1
            if r["reopened_by_id"]:
                reopened_at[r["dispute_id"]] = max(reopened_at.get(r["dispute_id"], 0), r["reopened_by_id"])
    agreements = DisputeEvent.objects.filter(
        dispute_id__in=list(reopened_at), action__in=("reach_agreement", "adopt_series_agreement")
    ).values_list("dispute_id", "pk")
    resolved = {dispute for dispute, event in agreements if event > reopened_at[dispute]}
    return FollowupFigures(
        due=due,
        followed_up=followed_up,
        missed=missed,
        not_yet_due=not_yet_due,
        satisfaction=satisfaction,
        satisfied=sum(n for s, n in satisfaction.items() if s in SATISFIED),
        reached=sum(satisfaction.values()),
        reopened=sorted(reopened_at),
        reopened_resolved=sorted(resolved),
    )


def my_visits(*, user: User) -> QuerySet[Visit]:
    """The planned visits assigned to ``user``, soonest due first."""
    return (
        Visit.objects.filter(assigned_to=user, status=Visit.Status.PLANNED)
        .select_related("dispute")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class PerformanceFigures:
    """Every duty to perform (the agreement's terms, a decision ordering the agency to act, an effective
    judgment: the case's ``performance`` clocks): due ones, performed on time, late or not at all; the
    ones not yet due apart."""

    due: list[int] = field(default_factory=list)  # clock ids
    on_time: list[int] = field(default_factory=list)
    late_or_missed: list[int] = field(default_factory=list)
    not_yet_due: list[int] = field(default_factory=list)

    @property
    def rate(self) -> Decimal | None:
        """按期履行率: of the duties due, those performed by their day."""
        return _rate(len(self.on_time), len(self.due))


def performance_figures(disputes: QuerySet[Dispute], today: date | None = None) -> PerformanceFigures:
    """``PerformanceFigures`` of ``disputes`` (scope and period them first), in one query; a duty whose
    clock was cancelled (the case withdrawn, the decision set aside) is not counted."""
    from deadlines.models import Status as ClockStatus
    from disputes.clocks import case_deadlines

    today = today or workdays.today()
    rows = list(
        case_deadlines()
        .filter(subject_id__in=disputes.values("pk"), rule__code="performance")
        .exclude(status=ClockStatus.CANCELLED)
        .order_by("pk")
        .values_list("pk", "status", "due_on", "met_on")
    )
    figures = PerformanceFigures()
    for pk, status, due_on, met_on in rows:
        if status == ClockStatus.MET or due_on < today:
            figures.due.append(pk)
            in_time = status == ClockStatus.MET and met_on is not None and met_on <= due_on
            (figures.on_time if in_time else figures.late_or_missed).append(pk)
        else:
            figures.not_yet_due.append(pk)
    return figures
