"""Reads of deadlines, scoped by ``core.access`` (a deadline carries its subject's region and its
responsible organisation and person). Lists, counts and the overdue filter read the stored ``due_on``;
nothing here computes a date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Model, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.http import QueryDict

from core import workdays
from core.access import scoped

from .filters import DeadlineFilter
from .models import Deadline, Remedy, Status

if TYPE_CHECKING:
    from core.models import User


def _base() -> QuerySet[Deadline]:
    return Deadline.objects.select_related("rule", "responsible_organisation", "subject_type")


def deadlines_reachable(*, user: User | AnonymousUser | None) -> QuerySet[Deadline]:
    """Every deadline ``user`` may see, soonest first."""
    return scoped(_base(), user).order_by("due_on", "pk")


def deadlines_for_subject(
    *, user: User | AnonymousUser | None, subject: Model, subject_reached: bool = False
) -> QuerySet[Deadline]:
    """The deadlines of one subject, soonest first. Scoped by ``core.access`` unless the caller has
    already resolved ``subject`` through its own scoping (``subject_reached=True``): then every clock
    of the subject is shown, as the subject's page shows all of it (an agency sees the centre's
    decision clock on its case)."""
    queryset = _base() if subject_reached else scoped(_base(), user)
    return queryset.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    ).order_by("due_on", "pk")


def deadline_list(*, user: User | AnonymousUser | None, filters: Mapping[str, Any]) -> QuerySet[Deadline]:
    """The reachable deadlines narrowed by ``filters`` (``DeadlineFilter``: status, rule, due_before,
    due_after, organisation). Invalid filters raise ``ValidationError``."""
    data = filters
    if not isinstance(filters, QueryDict):  # a plain dict: each value one item or a list of them
        data = QueryDict(mutable=True)
        for name, value in filters.items():
            data.setlist(name, [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)])
    filterset = DeadlineFilter(data, queryset=deadlines_reachable(user=user))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors.as_json())
    qs: QuerySet[Deadline] = filterset.qs
    return qs


def overdue_q(today: date | None = None) -> Q:
    """Deadlines overdue on ``today`` (Beijing date): still running after the end of their last day. A
    deadline due today is not overdue; a paused one is not running; one that ended unmet is *missed*, a
    closed fact rather than work waiting (``(status, due_on)`` is indexed for this range)."""
    today = today or workdays.today()
    return Q(status=Status.OPEN, due_on__lt=today)


def open_deadlines_overdue_count(*, user: User | AnonymousUser | None, today: date | None = None) -> int:
    """The home page's overdue count: one indexed count over the stored rows the user reaches."""
    return scoped(Deadline.objects.all(), user).filter(overdue_q(today)).count()


def deadlines_answered_by(*, user: User) -> QuerySet[Deadline]:
    """The running clocks ``user`` answers for, soonest first: those naming them, and all of their
    organisation's when they hold its duties (``core.roles.DUTY_ROLES``: an agency's
    liaison, a centre's clerk). The home page's 我的期限 and the calendar feed."""
    from core.roles import DUTY_ROLES

    if not user.is_active or user.organisation is None:
        return Deadline.objects.none()
    mine = Q(responsible_person=user)
    if set(DUTY_ROLES.get(user.organisation.kind, ())) & set(user.role_codes):
        mine |= Q(responsible_organisation=user.organisation)
    return (
        Deadline.objects.filter(mine, status=Status.OPEN)
        .select_related("rule", "subject_type")
        .prefetch_related("subject")  # one query per kind of subject, not one per row
        .order_by("due_on", "pk")
    )


def remedies_reachable(*, user: User | AnonymousUser | None) -> QuerySet[Remedy]:
    """The remedy tasks ``user`` may see (their organisation's, or their regions' for the centre), open
    ones first, oldest miss first, with their clocks' rules and subjects for display."""
    return (
        scoped(Remedy.objects.all(), user)
        .select_related("deadline__rule", "deadline__subject_type", "organisation", "remedied_by")
        .prefetch_related("deadline__subject")
        .order_by("-status", "missed_on", "pk")
    )


def deadlines_in_month(
    *, user: User, year: int, month: int, mine: bool = False, per_day: int = 6
) -> dict[date, tuple[list[Deadline], int]]:
    """The month calendar: for each day of the month with deadlines ending on it (running, met or
    missed; not cancelled), the first ``per_day`` of them and how many there are, within ``user``'s
    reach (or, ``mine``, the running ones they answer for). Two queries (and one per kind of subject):
    the counts by day, then the first rows of each day (a window ranking them)."""
    from calendar import monthrange

    first, last = date(year, month, 1), date(year, month, monthrange(year, month)[1])
    base = deadlines_answered_by(user=user) if mine else scoped(Deadline.objects.all(), user)
    in_month = base.filter(due_on__range=(first, last)).exclude(status=Status.CANCELLED)
    counts = dict(in_month.order_by().values_list("due_on").annotate(n=Count("pk")))
    ranked = in_month.annotate(
        place=Window(RowNumber(), partition_by=[F("due_on")], order_by=[F("pk").asc()])
    ).filter(place__lte=per_day)
    rows = list(
        ranked.select_related("rule", "subject_type", "responsible_organisation")
        .prefetch_related("subject")
        .order_by("due_on", "pk")
    )
    days: dict[date, tuple[list[Deadline], int]] = {day: ([], n) for day, n in counts.items()}
    for deadline in rows:
        days[deadline.due_on][0].append(deadline)
    return days


def overdue_by_organisation(
    *, user: User | AnonymousUser | None, today: date | None = None
) -> list[dict[str, Any]]:
    """How many running deadlines each body in ``user``'s reach has overdue, most first: the centre's
    view of the agencies' overdue items."""
    rows: Any = (
        scoped(Deadline.objects.all(), user)
        .filter(overdue_q(today))
        .values(
            "responsible_organisation_id", "responsible_organisation__name", "responsible_organisation__kind"
        )
        .annotate(n=Count("pk"))
        .order_by("-n", "responsible_organisation__name")
    )
    return list(rows)
