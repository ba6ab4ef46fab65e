"""Two people acting at once, on a real database server.

SQLite serialises every write transaction of the whole database (transactions begin IMMEDIATE), so
these races cannot happen there and cannot be shown there: the tests run on PostgreSQL only. Each
thread has its own connection (Django opens one per thread) and closes it at the end; the test
database is really committed to (``transaction=True``), so the threads see each other's work.
"""

from __future__ import annotations

from core.models import NumberSequence
from disputes.choices import Status
from disputes.models import Dispute, DisputeEvent
from disputes.services import TransitionRefused, dispute_transition
from tests.concurrency import POSTGRES_ONLY, run_together
from tests.disputes.factories import County

pytestmark = POSTGRES_ONLY


def test_twenty_registrations_at_once_get_numbers_one_to_twenty():
    c = County()
    results = run_together(*[(lambda i=i: c.register(applicant=f"申请人{i:02d}")) for i in range(20)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert sorted(d.sequence for d in results) == list(range(1, 21))
    assert len({d.number for d in results}) == 20
    assert set(Dispute.objects.values_list("number", flat=True)) == {
        f"〔2026〕郧西化字第{n}号" for n in range(1, 21)
    }
    assert NumberSequence.objects.get(series="case:郧西化", year=2026).last_value == 20


def test_conflicting_transitions_one_wins_the_other_is_told():
    c = County()
    d = c.register()

    def accept():
        return dispute_transition(
            dispute_id=d.pk,
            action="accept",
            actor=c.clerk,
            data={"accepted_on": "2026-03-03"},
            expected_status=Status.REGISTERED,
        )

    def reject():
        return dispute_transition(
            dispute_id=d.pk,
            action="reject",
            actor=c.clerk,
            data={"reason": "不属于受理范围"},
            expected_status=Status.REGISTERED,
        )

    results = run_together(accept, reject)
    refusals = [r for r in results if isinstance(r, TransitionRefused)]
    wins = [r for r in results if isinstance(r, Dispute)]
    assert len(wins) == 1 and len(refusals) == 1, results
    winner = wins[0]
    assert winner.status in (Status.ACCEPTED, Status.REJECTED)
    # The loser is told the case changed and what it is now.
    assert str(Status(winner.status).label) in refusals[0].message
    d.refresh_from_db()
    assert d.status == winner.status
    events = list(DisputeEvent.objects.filter(dispute=d).exclude(action="register"))
    assert len(events) == 1 and events[0].to_status == winner.status
    assert d.history.count() == 2  # registration and the one transition that won


def test_same_action_twice_at_once_is_done_once():
    """A double click arriving on two workers: both succeed, the case is accepted once."""
    c = County()
    d = c.register()

    def accept():
        return dispute_transition(
            dispute_id=d.pk,
            action="accept",
            actor=c.clerk,
            data={"accepted_on": "2026-03-03"},
            expected_status=Status.REGISTERED,
        )

    results = run_together(accept, accept)
    assert all(isinstance(r, Dispute) and r.status == Status.ACCEPTED for r in results), results
    assert DisputeEvent.objects.filter(dispute=d, action="accept").count() == 1
    assert d.resolutions.count() == 1
