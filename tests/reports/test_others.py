"""The figures beside the four 100% (seeds 001, 003, 004): the heads in court, 应出尽出, 调撤率, the loss
rate and count with the 15% supervision flag, the correction rate, the centre's resolution results and the
case volume; each a hand count with cases that must be left out, its exact drill-down, and the seeds'
published figures reproduced."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import Organisation
from core.roles import Role
from disputes.choices import Instance, LitigationOutcome, MatterCategory, Source
from disputes.models import Reconsideration, Resolution, ResolutionSession
from hearings.models import HearingKind
from reports.metrics import BY_CODE, Scope, by_agency, change_in_percent, change_in_points, figure_table
from tests.disputes.factories import County
from tests.factories import OrganisationFactory, user_with_role

from .data import clones, litigations, sessions_held

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))
JUDGMENT, RULING = LitigationOutcome.JUDGMENT, LitigationOutcome.RULING
WITHDRAWAL, MEDIATION = LitigationOutcome.WITHDRAWAL, LitigationOutcome.MEDIATION


@pytest.fixture
def c() -> County:
    county = County()
    committee = OrganisationFactory(
        name="郧西县行政争议化解委员会", kind=Organisation.Kind.COMMITTEE, region=county.region
    )
    county.member = user_with_role(Role.COMMITTEE_MEMBER, organisation=committee, name="郑国华")
    county.case = county.register()
    return county


def scope(c, first=YEAR[0], last=YEAR[1], **narrow) -> Scope:
    return Scope(c.member, first, last, **narrow)


def test_heads_in_court_zhoukou_9917_with_principal_and_silent_beside(c):
    """Seed 004: 周口 heads appeared in 99.17% of the court sessions: 119 of 120."""
    cases = clones(c.case, 10)
    sessions_held(cases, c.clerk, date(2026, 4, 8),
                  [("principal", True)] * 30 + [("deputy", True)] * 87 + [("deputy", False)] * 2 + [("staff", True)])  # fmt: skip
    # Left out: a session of last year, a reconsideration hearing, a session with no attendance recorded.
    sessions_held(cases, c.clerk, date(2025, 4, 8), [("nobody", False)])
    sessions_held(cases, c.clerk, date(2026, 4, 8), [("nobody", False)], kind=HearingKind.RECON_HEARING)
    counts = BY_CODE["court_head_rate"].count(scope(c))
    assert (counts.numerator, counts.denominator, counts.value) == (119, 120, Decimal("99.17"))
    assert counts.beside == {"principal": 30, "silent": 2}  # court_head_silent_count: 出庭不出声
    figure = BY_CODE["court_head_rate"].compute(scope(c))
    assert len(figure.numerator) == 119 and len(figure.beside["silent"]) == 2
    assert BY_CODE["court_head_rate"].alarm(counts.value)  # below 100: red


def test_must_attend_counts_only_the_sessions_a_head_must_attend(c):
    cases = clones(c.case, 3)
    must = sessions_held(
        cases, c.clerk, date(2026, 5, 6), [("principal", True), ("staff", True)], must_attend=True
    )
    sessions_held(cases, c.clerk, date(2026, 5, 6), [("nobody", False)])  # not a must-appear session
    figure = BY_CODE["must_attend_rate"].compute(scope(c))
    assert figure.denominator == sorted(h.dispute_id for h in must)
    assert figure.numerator == [must[0].dispute_id] and figure.value == Decimal("50.00")


def test_mediation_withdrawal_guangzhou_553_at_631(c):
    """Seed 003: 广州 553 cases withdrawn after mediation, 63.1% of those concluded (553 of 876)."""
    cases = clones(c.case, 20)
    litigations(cases, c.court, date(2026, 6, 30),
                [(WITHDRAWAL, None)] * 500 + [(MEDIATION, None)] * 53 + [(JUDGMENT, False)] * 300 + [(RULING, None)] * 23)  # fmt: skip
    # Left out: a second-instance withdrawal, one not yet concluded, one concluded last year.
    litigations(cases, c.court, date(2026, 6, 30), [(WITHDRAWAL, None)], trial_level=Instance.SECOND)
    litigations(cases, c.court, date(2026, 6, 30), [("", None)])
    litigations(cases, c.court, date(2025, 6, 30), [(WITHDRAWAL, None)])
    counts = BY_CODE["mediation_withdrawal_rate"].count(scope(c))
    assert (counts.numerator, counts.denominator, counts.value) == (553, 876, Decimal("63.13"))
    assert counts.beside == {"withdrawal": 500, "mediation": 53}
    assert not BY_CODE["mediation_withdrawal_rate"].alarm(counts.value)  # no target: never red


def test_loss_rate_and_count_fall_year_on_year_as_zhoukou_reported(c):
    """Seed 004: 周口 H1 2023, 140 losses, the count down 11.39% and the rate down 9.37 points."""
    cases = clones(c.case, 10)
    litigations(cases, c.court, date(2023, 3, 1), [(JUDGMENT, True)] * 140 + [(JUDGMENT, False)] * 560)
    litigations(cases, c.court, date(2022, 3, 1), [(JUDGMENT, True)] * 158 + [(JUDGMENT, False)] * 380)
    half, before = (
        scope(c, date(2023, 1, 1), date(2023, 6, 30)),
        scope(c, date(2022, 1, 1), date(2022, 6, 30)),
    )
    now, then = BY_CODE["loss_rate"].count(half), BY_CODE["loss_rate"].count(before)
    assert (now.numerator, now.value, then.value) == (140, Decimal("20.00"), Decimal("29.37"))
    assert change_in_points(now, then) == Decimal("-9.37")
    assert change_in_percent(now.numerator, then.numerator) == Decimal("-11.39")
    member = Client()
    member.force_login(c.member)
    html = member.get(reverse("reports:dashboard") + "?period=half&day=2023-03-01").content.decode()
    row = html.split('data-metric="loss_rate"')[1].split("</tr>")[0]
    assert "20.00%" in row and "29.37%" in row and "9.37" in row
    count = html.split('data-metric="loss_count"')[1].split("</tr>")[0]
    assert "140" in count and "158" in count and "11.39" in count


def test_an_agency_over_15_percent_is_flagged_for_supervision_and_15_exactly_is_not(c):
    mine, theirs = clones(c.case, 2), clones(c.case, 2, respondent_id=c.other_agency.pk)
    litigations(mine, c.court, date(2026, 5, 1), [(JUDGMENT, True)] * 3 + [(JUDGMENT, False)] * 17)  # 15.00%
    litigations(
        theirs, c.court, date(2026, 5, 1), [(JUDGMENT, True)] * 4 + [(JUDGMENT, False)] * 16
    )  # 20.00%
    s = scope(c)
    rows = {r.agency_id: r for r in by_agency(s, figure_table(s))}
    assert rows[c.agency.pk].rate("loss_rate") == Decimal("15.00") and not rows[c.agency.pk].supervised
    assert (
        rows[c.other_agency.pk].rate("loss_rate") == Decimal("20.00") and rows[c.other_agency.pk].supervised
    )
    member = Client()
    member.force_login(c.member)
    html = member.get(reverse("reports:dashboard") + "?period=year&day=2026-06-01").content.decode()
    table = html.split('data-testid="agencies"')[1]
    flagged = [row for row in table.split("<tr")[1:] if 'data-testid="supervised"' in row]
    assert len(flagged) == 1 and f'data-agency="{c.other_agency.pk}"' in flagged[0]
    # Narrowed to the agency: its own loss rate, and the drill-down lists its cases.
    figure = BY_CODE["loss_rate"].compute(scope(c, agency=c.other_agency.pk))
    assert set(figure.denominator) == {d.pk for d in theirs} and len(figure.numerator) == 4


def test_correction_rate_counts_decisions_that_corrected_the_agency(c):
    cases = clones(c.case, 5)
    for d, decision in zip(cases, ("revoke", "modify", "uphold", "dismiss", "confirm_illegal"), strict=True):
        Reconsideration.objects.create(dispute=d, accepted_on=date(2026, 2, 1), decision_type=decision,
                                       decided_on=date(2026, 3, 1))  # fmt: skip
    Reconsideration.objects.create(dispute=c.case, accepted_on=date(2026, 2, 1))  # undecided: left out
    Reconsideration.objects.create(dispute=c.case, accepted_on=date(2025, 2, 1), decision_type="revoke",
                                   decided_on=date(2025, 3, 1))  # last year: left out  # fmt: skip
    figure = BY_CODE["correction_rate"].compute(scope(c))
    assert figure.denominator == sorted(d.pk for d in cases)
    assert figure.numerator == sorted(d.pk for d in (cases[0], cases[1], cases[4]))
    assert figure.value == Decimal("60.00")


def test_resolution_results_zhoukou_centre_13_received_9_resolved_4_with_intent(c):
    """Seed 004: 周口's centre since July 2023 received 13, resolved 9, and 4 have a preliminary intent."""
    cases = clones(c.case, 13)
    opened = timezone.datetime(2023, 8, 1, 10, tzinfo=timezone.get_current_timezone())
    resolutions = Resolution.objects.bulk_create(
        Resolution(dispute=d, opened_at=opened, agreement_signed_on=date(2023, 9, 1) if i < 9 else None)
        for i, d in enumerate(cases)
    )
    for r in resolutions[9:]:
        ResolutionSession.objects.create(resolution=r, held_on=date(2023, 8, 20), summary="双方初步同意按评估价补偿",
                                         intent=True, recorded_by=c.mediator)  # fmt: skip
    Resolution.objects.create(dispute=c.case, opened_at=opened.replace(year=2023, month=6))  # before July
    since_july = scope(c, date(2023, 7, 1), date(2023, 12, 31))
    counts = BY_CODE["resolution_success_rate"].count(since_july)
    assert (counts.denominator, counts.numerator, counts.beside["intent"]) == (13, 9, 4)
    assert counts.value == Decimal("69.23") and counts.beside["failed"] == 0
    figure = BY_CODE["resolution_success_rate"].compute(since_july)
    assert figure.beside["intent"] == sorted(d.pk for d in cases[9:])


def test_case_volume_by_source_and_matter_with_the_double_fall(c):
    clones(c.case, 4, source=Source.COURT_PUSH, matter=MatterCategory.DEMOLITION)
    clones(c.case, 2, received_on=date(2025, 3, 2))
    this_year, last_year = clones(c.case, 1), clones(c.case, 1, received_on=date(2025, 3, 2))
    litigations(this_year, c.court, date(2026, 4, 1), [(JUDGMENT, True)] + [(JUDGMENT, False)] * 3)  # 25%
    litigations(last_year, c.court, date(2025, 4, 1), [(JUDGMENT, True)] * 2 + [(JUDGMENT, False)] * 2)  # 50%
    member = Client()
    member.force_login(c.member)
    html = member.get(reverse("reports:dashboard") + "?period=year&day=2026-06-01").content.decode()
    volume = html.split('data-testid="volume"')[1]
    # The fixture's case, 4 pushed by the court and this year's one: 6 received, 3 a year earlier.
    assert "6" in volume.split("</h3>")[0] and "100.00%" in volume.split("</h3>")[0]
    litigation = html.split('data-metric="litigation_volume"')[1].split("</tr>")[0]
    assert (
        "<td>4</td>" in litigation and "<td>4</td>" in litigation.split("</td>", 4)[-1] or "4" in litigation
    )
    # Both fell? The volume stayed at 4 filed: no double fall.
    assert "tag-good" not in litigation


def test_a_city_ranks_its_counties_and_a_county_sees_only_itself(c):
    from tests.factories import RegionFactory

    city = c.region.parent
    other = RegionFactory(name="郧阳区", code="420304", level=c.region.level, parent=city)
    city_member = user_with_role(
        Role.COMMITTEE_MEMBER,
        organisation=OrganisationFactory(
            name="十堰市行政争议化解委员会", kind=Organisation.Kind.COMMITTEE, region=city
        ),
        name="周建",
    )
    push = {"source": Source.COURT_PUSH, "consent": "given"}
    clones(c.case, 2, **push)  # 郧西: 100%
    clones(c.case, 1, region_id=other.pk, **push)
    clones(c.case, 1, region_id=other.pk, source=Source.COURT_PUSH, consent="not_asked")  # 郧阳: 50%
    s = Scope(city_member, *YEAR)
    from reports.metrics import by_region

    rows = by_region(s, figure_table(s))
    assert [(r.region, r.rate("pushed_rate")) for r in rows] == [
        ("郧阳区", Decimal("50.00")),
        ("郧西县", Decimal("100.00")),
    ]
    assert BY_CODE["pushed_rate"].count(s).denominator == 4
    # The county's member: its own 2, and no ranking of the township level (none has a figure).
    county = Scope(c.member, *YEAR)
    assert (
        BY_CODE["pushed_rate"].count(county).denominator == 2
        and by_region(county, figure_table(county)) == []
    )
    # Narrowed to 郧阳 by the city: its 2; the county member cannot narrow to it.
    from reports.periods import narrowing

    narrowed, notes = narrowing(city_member, {"region": str(other.pk)})
    assert (
        notes == [] and BY_CODE["pushed_rate"].count(Scope(city_member, *YEAR, **narrowed)).denominator == 2
    )
    narrowed, notes = narrowing(c.member, {"region": str(other.pk)})
    assert narrowed == {} and len(notes) == 1


def test_the_dashboard_issues_the_same_queries_whatever_the_number_of_agencies(c):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    member = Client()
    member.force_login(c.member)
    url = reverse("reports:dashboard") + "?period=year&day=2026-06-01"

    made = iter(range(100))
    member.get(url)  # the process's first look-ups (content types) are cached after one request

    def queries_with(agencies: int) -> int:
        for i in [next(made) for _ in range(agencies)]:
            agency = OrganisationFactory(
                name=f"郧西县第{i}局", kind=Organisation.Kind.AGENCY, region=c.region
            )
            cases = clones(c.case, 2, respondent_id=agency.pk, source=Source.COURT_PUSH, consent="given")
            litigations(cases, c.court, date(2026, 5, 1), [(JUDGMENT, True), (WITHDRAWAL, None)])
            sessions_held(cases, c.clerk, date(2026, 5, 6), [("principal", True), ("staff", True)])
        with CaptureQueriesContext(connection) as run:
            response = member.get(url)
        assert response.status_code == 200
        return len(run.captured_queries)

    few, many = queries_with(2), queries_with(10)
    assert few == many <= 40, (few, many)


def test_the_four_month_by_month(c):
    from reports.metrics import FOUR, monthly

    clones(c.case, 2, source=Source.COURT_PUSH, consent="given", received_on=date(2026, 3, 9))
    clones(c.case, 1, source=Source.COURT_PUSH, consent="not_asked", received_on=date(2026, 5, 9))
    cases = clones(c.case, 1)
    sessions_held(cases, c.clerk, date(2026, 5, 31), [("principal", True)], kind=HearingKind.RECON_HEARING)
    trends = monthly(scope(c), FOUR)
    pushed = {m: (x.numerator, x.denominator) for m, x in trends["pushed_rate"]}
    assert len(pushed) == 12 and pushed[date(2026, 3, 1)] == (2, 2) and pushed[date(2026, 5, 1)] == (0, 1)
    assert pushed[date(2026, 4, 1)] == (0, 0)
    # A hearing at 09:00 on 31 May, Beijing time: May (the month is read in Beijing time).
    heads = {m: x.numerator for m, x in trends["hearing_head_rate"]}
    assert heads[date(2026, 5, 1)] == 1 and heads[date(2026, 6, 1)] == 0


def test_the_ranking_shows_its_head_and_all_on_demand(c, monkeypatch):
    monkeypatch.setattr("reports.views.AGENCIES_SHOWN", 1)
    clones(c.case, 1, source=Source.COURT_PUSH, consent="given")
    clones(c.case, 1, source=Source.COURT_PUSH, consent="given", respondent_id=c.other_agency.pk)
    member = Client()
    member.force_login(c.member)
    html = member.get(reverse("reports:dashboard") + "?period=year&day=2026-06-01").content.decode()
    table = html.split('data-testid="agencies"')[1]
    assert table.count("data-agency=") == 1 and 'data-testid="all-agencies"' in table
    everything = member.get(reverse("reports:dashboard") + "?period=year&day=2026-06-01&agencies=all")
    assert everything.content.decode().split('data-testid="agencies"')[1].count("data-agency=") == 2
