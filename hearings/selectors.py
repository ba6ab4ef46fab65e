"""Reads of the hearings app, scoped by the case's reach (``core.access`` through ``disputes``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from core import workdays
from core.access import scoped
from core.models import User
from deadlines.calendar import Event
from disputes.models import Dispute

from .models import Attendance, HeadAnswer, Hearing, HearingKind


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
    must_attend: list[int] = field(default_factory=list)  # held hearings marked must-attend
    must_attend_with_head: list[int] = field(default_factory=list)

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

    @property
    def must_attend_rate(self) -> Decimal | None:
        """应出尽出率: of the held hearings the head had to attend, those a head attended."""
        return self._rate(self.must_attend_with_head, self.must_attend)


def head_participation(hearings: QuerySet[Hearing]) -> Participation:
    """``Participation`` of ``hearings`` (scope, period and kind them first): the held ones are those with
    an attendance record; the latest record of each counts. One query."""
    return _participation(_latest_records(hearings))


def participation_by_kind(hearings: QuerySet[Hearing]) -> dict[str, Participation]:
    """``Participation`` per kind of hearing, every kind present (an empty one has no rates): the heads'
    participation in reconsideration hearings (行政机关负责人参与听证率, seed 000), their appearance in court
    sessions (负责人出庭应诉率, seeds 001/003/004) and their attendance at resolution meetings. One query."""
    records = _latest_records(hearings)
    return {kind: _participation([r for r in records if r[4] == kind]) for kind in HearingKind.values}


def _latest_records(hearings: QuerySet[Hearing]) -> list[tuple[int, str, bool, bool, str]]:
    latest = (
        Attendance.objects.filter(hearing=OuterRef("hearing"))
        .order_by("-recorded_at", "-pk")
        .values("pk")[:1]
    )
    return list(
        Attendance.objects.filter(hearing__in=hearings.values("pk"), pk=Subquery(latest))
        .values_list("hearing_id", "attended", "spoke", "hearing__must_attend", "hearing__kind")
        .order_by("hearing_id")
    )


def _participation(records: list[tuple[int, str, bool, bool, str]]) -> Participation:
    heads = (Attendance.Attended.PRINCIPAL, Attendance.Attended.DEPUTY)
    return Participation(
        held=[r[0] for r in records],
        with_head=[r[0] for r in records if r[1] in heads],
        with_principal=[r[0] for r in records if r[1] == Attendance.Attended.PRINCIPAL],
        silent_heads=[r[0] for r in records if r[1] in heads and not r[2]],
        must_attend=[r[0] for r in records if r[3]],
        must_attend_with_head=[r[0] for r in records if r[3] and r[1] in heads],
    )


def calendar_events(user: User, first: date, last: date, mine: bool) -> list[Event]:
    """The hearings on ``user``'s calendars (registered with ``deadlines.calendar.register_events``):
    with ``mine``, those they attend (they preside, keep the record or sit as an officer, their agency is
    the respondent, or they scheduled it); otherwise every hearing within their reach. Called-off
    hearings are left out. Each is titled with its kind and case."""
    from django.db.models import Exists, Q
    from django.utils.translation import gettext as _

    from .services import HEARING_LENGTH

    start = datetime.combine(first, time.min, tzinfo=workdays.SHANGHAI)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=workdays.SHANGHAI)
    if mine:
        officers = Hearing.officers.through.objects.filter(hearing_id=OuterRef("pk"), user_id=user.pk)
        hearings = Hearing.objects.filter(
            Q(created_by=user)
            | Q(dispute__respondent_id=user.organisation_id)
            | Q(presiding=user)
            | Q(clerk=user)
            | Q(Exists(officers))
        )
    else:
        hearings = scoped(Hearing.objects.all(), user)
    rows = (
        hearings.filter(scheduled_at__gte=start, scheduled_at__lt=end)
        .exclude(status=Hearing.Status.CANCELLED)
        .select_related("dispute")
        .order_by("scheduled_at", "pk")[:500]
    )
    return [
        Event(
            uid=f"hearing-{h.pk}",
            starts_at=h.scheduled_at,
            duration=HEARING_LENGTH,
            title=_("%(kind)s %(case)s") % {"kind": h.get_kind_display(), "case": h.dispute.number},
            place=h.place,
            url=h.get_absolute_url(),
            updated_at=h.created_at,
        )
        for h in rows
    ]
