"""Cases and stage rows in bulk for the report tests: a figure over hundreds of cases (the seeds' published
ones) is built in a few queries, not through the lifecycle one case at a time."""

from __future__ import annotations

import itertools
from datetime import date, datetime, time
from typing import Any

from core import workdays
from disputes.models import Dispute, DisputeEvent, Litigation
from hearings.models import Attendance, Hearing, HearingKind

_serial = itertools.count(1)


def clones(template: Dispute, n: int, **overrides: Any) -> list[Dispute]:
    """``n`` copies of ``template`` (a registered case), each with its own number."""
    fields = {
        f.attname: getattr(template, f.attname) for f in Dispute._meta.concrete_fields if not f.primary_key
    }
    made = []
    for _ in range(n):
        serial = next(_serial)
        made.append(Dispute(**{**fields, "number": f"{template.number}-{serial}", "sequence": 100_000 + serial,
                               **overrides}))  # fmt: skip
    return Dispute.objects.bulk_create(made)


def litigations(cases: list[Dispute], court: Any, decided_on: date, outcomes: list[tuple[str, bool | None]],
                **overrides: Any) -> list[Litigation]:  # fmt: skip
    """One first-instance litigation per (outcome, agency_lost), on the cases in turn."""
    rows = [
        Litigation(
            dispute=cases[i % len(cases)],
            court=court,
            filed_on=decided_on,
            decided_on=decided_on,
            outcome=outcome,
            agency_lost=lost,
            **overrides,
        )
        for i, (outcome, lost) in enumerate(outcomes)
    ]
    return Litigation.objects.bulk_create(rows)


def sessions_held(
    cases: list[Dispute], by: Any, on: date, attended: list[tuple[str, bool]], kind: str = HearingKind.COURT_SESSION,
    must_attend: bool = False,
) -> list[Hearing]:  # fmt: skip
    """One held hearing of ``kind`` per (attended, spoke), with its attendance record."""
    on_case = [cases[i % len(cases)] for i in range(len(attended))]
    events = DisputeEvent.objects.bulk_create(
        DisputeEvent(dispute=d, action="x", actor=by, from_status=d.status, to_status=d.status)
        for d in on_case
    )
    at = datetime.combine(on, time(9), tzinfo=workdays.SHANGHAI)
    hearings = Hearing.objects.bulk_create(
        Hearing(
            dispute=d,
            kind=kind,
            scheduled_by_event=event,
            scheduled_at=at,
            status=Hearing.Status.HELD,
            created_by=by,
            must_attend=must_attend,
        )
        for d, event in zip(on_case, events, strict=True)
    )
    Attendance.objects.bulk_create(
        Attendance(hearing=h, attended=who, head_name="某", spoke=spoke, recorded_by=by)
        for h, (who, spoke) in zip(hearings, attended, strict=True)
    )
    return hearings
