"""Reads of the legal-aid app: each party's standing, the lawyer's cases, and the coverage figure
(符合条件的行政案件提供法律援助100%, seed 000), which ``reports`` shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from core import workdays
from core.access import scoped
from core.models import User
from disputes.models import Dispute, Party

from .models import Application, Assignment, Result, Screening
from .services import AIDED_ROLES


@dataclass(frozen=True)
class Gap:
    """An eligible applicant still without a lawyer: the case to open and how long they have waited."""

    application_id: int
    dispute_id: int
    case_number: str
    party: str
    status: str
    waiting_since: date
    days_waiting: int


@dataclass(frozen=True)
class Coverage:
    applied: list[int]  # application ids: eligible applicants (the denominator)
    assigned: list[int]  # of them, those who were assigned a lawyer (the numerator)
    gaps: list[Gap]
    not_applied: list[int]  # party ids: screened eligible, without a representative, never applied

    @property
    def rate(self) -> Decimal | None:
        if not self.applied:
            return None
        return (Decimal(len(self.assigned)) * 100 / Decimal(len(self.applied))).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


ELIGIBLE_STATUSES = (
    Application.Status.GRANTED,
    Application.Status.ASSIGNED,
    Application.Status.ENDED,
)


def aid_coverage(disputes: QuerySet[Dispute], today: date | None = None) -> Coverage:
    """The coverage of ``disputes`` (scope and period them first). An eligible applicant is a party whose
    application was granted (provisionally, or on objection), or awaits the decision with the party's
    latest screening eligible; a refused one was found not eligible. Assigned: a lawyer was assigned to
    it (even if the aid later ended). The gaps: eligible applicants without a lawyer yet, the longest
    waiting first. Beside them, the parties screened eligible (latest screening) who have not applied."""
    today = today or workdays.today()
    latest = (
        Screening.objects.filter(party=OuterRef("party")).order_by("-screened_at", "-pk").values("result")[:1]
    )
    applications = list(
        Application.objects.filter(dispute__in=disputes.values("pk"))
        .annotate(
            screened=Subquery(latest),
            has_lawyer=Exists(Assignment.objects.filter(application=OuterRef("pk"))),
        )
        .select_related("dispute", "party")
        .order_by("pk")
    )
    eligible = [
        a
        for a in applications
        if a.status in ELIGIBLE_STATUSES
        or (a.status == Application.Status.RECEIVED and a.screened == Result.ELIGIBLE)
    ]
    assigned = [a.pk for a in eligible if a.has_lawyer]
    gaps = sorted(
        (
            Gap(
                application_id=a.pk,
                dispute_id=a.dispute_id,
                case_number=a.dispute.number,
                party=a.party.name,
                status=a.get_status_display(),
                waiting_since=a.received_on,
                days_waiting=(today - a.received_on).days,
            )
            for a in eligible
            if not a.has_lawyer
        ),
        key=lambda g: (-g.days_waiting, g.application_id),
    )
    party_latest = (
        Screening.objects.filter(party=OuterRef("pk")).order_by("-screened_at", "-pk").values("result")[:1]
    )
    not_applied = list(
        Party.objects.filter(dispute__in=disputes.values("pk"), role__in=AIDED_ROLES)
        .annotate(screened=Subquery(party_latest))
        .filter(screened=Result.ELIGIBLE)
        .exclude(Exists(Application.objects.filter(party=OuterRef("pk"))))
        .exclude(Exists(Party.objects.filter(represents=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Coverage(applied=[a.pk for a in eligible], assigned=assigned, gaps=gaps, not_applied=not_applied)


def applications_reachable(*, user: User) -> QuerySet[Application]:
    return (
        scoped(Application.objects.all(), user)
        .select_related("dispute", "party")
        .order_by("-received_on", "-pk")
    )


def lawyer_cases(*, user: User) -> QuerySet[Assignment]:
    """The running assignments of the lawyer signed in as ``user``."""
    return (
        Assignment.objects.filter(active_user=user)
        .select_related("dispute", "application__party")
        .order_by("-assigned_on", "-pk")
    )
