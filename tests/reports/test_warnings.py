"""Early warning: the running clocks of the coming week that threaten a figure or add a 四不问题, by agency,
with the person to call; met clocks, later ones and another county's are not listed."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from core.models import Organisation
from core.roles import Role
from deadlines.services import deadline_meet, deadline_plan
from reports.metrics import Scope
from reports.warnings import early_warnings
from tests.disputes.factories import County
from tests.factories import OrganisationFactory, RegionFactory, user_with_role

from .data import clones

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


@pytest.fixture
def c() -> County:
    county = County()
    committee = OrganisationFactory(
        name="郧西县行政争议化解委员会", kind=Organisation.Kind.COMMITTEE, region=county.region
    )
    county.member = user_with_role(Role.COMMITTEE_MEMBER, organisation=committee, name="郑国华")
    county.liaison.phone = "13907190001"
    county.liaison.save()
    return county


def plan(c, case, rule: str, due_on: date, body=None, person=None, key: str = ""):
    return deadline_plan(
        subject=case, rule_code=rule, starts_on=date(2026, 5, 20), due_on=due_on, key=key,
        responsible_organisation=body or case.respondent, responsible_person=person, region=case.region,
    )  # fmt: skip


def test_the_coming_weeks_clocks_by_agency_with_the_person_to_call(c):
    with time_machine.travel(TODAY):
        mine, theirs = c.register(), c.register(respondent=c.other_agency)
        plan(c, mine, "lit_answer", date(2026, 6, 3))  # the agency: its liaison to call
        plan(c, mine, "followup_visit", date(2026, 6, 5), body=c.centre, person=c.clerk)  # a named clerk
        plan(c, theirs, "performance", date(2026, 6, 2))  # the other agency, sooner: listed first
        plan(c, mine, "lit_answer", date(2026, 6, 20), key="later")  # beyond the week: not listed
        plan(c, mine, "performance", date(2026, 5, 29), key="past")  # past: a miss, not a warning
        met = plan(c, mine, "report_receipt", date(2026, 6, 2))
        deadline_meet(subject=mine, rule_code="report_receipt", key="", met_on=TODAY, actor=c.liaison)
        far = RegionFactory(name="谷城县", code="420625", level=c.region.level, parent=c.region.parent)
        (elsewhere,) = clones(mine, 1, region_id=far.pk)
        plan(c, elsewhere, "lit_answer", date(2026, 6, 2))  # another county: not this committee's
        found = early_warnings(Scope(c.member, date(2026, 6, 1), date(2026, 6, 30)))
        limited = early_warnings(Scope(c.member, date(2026, 6, 1), date(2026, 6, 30)), limit=1)
    agencies = found.agencies
    assert found.total == 3 and limited.total == 3
    assert [(a.count, len(a.warnings), a.more) for a in limited.agencies] == [(1, 1, 0), (2, 0, 2)]
    assert met is not None
    assert [a.agency for a in agencies] == [c.other_agency.name, c.agency.name]
    ours = agencies[1].warnings
    assert [(w.threatens, w.due_on, w.days_left) for w in ours] == [
        ("not_answering", date(2026, 6, 3), 2),
        ("followup_rate", date(2026, 6, 5), 4),
    ]
    assert ours[0].contact == "刘洋 139****0001" and ours[0].body == c.agency.name  # masked, as everywhere
    assert ours[1].contact == "张敏" and ours[1].body == c.centre.name
    assert agencies[0].warnings[0].contact == "马超"  # the other agency's liaison, no phone on file


def test_the_dashboard_shows_the_warnings_of_a_running_period_only(c):
    with time_machine.travel(TODAY):
        case = c.register()
        plan(c, case, "lit_answer", date(2026, 6, 3))
        member = Client()
        member.force_login(c.member)
        html = member.get(reverse("reports:dashboard") + "?period=month&day=2026-06-01").content.decode()
        assert html.count('data-testid="warning"') == 1 and case.number in html and "刘洋" in html
        past = member.get(reverse("reports:dashboard") + "?period=month&day=2026-04-01").content.decode()
        assert 'data-testid="warnings"' not in past
