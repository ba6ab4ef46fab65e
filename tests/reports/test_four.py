"""The four 100% on the committee's dashboard: each figure equals a hand count for its period and scope,
drills down to its cases, and a committee member of another county sees nothing of this one."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from core import workdays
from core.models import Organisation
from core.roles import Role
from disputes.choices import CaseKind, Consent, DecisionType, Source
from disputes.models import DisputeEvent
from followups import services as followups
from followups.models import Visit
from hearings.models import Attendance, Hearing, HearingKind
from reports import periods
from reports.metrics import BY_CODE, Scope
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act
from tests.factories import OrganisationFactory, RegionFactory, user_with_role
from tests.hearings.test_head_attendance import at

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


@pytest.fixture
def c() -> County:
    county = County()
    committee = OrganisationFactory(
        name="郧西县行政争议化解委员会", kind=Organisation.Kind.COMMITTEE, region=county.region
    )
    county.member = user_with_role(Role.COMMITTEE_MEMBER, organisation=committee, name="郑国华")
    return county


def figure(user, code: str, first: date = YEAR[0], last: date = YEAR[1]):
    return BY_CODE[code].compute(Scope(user, first, last))


def test_pushed_rate_counts_consent_and_shows_refusals_beside(c):
    push = {"source": Source.COURT_PUSH, "court": c.court, "court_case_number": "（2026）鄂0322行诉前1号"}
    given = [c.register(consent=Consent.GIVEN, actor=c.court_clerk, **push) for _ in range(3)]
    refused = c.register(
        consent=Consent.REFUSED, consent_note="当事人希望直接审理", actor=c.court_clerk, **push
    )
    c.register()  # a walk-in case: not court-filed
    result = figure(c.member, "pushed_rate")
    assert sorted(result.numerator) == sorted(d.pk for d in given) == sorted(result.denominator)
    assert result.value == Decimal("100.00") and result.beside == {"refused": [refused.pk]}
    # Another period: nothing.
    assert figure(c.member, "pushed_rate", date(2025, 1, 1), date(2025, 12, 31)).value is None


def test_hearing_heads_count_held_reconsideration_hearings_of_the_period(c):
    d = c.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION)

    def held(month: int, attended: str, kind: str = HearingKind.RECON_HEARING) -> Hearing:
        hearing = Hearing.objects.create(
            dispute=d,
            kind=kind,
            scheduled_by_event=DisputeEvent.objects.create(
                dispute=d, action="x", actor=c.clerk, from_status=d.status, to_status=d.status
            ),
            scheduled_at=datetime(2026, month, 10, 9, 0, tzinfo=workdays.SHANGHAI),
            status=Hearing.Status.HELD,
            created_by=c.clerk,
        )
        Attendance.objects.create(
            hearing=hearing, attended=attended, head_name="某", spoke=True, recorded_by=c.clerk
        )
        return hearing

    held(3, "principal"), held(3, "deputy"), held(3, "staff"), held(5, "principal")
    held(3, "nobody", kind=HearingKind.COURT_SESSION)  # a court session is another figure
    march = figure(c.member, "hearing_head_rate", date(2026, 3, 1), date(2026, 3, 31))
    assert (len(march.numerator), len(march.denominator), march.value) == (2, 3, Decimal("66.67"))
    assert len(march.beside["principal"]) == 1
    assert figure(c.member, "hearing_head_rate").value == Decimal("75.00")  # the year: 3 of 4


def test_followup_rate_counts_visits_due_and_shows_those_not_yet_due(c):
    def decided(on: str):
        d = c.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION)
        act(d, "accept", c.clerk, accepted_on="2026-03-03")
        return act(d, "decide", c.clerk, decision_type=DecisionType.UPHOLD, decided_on=on)

    with at(date(2026, 3, 10)):
        visited, missed = decided("2026-03-10"), decided("2026-03-10")
    with at(date(2026, 4, 8)):
        followups.visit_record(
            visit_id=Visit.objects.get(dispute=visited).pk,
            actor=c.clerk,
            data={
                "visited_on": "2026-04-08",
                "method": "phone",
                "reached_applicant": "yes",
                "reached": "申请人本人",
                "satisfaction": "satisfied",
                "performed": "yes",
                "resolvable": "no",
            },
        )
    with at(date(2026, 4, 20)):
        later = decided("2026-04-20")
        result = figure(c.member, "followup_rate")
    assert result.numerator == [visited.pk] and sorted(result.denominator) == sorted([visited.pk, missed.pk])
    assert result.value == Decimal("50.00")
    assert result.beside == {"not_yet_due": [later.pk], "missed": [missed.pk]}


def test_the_dashboard_is_the_committees_and_drills_down_to_the_cases(c):
    push = {"source": Source.COURT_PUSH, "court": c.court, "court_case_number": "（2026）鄂0322行诉前2号"}
    d = c.register(consent=Consent.GIVEN, actor=c.court_clerk, **push)
    member = Client()
    member.force_login(c.member)
    page = member.get(reverse("reports:dashboard") + "?period=year&day=2026-06-01").content.decode()
    assert 'data-metric="pushed_rate"' in page and "100.00%" in page
    assert "<h1>四个100%</h1>" in page and "2026年度" in page
    drill = member.get(reverse("reports:drilldown", args=["pushed_rate"]) + "?period=year&day=2026-06-01")
    html = drill.content.decode()
    assert d.number in html and d.get_absolute_url() not in html  # a committee member opens no case
    clerk = Client()
    clerk.force_login(c.clerk)
    assert (
        d.get_absolute_url()
        in clerk.get(
            reverse("reports:drilldown", args=["pushed_rate"]) + "?period=year&day=2026-06-01"
        ).content.decode()
    )
    # Another county's committee member: nothing of this county; an agency liaison: no reports at all.
    from core.models import Region

    other_region = RegionFactory(
        name="竹山县", code="420323", level=Region.Level.COUNTY, parent=c.region.parent
    )
    other = user_with_role(
        Role.COMMITTEE_MEMBER,
        organisation=OrganisationFactory(kind=Organisation.Kind.COMMITTEE, region=other_region),
    )
    assert figure(other, "pushed_rate").value is None
    assert member.get(reverse("reports:drilldown", args=["nothing"])).status_code == 404
    liaison = Client()
    liaison.force_login(c.liaison)
    assert liaison.get(reverse("reports:dashboard")).status_code == 403


def test_periods_are_read_and_bad_ones_noted():
    assert periods.period_of("quarter", date(2026, 5, 17)) == periods.Period(
        "quarter", date(2026, 4, 1), date(2026, 6, 30)
    )
    assert periods.period_of("half", date(2026, 9, 1)).first == date(2026, 7, 1)
    assert periods.period_of("month", date(2026, 2, 3)).last == date(2026, 2, 28)
    period, notes = periods.parse({"period": "custom", "first": "2026-03-01", "last": "2026-03-31"})
    assert (period.first, period.last, notes) == (date(2026, 3, 1), date(2026, 3, 31), [])
    period, notes = periods.parse({"period": "decade", "day": "2026-13-01"})
    assert period.kind == "year" and len(notes) == 2


def test_legal_aid_coverage_counts_eligible_applicants_of_the_period():
    from legal_aid import services as aid
    from tests.legal_aid.test_legal_aid import AidCounty, apply

    c = AidCounty()
    member = user_with_role(
        Role.COMMITTEE_MEMBER,
        organisation=OrganisationFactory(kind=Organisation.Kind.COMMITTEE, region=c.region),
    )
    with at(date(2026, 3, 10)):
        first, second = apply(c, c.case(applicant="甲")), apply(c, c.case(applicant="乙"))
        for application in (first, second):
            aid.application_decide(
                application_id=application.pk,
                actor=c.staff,
                data={"grant": "yes", "decided_on": "2026-03-02"},
            )
        aid.assignment_make(
            application_id=first.pk, actor=c.staff, data={"lawyer": c.expert.pk, "assigned_on": "2026-03-03"}
        )
    result = figure(member, "legal_aid_coverage", date(2026, 3, 1), date(2026, 3, 31))
    assert (result.numerator, sorted(result.denominator)) == (
        [first.dispute_id],
        sorted([first.dispute_id, second.dispute_id]),
    )
    assert result.value == Decimal("50.00") and result.beside == {"waiting": [second.dispute_id]}
    assert figure(member, "legal_aid_coverage", date(2026, 4, 1), date(2026, 4, 30)).value is None


def test_the_figures_split_by_agency_with_their_four_problems_in_two_queries(
    c, django_assert_max_num_queries
):
    from deadlines.models import Remedy
    from reports.metrics import FOUR, by_agency, figure_table

    push = {"source": Source.COURT_PUSH, "court": c.court, "court_case_number": "（2026）鄂0322行诉前3号"}
    mine = [c.register(consent=Consent.GIVEN, actor=c.court_clerk, **push) for _ in range(2)]
    theirs = c.register(consent=Consent.GIVEN, actor=c.court_clerk, respondent=c.other_agency, **push)
    # A missed answer of the other agency, in the period: 不答辩.
    from deadlines.services import deadline_plan

    deadline = deadline_plan(
        subject=theirs,
        rule_code="lit_answer",
        starts_on=date(2026, 3, 2),
        responsible_organisation=c.other_agency,
        region=c.region,
    )
    Remedy.objects.create(
        deadline=deadline,
        organisation=c.other_agency,
        region=c.region,
        problem="not_answering",
        missed_on=date(2026, 3, 20),
    )
    scope = Scope(c.member, *YEAR)
    scope.q()  # the user's reach, read once per request
    with django_assert_max_num_queries(len(FOUR)):
        table = figure_table(scope, FOUR)  # one query per figure, by agency and region together
    with django_assert_max_num_queries(2):
        rows = by_agency(scope, table)
    by_name = {r.agency: r for r in rows}
    part = by_name[c.agency.name].parts["pushed_rate"]
    assert (part.numerator, part.denominator) == (2, 2)
    part = by_name[c.other_agency.name].parts["pushed_rate"]
    assert (part.numerator, part.denominator) == (1, 1)
    assert by_name[c.agency.name].rate("pushed_rate") == Decimal("100.00")
    assert by_name[c.other_agency.name].problems == {"not_answering": 1}
    assert rows[0].agency == c.other_agency.name  # the one with a problem ranks first
    member = Client()
    member.force_login(c.member)
    html = member.get(reverse("reports:dashboard") + "?period=year&day=2026-06-01").content.decode()
    table = html.split('data-testid="agencies"')[1]
    assert f'data-agency="{c.agency.pk}"' in table and f'data-agency="{c.other_agency.pk}"' in table, table[
        :3000
    ]
    assert len(mine) == 2


def test_the_year_on_year_change_is_in_percentage_points(c):
    from reports.metrics import change_in_points, year_before

    d = c.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION)

    def held(year: int, attended: str) -> None:
        hearing = Hearing.objects.create(
            dispute=d,
            scheduled_by_event=DisputeEvent.objects.create(
                dispute=d, action="x", actor=c.clerk, from_status=d.status, to_status=d.status
            ),
            scheduled_at=datetime(year, 3, 10, 9, 0, tzinfo=workdays.SHANGHAI),
            status=Hearing.Status.HELD,
            created_by=c.clerk,
        )
        Attendance.objects.create(
            hearing=hearing, attended=attended, head_name="某", spoke=True, recorded_by=c.clerk
        )

    # 2025: 1 of 2 with a head (50.00%); 2026: 3 of 4 (75.00%): up 25.00 points.
    for year, attended in ((2025, "principal"), (2025, "staff"), (2026, "deputy"), (2026, "principal"),
                           (2026, "principal"), (2026, "nobody")):  # fmt: skip
        held(year, attended)
    scope = Scope(c.member, *YEAR)
    metric = BY_CODE["hearing_head_rate"]
    now, before = metric.compute(scope), metric.compute(year_before(scope))
    assert (now.value, before.value, change_in_points(now, before)) == (
        Decimal("75.00"),
        Decimal("50.00"),
        Decimal("25.00"),
    )
    leap = year_before(Scope(c.member, date(2028, 2, 1), date(2028, 2, 29)))
    assert (leap.first, leap.last) == (date(2027, 2, 1), date(2027, 2, 28))
    member = Client()
    member.force_login(c.member)
    html = member.get(reverse("reports:dashboard") + "?period=year&day=2026-06-01").content.decode()
    card = html.split('data-testid="yoy-hearing_head_rate"')[1].split("</p>")[0]
    assert "50.00%" in card and "25.00" in card
