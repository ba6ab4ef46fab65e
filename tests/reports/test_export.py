"""Every report table to Excel: the dashboard's workbook (a sheet per table, the figures as on the page)
and the cases behind a figure; for the report readers only."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.models import Organisation
from core.roles import Role
from disputes.choices import LitigationOutcome, Source
from tests.disputes.factories import County
from tests.factories import OrganisationFactory, user_with_role

from .data import clones, litigations

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> County:
    county = County()
    committee = OrganisationFactory(
        name="郧西县行政争议化解委员会", kind=Organisation.Kind.COMMITTEE, region=county.region
    )
    county.member = user_with_role(Role.COMMITTEE_MEMBER, organisation=committee, name="郑国华")
    county.case = county.register()
    county.pushed = clones(county.case, 3, source=Source.COURT_PUSH, consent="given")
    clones(
        county.case, 1, source=Source.COURT_PUSH, consent="not_asked", respondent_id=county.other_agency.pk
    )
    litigations(county.pushed, county.court, date(2026, 4, 1), [(LitigationOutcome.JUDGMENT, True)] * 1
                + [(LitigationOutcome.JUDGMENT, False)] * 4)  # fmt: skip
    return county


def test_the_dashboard_as_a_workbook(c):
    member = Client()
    member.force_login(c.member)
    with time_machine.travel(date(2026, 6, 15)):  # the year is running: its warnings are a sheet too
        response = member.get(reverse("reports:export") + "?period=year&day=2026-06-01")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["指标", "预警", "各行政机关情况", "案件数量"]
    figures = {row[0]: row for row in book["指标"].iter_rows(min_row=3, values_only=True)}
    pushed = figures["推送开展实质性化解率"]
    assert pushed[1:4] == (0.75, 3, 4)
    assert book["指标"]["B3"].number_format == "0.00%" and book["指标"]["B3"].font.color.rgb.endswith(
        "B42318"
    )
    loss = figures["行政机关败诉率"]
    assert loss[1:4] == (0.2, 1, 5)
    agencies = {row[1]: row for row in book["各行政机关情况"].iter_rows(min_row=3, values_only=True)}
    assert set(agencies) == {c.agency.name, c.other_agency.name}
    assert agencies[c.agency.name][-5] == "是"  # 20% lost: on-site supervision
    assert "2026年度" in book["指标"]["A1"].value and "郧西县" in book["指标"]["A1"].value


def test_the_cases_behind_a_figure_as_a_ledger(c):
    member = Client()
    member.force_login(c.member)
    response = member.get(
        reverse("reports:drilldown-export", args=["pushed_rate"]) + "?period=year&day=2026-06-01"
    )
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    numerator = sorted(r[1] for r in rows if r[0] == "已推送化解")
    assert numerator == sorted(d.number for d in c.pushed)
    assert len([r for r in rows if r[0] == "法院立案推送（不含不同意）"]) == 4


def test_an_agency_liaison_exports_nothing(c):
    liaison = Client()
    liaison.force_login(c.liaison)
    assert liaison.get(reverse("reports:export")).status_code == 403
    assert liaison.get(reverse("reports:drilldown-export", args=["pushed_rate"])).status_code == 403
