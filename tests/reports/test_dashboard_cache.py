"""The dashboard's figures are read once and kept a few minutes for every reader of the same reach and
period; the page says when they were read and reads them again on demand; beat reads them ahead."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from core.models import Organisation
from core.roles import Role
from disputes.choices import Source
from reports.dashboard import warm
from tests.disputes.factories import County
from tests.factories import OrganisationFactory, user_with_role

from .data import clones

pytestmark = pytest.mark.django_db
URL = "/reports/?period=year&day=2026-06-01"


@pytest.fixture
def c() -> County:
    cache.clear()
    county = County()
    committee = OrganisationFactory(
        name="郧西县行政争议化解委员会", kind=Organisation.Kind.COMMITTEE, region=county.region
    )
    county.member = user_with_role(Role.COMMITTEE_MEMBER, organisation=committee, name="郑国华")
    county.case = county.register()
    clones(county.case, 2, source=Source.COURT_PUSH, consent="given")
    return county


def get(user, url: str = URL) -> tuple[str, int]:
    client = Client()
    client.force_login(user)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    return html, len(queries.captured_queries)


@override_settings(REPORTS_CACHE_SECONDS=600)
def test_read_once_for_every_reader_of_the_region_and_again_on_demand(c):
    first, cold = get(c.member)
    assert 'data-testid="computed-at"' in first and "2 / " in first.split('data-testid="four"')[1][:3000]
    clones(c.case, 1, source=Source.COURT_PUSH, consent="given")  # a new case, not yet in the kept figures
    _html, warm_queries = get(c.clerk)  # the centre's clerk: the same region, the same figures
    assert warm_queries < cold - 20
    again, _n = get(c.member, URL + "&refresh=1")
    assert "3 / " in again.split('data-testid="four"')[1][:3000]
    # An agency's head reads its own figures, never the region's kept ones.
    head = user_with_role(Role.AGENCY_HEAD_PRINCIPAL, organisation=c.other_agency, name="王局长")
    html, _n = get(head)
    assert "0 / " in html.split('data-testid="four"')[1][:3000]


@override_settings(REPORTS_CACHE_SECONDS=600)
def test_beat_reads_ahead_each_centres_and_committees_region(c):
    from datetime import datetime

    import time_machine

    with time_machine.travel(datetime(2026, 6, 15, 10)):
        assert warm() == 3  # one region (the centre's and the committee's): its year, quarter and month
        _html, queries = get(c.member, "/reports/?period=year&day=2026-06-15")
    assert queries < 15  # the figures were read ahead: the page reads the session and the user
    assert date(2026, 6, 15).year == 2026
