"""The reports API: every figure for a period, region and agency with the year before, and the cases
behind each part; bad queries are 400 and change nothing, readers without reports 403."""

from __future__ import annotations

from datetime import date

import pytest
from rest_framework.test import APIClient

from core.models import Organisation
from core.roles import Role
from disputes.choices import LitigationOutcome, Source
from tests.disputes.factories import County
from tests.factories import OrganisationFactory, RegionFactory, user_with_role

from .data import clones, litigations

pytestmark = pytest.mark.django_db
METRICS = "/api/reports/metrics/"


@pytest.fixture
def c() -> County:
    county = County()
    committee = OrganisationFactory(
        name="郧西县行政争议化解委员会", kind=Organisation.Kind.COMMITTEE, region=county.region
    )
    county.member = user_with_role(Role.COMMITTEE_MEMBER, organisation=committee, name="郑国华")
    county.case = county.register()
    pushed = clones(county.case, 3, source=Source.COURT_PUSH, consent="given")
    clones(
        county.case, 1, source=Source.COURT_PUSH, consent="not_asked", respondent_id=county.other_agency.pk
    )
    clones(county.case, 1, source=Source.COURT_PUSH, consent="given", received_on=date(2025, 5, 1))
    clones(county.case, 1, source=Source.COURT_PUSH, consent="not_asked", received_on=date(2025, 5, 1))
    litigations(pushed, county.court, date(2026, 4, 1), [(LitigationOutcome.JUDGMENT, True)] * 2
                + [(LitigationOutcome.WITHDRAWAL, None)] * 2)  # fmt: skip
    county.pushed = pushed
    return county


def client(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_every_figure_with_the_year_before(c):
    response = client(c.member).get(METRICS, {"from": "2026-01-01", "to": "2026-12-31"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["first"], body["last"]) == ("2026-01-01", "2026-12-31")
    figures = {m["code"]: m for m in body["metrics"]}
    assert set(figures) >= {"pushed_rate", "hearing_head_rate", "legal_aid_coverage", "followup_rate",
                            "court_head_rate", "must_attend_rate", "mediation_withdrawal_rate", "loss_rate",
                            "correction_rate", "resolution_success_rate"}  # fmt: skip
    pushed = figures["pushed_rate"]
    assert (pushed["numerator"], pushed["denominator"], pushed["value"]) == (3, 4, "75.00")
    assert (pushed["previous_value"], pushed["change"], pushed["target"], pushed["alarm"]) == (
        "50.00",
        "25.00",
        "100.00",
        True,
    )
    assert pushed["four"] and pushed["beside"] == {"refused": 0} and pushed["label"] == "推送开展实质性化解率"
    loss = figures["loss_rate"]
    assert (loss["numerator"], loss["denominator"], loss["value"], loss["ceiling"], loss["alarm"]) == (
        2,
        4,
        "50.00",
        "15.00",
        True,
    )
    assert figures["hearing_head_rate"]["value"] is None and not figures["hearing_head_rate"]["alarm"]
    # One agency: its own part.
    mine = client(c.member).get(
        METRICS, {"from": "2026-01-01", "to": "2026-12-31", "agency": c.other_agency.pk}
    )
    pushed = {m["code"]: m for m in mine.json()["metrics"]}["pushed_rate"]
    assert (pushed["numerator"], pushed["denominator"]) == (0, 1)
    # By default: this calendar year.
    assert client(c.member).get(METRICS).json()["first"].endswith("-01-01")


def test_the_cases_behind_each_part(c):
    url = f"{METRICS}pushed_rate/cases/"
    numerator = client(c.member).get(url, {"part": "numerator", "from": "2026-01-01", "to": "2026-12-31"})
    assert numerator.status_code == 200, numerator.content
    rows = numerator.json()["results"]
    assert sorted(r["id"] for r in rows) == sorted(d.pk for d in c.pushed)
    assert all(r["counted"] == 1 and not r["can_open"] for r in rows)  # a committee member opens no case
    denominator = client(c.member).get(url, {"part": "denominator", "from": "2026-01-01", "to": "2026-12-31"})
    assert denominator.json()["count"] == 4
    losses = client(c.clerk).get(f"{METRICS}loss_rate/cases/", {"part": "numerator", "from": "2026-01-01"})
    assert losses.status_code == 200 and [r["counted"] for r in losses.json()["results"]] == [1, 1]
    assert all(r["can_open"] for r in losses.json()["results"])  # the centre's clerk opens them


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2026-13-01"},
        {"from": "2026-06-01", "to": "2026-05-01"},
        {"from": "2000-01-01", "to": "2026-01-01"},
        {"agency": "abc"},
        {"agency": "0"},
        {"to": ""},
        {"region": "99999999999"},
    ],
)
def test_a_bad_query_is_400(c, query):
    assert client(c.member).get(METRICS, query).status_code == 400


def test_a_region_or_agency_outside_is_refused_and_an_unknown_figure_or_part_too(c):
    far = RegionFactory(name="谷城县", code="420625", level=c.region.level, parent=c.region.parent)
    response = client(c.member).get(METRICS, {"region": far.pk})
    assert response.status_code == 400 and "谷城县" not in response.content.decode()
    assert client(c.member).get(METRICS, {"agency": c.court.pk}).status_code == 400  # a court is no agency
    assert client(c.member).get(f"{METRICS}nonsense/cases/", {"part": "numerator"}).status_code == 404
    assert client(c.member).get(f"{METRICS}pushed_rate/cases/", {"part": "silent"}).status_code == 400
    assert client(c.member).get(f"{METRICS}pushed_rate/cases/").status_code == 400


def test_readers_without_reports_are_refused(c):
    assert client(c.liaison).get(METRICS).status_code == 403
    assert client(c.liaison).get(f"{METRICS}pushed_rate/cases/", {"part": "numerator"}).status_code == 403
    assert APIClient().get(METRICS).status_code in (401, 403)


def test_an_agency_head_reads_the_agencys_own_figures_only(c):
    head = user_with_role(Role.AGENCY_HEAD_PRINCIPAL, organisation=c.other_agency, name="王局长")
    figures = {m["code"]: m for m in client(head).get(METRICS, {"from": "2026-01-01"}).json()["metrics"]}
    assert (figures["pushed_rate"]["numerator"], figures["pushed_rate"]["denominator"]) == (0, 1)
    # Narrowing to another agency gives nothing of it.
    other = client(head).get(METRICS, {"from": "2026-01-01", "agency": c.agency.pk}).json()["metrics"]
    assert {m["code"]: m for m in other}["pushed_rate"]["denominator"] == 0
    from django.test import Client
    from django.urls import reverse

    page = Client()
    page.force_login(head)
    html = page.get(reverse("reports:dashboard") + "?period=year&day=2026-06-01").content.decode()
    assert f'data-agency="{c.other_agency.pk}"' in html and f'data-agency="{c.agency.pk}"' not in html
    assert 'data-testid="regions"' not in html
