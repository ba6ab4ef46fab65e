"""Reads of the hearings app, scoped by the case's reach (``core.access`` through ``disputes``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from core.access import scoped
from core.models import User
from disputes.models import Dispute

from .models import Attendance, HeadAnswer, Hearing


def hearing_list(*, user: User, dispute: Dispute) -> QuerySet[Hearing]:
    """The hearings of ``dispute``, earliest first; none when the case is out of ``user``'s reach."""
    reachable = scoped(Dispute.objects.filter(pk=dispute.pk), user)
    return (
        Hearing.objects.filter(dispute__in=reachable)
        .select_related("created_by")
        .order_by("scheduled_at", "pk")
    )


def hearings_reachable(*, user: User) -> QuerySet[Hearing]:
    """Every hearing ``user`` may see (its case within their reach), soonest first."""
    return (
        scoped(Hearing.objects.all(), user)
        .select_related("dispute__respondent", "dispute__centre")
        .order_by("scheduled_at", "pk")
    )


def current_answer(hearing: Hearing) -> HeadAnswer | None:
    """The agency's answer that counts: its latest."""
    return hearing.head_answers.select_related("answered_by").order_by("-answered_at", "-pk").first()


def current_attendance(hearing: Hearing) -> Attendance | None:
    """The attendance record that counts: the latest (the others were corrected)."""
    return hearing.attendances.select_related("recorded_by").order_by("-recorded_at", "-pk").first()


def awaiting_answer(*, user: User) -> QuerySet[Hearing]:
    """The scheduled hearings of ``user``'s agency that it has not answered yet, soonest first."""
    if user.organisation_id is None:
        return Hearing.objects.none()
    return (
        Hearing.objects.filter(
            dispute__respondent_id=user.organisation_id,
            status=Hearing.Status.SCHEDULED,
            head_answers__isnull=True,
        )
        .select_related("dispute")
        .order_by("scheduled_at", "pk")
    )


@dataclass(frozen=True)
class Participation:
    """The heads' participation in a set of hearings, from the latest attendance record of each held one
    (行政机关负责人参与听证率, seed 000; 负责人出庭应诉率, seeds 001/003/004), with the hearings behind each
    figure (their ids)."""

    held: list[int]
    with_head: list[int]
    with_principal: list[int]
    silent_heads: list[int]  # a head attended and did not speak to the substance (出庭不出声)

    @staticmethod
    def _rate(part: list[int], whole: list[int]) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(len(part)) * 100 / Decimal(len(whole))).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    @property
    def head_rate(self) -> Decimal | None:
        return self._rate(self.with_head, self.held)

    @property
    def principal_rate(self) -> Decimal | None:
        return self._rate(self.with_principal, self.held)


def head_participation(hearings: QuerySet[Hearing]) -> Participation:
    """``Participation`` of ``hearings`` (scope and period them first): the held ones are those with an
    attendance record; the latest record of each counts. Two queries."""
    latest = (
        Attendance.objects.filter(hearing=OuterRef("hearing"))
        .order_by("-recorded_at", "-pk")
        .values("pk")[:1]
    )
    records = list(
        Attendance.objects.filter(hearing__in=hearings.values("pk"), pk=Subquery(latest))
        .values_list("hearing_id", "attended", "spoke")
        .order_by("hearing_id")
    )
    heads = (Attendance.Attended.PRINCIPAL, Attendance.Attended.DEPUTY)
    return Participation(
        held=[h for h, _, _ in records],
        with_head=[h for h, attended, _ in records if attended in heads],
        with_principal=[h for h, attended, _ in records if attended == Attendance.Attended.PRINCIPAL],
        silent_heads=[h for h, attended, spoke in records if attended in heads and not spoke],
    )
