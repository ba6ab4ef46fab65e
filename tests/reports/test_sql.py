"""Every figure against an independent hand-written SQL query, on a generated county of a few thousand
cases: hearings with several attendance records (the latest counts), applications screened more than once,
decisions with chains of visits, litigation in two instances, resolutions with sessions, in the city's two
counties and in a county outside it. The app's numbers, by agency and in total, equal the query's.

The queries are written without the ORM, from the definitions on the dashboard: plain joins and
correlated subqueries, ``CASE`` sums, portable to SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

import pytest
from django.db import connection

from core import workdays
from core.models import Organisation, Region
from core.roles import Role
from disputes.choices import Consent, Source
from disputes.models import (
    Dispute,
    DisputeEvent,
    Litigation,
    Party,
    Reconsideration,
    Resolution,
    ResolutionSession,
)
from followups.models import Visit
from hearings.models import Attendance, Hearing
from legal_aid.models import Application, Assignment, Lawyer, Screening
from reports.metrics import METRICS, Scope, figure_table
from tests.disputes.factories import County
from tests.factories import OrganisationFactory, RegionFactory, user_with_role

pytestmark = pytest.mark.django_db

CASES = 3000
FIRST, LAST = date(2025, 1, 1), date(2026, 12, 31)


def _day(rng: random.Random) -> date:
    return FIRST + timedelta(days=rng.randrange((LAST - FIRST).days + 1))


def _moment(rng: random.Random) -> datetime:
    return datetime.combine(_day(rng), time(rng.randrange(8, 18)), tzinfo=workdays.SHANGHAI)


@pytest.fixture(scope="module")
def county(django_db_setup, django_db_blocker):
    """The generated data, built once for the module (and removed after it)."""
    with django_db_blocker.unblock():
        from django.db import transaction

        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _generate(random.Random(14))
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _generate(rng: random.Random):  # noqa: C901 - one block per table, read top to bottom
    c = County()
    city = c.region.parent
    near = RegionFactory(name="郧阳区", code="420304", level=c.region.level, parent=city)
    far_city = RegionFactory(name="襄阳市", code="420600", level=city.level, parent=city.parent)
    far = RegionFactory(name="谷城县", code="420625", level=c.region.level, parent=far_city)
    third = OrganisationFactory(name="郧阳区人力资源和社会保障局", kind=Organisation.Kind.AGENCY, region=near)
    c.member = user_with_role(
        Role.COMMITTEE_MEMBER,
        organisation=OrganisationFactory(
            name="十堰市行政争议化解委员会", kind=Organisation.Kind.COMMITTEE, region=city
        ),
        name="周建",
    )
    template = c.register()
    regions = [c.region.pk, near.pk, far.pk]
    agencies = [c.agency.pk, c.other_agency.pk, third.pk]
    sources = [Source.COURT_PUSH, Source.WALK_IN, Source.RECONSIDERATION]
    consents = [Consent.GIVEN, Consent.REFUSED, Consent.NOT_ASKED]
    # One bulk insert: the cases.
    fields = {
        f.attname: getattr(template, f.attname) for f in Dispute._meta.concrete_fields if not f.primary_key
    }
    cases = Dispute.objects.bulk_create(
        Dispute(
            **{
                **fields,
                "number": f"G-{i}",
                "sequence": 200_000 + i,
                "region_id": rng.choice(regions),
                "respondent_id": rng.choice(agencies),
                "source": rng.choice(sources),
                "consent": rng.choice(consents),
                "consent_note": "当事人希望直接审理",
                "received_on": _day(rng),
            }
        )  # fmt: skip
        for i in range(CASES)
    )
    clerk = c.clerk
    # Hearings of both kinds, some with no record, some with two (the latest counts).
    hearing_cases = [d for d in cases if rng.random() < 0.35]
    events = DisputeEvent.objects.bulk_create(
        DisputeEvent(dispute=d, action="x", actor=clerk, from_status=d.status, to_status=d.status)
        for d in hearing_cases
    )
    hearings = Hearing.objects.bulk_create(
        Hearing(
            dispute=d,
            kind=rng.choice(["recon_hearing", "court_session", "resolution_meeting"]),
            scheduled_by_event=e,
            scheduled_at=_moment(rng),
            status=Hearing.Status.HELD,
            created_by=clerk,
            must_attend=rng.random() < 0.3,
        )  # fmt: skip
        for d, e in zip(hearing_cases, events, strict=True)
    )
    who = ["principal", "deputy", "staff", "nobody"]
    Attendance.objects.bulk_create(
        Attendance(
            hearing=h, attended=rng.choice(who), head_name="某", spoke=rng.random() < 0.8, recorded_by=clerk
        )
        for h in hearings
        for _ in range(rng.choice([0, 1, 1, 2]))
    )
    # Legal aid: an applicant per case, screened 0–2 times, an application in any status, some assigned.
    aid_cases = [d for d in cases if rng.random() < 0.25]
    parties = Party.objects.bulk_create(Party(dispute=d, role="applicant", name="申请人") for d in aid_cases)
    results = ["eligible", "not_eligible", "needs_review"]
    Screening.objects.bulk_create(
        Screening(dispute_id=p.dispute_id, party=p, computed=r, result=r, screened_by=clerk)
        for p in parties
        for r in rng.sample(results, rng.choice([0, 1, 2]))
    )
    statuses = ["received", "granted", "assigned", "refused", "objected", "ended"]
    applications = Application.objects.bulk_create(
        Application(
            dispute_id=p.dispute_id,
            party=p,
            received_on=_day(rng),
            created_by=clerk,
            status=rng.choice(statuses),
        )  # fmt: skip
        for p in parties
    )
    lawyer = Lawyer.objects.create(
        user=user_with_role(Role.LEGAL_AID_LAWYER, organisation=c.bureau, name="律师")
    )
    Assignment.objects.bulk_create(
        Assignment(
            dispute_id=a.dispute_id,
            application=a,
            lawyer=lawyer,
            assigned_on=a.received_on,
            assigned_by=clerk,
        )
        for a in applications
        if rng.random() < 0.5
    )
    # Decisions with 0–2 visits; a second visit follows the first; any status.
    decided = [d for d in cases if rng.random() < 0.3]
    decisions = DisputeEvent.objects.bulk_create(
        DisputeEvent(
            dispute=d, action="decide", actor=clerk, from_status=d.status, to_status=d.status, at=_moment(rng)
        )  # fmt: skip
        for d in decided
    )
    visit_statuses = ["planned", "done", "unreachable", "cancelled"]
    firsts = Visit.objects.bulk_create(
        Visit(
            dispute_id=e.dispute_id,
            decision_event=e,
            due_on=_day(rng),
            assigned_to=clerk,
            status=rng.choice(visit_statuses),
        )  # fmt: skip
        for e in decisions
        if rng.random() < 0.85
    )
    Visit.objects.bulk_create(
        Visit(
            dispute_id=v.dispute_id,
            decision_event_id=v.decision_event_id,
            due_on=v.due_on + timedelta(days=7),
            assigned_to=clerk,
            status=rng.choice(visit_statuses),
            follows=v,
        )  # fmt: skip
        for v in firsts
        if rng.random() < 0.3
    )
    # Litigation in either instance, concluded or not; reconsiderations decided or not.
    outcomes = ["", "judgment", "ruling", "withdrawal", "mediation"]
    Litigation.objects.bulk_create(
        Litigation(
            dispute=d,
            court=c.court,
            filed_on=_day(rng),
            trial_level=rng.choice(["first", "first", "second"]),
            decided_on=_day(rng) if rng.random() < 0.8 else None,
            outcome=rng.choice(outcomes),
            agency_lost=rng.choice([None, True, False]),
        )  # fmt: skip
        for d in cases
        if rng.random() < 0.3
    )
    decision_types = ["", "uphold", "revoke", "modify", "confirm_illegal", "order_performance", "dismiss"]
    Reconsideration.objects.bulk_create(
        Reconsideration(
            dispute=d,
            accepted_on=_day(rng),
            decided_on=_day(rng) if rng.random() < 0.8 else None,
            decision_type=rng.choice(decision_types),
        )  # fmt: skip
        for d in cases
        if rng.random() < 0.25
    )
    # Resolutions: agreed, failed, transferred or still open, with sessions that may record an intent.
    resolutions = Resolution.objects.bulk_create(
        Resolution(
            dispute=d,
            opened_at=_moment(rng),
            agreement_signed_on=_day(rng) if rng.random() < 0.4 else None,
            failure_reason="谈不拢" if rng.random() < 0.2 else "",
            transfer_target="litigation" if rng.random() < 0.1 else "",
        )  # fmt: skip
        for d in cases
        if rng.random() < 0.35
    )
    ResolutionSession.objects.bulk_create(
        ResolutionSession(
            resolution=r, held_on=_day(rng), summary="面谈", intent=rng.random() < 0.4, recorded_by=clerk
        )  # fmt: skip
        for r in resolutions
        for _ in range(rng.choice([0, 1, 2]))
    )
    return c


# --- the hand-written queries -------------------------------------------------------------------------------

HEAD = "u.attended IN ('principal', 'deputy')"
LATEST = """
    SELECT h.id, h.dispute_id, h.must_attend, a.attended, a.spoke
    FROM hearings_hearing h
    JOIN hearings_attendance a ON a.hearing_id = h.id
    WHERE h.kind = %(kind)s AND h.scheduled_at >= %(start)s AND h.scheduled_at < %(end)s
      AND NOT EXISTS (
        SELECT 1 FROM hearings_attendance b
        WHERE b.hearing_id = a.hearing_id
          AND (b.recorded_at > a.recorded_at OR (b.recorded_at = a.recorded_at AND b.id > a.id)))
"""
ELIGIBLE = (
    "(u.status IN ('granted', 'assigned', 'ended') OR (u.status = 'received' AND u.screened = 'eligible'))"
)
DUE = "(u.done = 1 OR u.first_due <= %(today)s)"

QUERIES: dict[str, tuple[str, list[str]]] = {
    # code: (the rows, one per unit with its dispute_id; [numerator, denominator, *beside] conditions)
    "pushed_rate": (
        "SELECT d.id AS dispute_id, d.consent FROM disputes_dispute d"
        " WHERE d.source = 'court_push' AND d.received_on >= %(first)s AND d.received_on <= %(last)s",
        ["u.consent = 'given'", "u.consent <> 'refused'", "u.consent = 'refused'"],
    ),
    "hearing_head_rate": (
        LATEST.replace("%(kind)s", "'recon_hearing'"),
        [HEAD, "1 = 1", "u.attended = 'principal'", f"{HEAD} AND NOT u.spoke"],
    ),
    "court_head_rate": (
        LATEST.replace("%(kind)s", "'court_session'"),
        [HEAD, "1 = 1", "u.attended = 'principal'", f"{HEAD} AND NOT u.spoke"],
    ),
    "must_attend_rate": (
        LATEST.replace("%(kind)s", "'court_session'"),
        [f"u.must_attend AND {HEAD}", "u.must_attend"],
    ),
    "legal_aid_coverage": (
        """SELECT a.dispute_id, a.status,
             (SELECT s.result FROM legal_aid_screening s WHERE s.party_id = a.party_id
              ORDER BY s.screened_at DESC, s.id DESC LIMIT 1) AS screened,
             (SELECT COUNT(*) FROM legal_aid_assignment g WHERE g.application_id = a.id) AS lawyers
           FROM legal_aid_application a WHERE a.received_on >= %(first)s AND a.received_on <= %(last)s""",
        [f"{ELIGIBLE} AND u.lawyers > 0", ELIGIBLE, f"{ELIGIBLE} AND u.lawyers = 0"],
    ),
    "followup_rate": (
        """SELECT e.dispute_id,
             CASE WHEN EXISTS (SELECT 1 FROM followups_visit v WHERE v.decision_event_id = e.id
                               AND v.status = 'done') THEN 1 ELSE 0 END AS done,
             COALESCE(
               (SELECT MIN(v.due_on) FROM followups_visit v WHERE v.decision_event_id = e.id
                AND v.status <> 'cancelled' AND v.follows_id IS NULL),
               (SELECT MIN(v.due_on) FROM followups_visit v WHERE v.decision_event_id = e.id
                AND v.status <> 'cancelled')) AS first_due
           FROM disputes_disputeevent e
           WHERE e.action = 'decide' AND e.at >= %(start)s AND e.at < %(end)s""",
        [f"{DUE} AND u.done = 1", DUE, "u.done = 0 AND u.first_due > %(today)s", f"{DUE} AND u.done = 0"],
    ),
    "mediation_withdrawal_rate": (
        "SELECT l.dispute_id, l.outcome FROM disputes_litigation l WHERE l.trial_level = 'first'"
        " AND l.outcome <> '' AND l.decided_on >= %(first)s AND l.decided_on <= %(last)s",
        [
            "u.outcome IN ('withdrawal', 'mediation')",
            "1 = 1",
            "u.outcome = 'withdrawal'",
            "u.outcome = 'mediation'",
        ],
    ),
    "loss_rate": (
        "SELECT l.dispute_id, l.agency_lost FROM disputes_litigation l WHERE l.trial_level = 'first'"
        " AND l.outcome <> '' AND l.decided_on >= %(first)s AND l.decided_on <= %(last)s",
        ["u.agency_lost IS NOT NULL AND u.agency_lost", "1 = 1"],
    ),
    "correction_rate": (
        "SELECT r.dispute_id, r.decision_type FROM disputes_reconsideration r WHERE r.decision_type <> ''"
        " AND r.decided_on >= %(first)s AND r.decided_on <= %(last)s",
        ["u.decision_type IN ('revoke', 'modify', 'confirm_illegal', 'order_performance')", "1 = 1"],
    ),
    "resolution_success_rate": (
        """SELECT r.dispute_id, r.agreement_signed_on, r.failure_reason, r.transfer_target,
             (SELECT COUNT(*) FROM disputes_resolutionsession s WHERE s.resolution_id = r.id AND s.intent) AS intents
           FROM disputes_resolution r WHERE r.opened_at >= %(start)s AND r.opened_at < %(end)s""",
        [
            "u.agreement_signed_on IS NOT NULL",
            "1 = 1",
            "u.agreement_signed_on IS NULL AND u.intents > 0 AND u.failure_reason = '' AND u.transfer_target = ''",
            "u.agreement_signed_on IS NULL AND (u.failure_reason <> '' OR u.transfer_target <> '')",
        ],
    ),
}


def hand_counts(code: str, regions: list[int], first: date, last: date) -> dict[int, tuple[int, ...]]:
    rows, conditions = QUERIES[code]
    ops = connection.ops
    start = datetime.combine(first, time.min, tzinfo=workdays.SHANGHAI)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=workdays.SHANGHAI)
    params = {
        "first": ops.adapt_datefield_value(first),
        "last": ops.adapt_datefield_value(last),
        "start": ops.adapt_datetimefield_value(start),
        "end": ops.adapt_datetimefield_value(end),
        "today": ops.adapt_datefield_value(workdays.today()),
    }
    sums = ", ".join(f"SUM(CASE WHEN {q} THEN 1 ELSE 0 END)" for q in conditions)
    in_regions = ", ".join(str(int(r)) for r in regions)
    sql = (
        f"SELECT d.respondent_id, {sums} FROM ({rows}) u JOIN disputes_dispute d ON d.id = u.dispute_id"
        f" WHERE d.region_id IN ({in_regions}) GROUP BY d.respondent_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {agency: tuple(int(n or 0) for n in counts) for agency, *counts in cursor.fetchall()}


@pytest.mark.parametrize(
    "first, last", [(date(2026, 1, 1), date(2026, 12, 31)), (date(2025, 4, 1), date(2025, 6, 30))]
)
def test_every_figure_equals_an_independent_sql_query(county, first, last):
    user = county.member
    scope = Scope(user, first, last)
    city = Region.objects.get(pk=user.organisation.region_id)
    regions = list(Region.objects.filter(path__startswith=city.path).values_list("pk", flat=True))
    table = figure_table(scope)
    checked = 0
    for metric in METRICS:
        expected = hand_counts(metric.code, regions, first, last)
        app = {
            agency: (
                parts[metric.code].numerator,
                parts[metric.code].denominator,
                *(parts[metric.code].beside[name] for name in metric.beside),
            )  # fmt: skip
            for agency, parts in table.agencies.items()
            if metric.code in parts
        }
        assert app == expected, metric.code
        total = metric.count(scope)
        assert total.numerator == sum(e[0] for e in expected.values()), metric.code
        assert total.denominator == sum(e[1] for e in expected.values()), metric.code
        checked += sum(e[1] for e in expected.values())
    assert checked > 300  # the data is there: the figures counted hundreds of units
