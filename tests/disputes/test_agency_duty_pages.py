"""My work for the agency's duties: the home page's one-click reports and remedy tasks, the month
calendar, the overdue items per body and the remedy tasks page, each within the user's reach."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from deadlines import remedies
from deadlines.models import Remedy, RemedyStatus, Status
from disputes.clocks import case_deadlines
from disputes.models import DisputeEvent
from tests.disputes.factories import County
from tests.disputes.test_agency_duties import at, sued
from tests.disputes.test_lifecycle import act

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> County:
    return County()


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, name: str, query: str = "") -> str:
    response = browser(user).get(reverse(name) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_the_liaison_reports_from_the_home_page_in_one_click(c):
    with at(date(2026, 9, 16)):
        d = act(sued(c), "receive_notice", c.court_clerk, received_on="2026-09-16")
    client = browser(c.liaison)
    with at(date(2026, 9, 17)):
        home = client.get(reverse("home")).content.decode()
        report_url = reverse("disputes:action", args=[d.pk, "report_receipt"])
        assert f'action="{report_url}"' in home and 'data-testid="one-click"' in home
        # The answer is not one click: its button opens the page that asks for the day.
        assert f'href="{reverse("disputes:action", args=[d.pk, "file_answer"])}"' in home
        assert client.post(report_url, {"request_key": "home-1"}).status_code == 302
    assert case_deadlines().get(subject_id=d.pk, rule__code="report_receipt").status == Status.MET
    assert DisputeEvent.objects.get(dispute=d, action="report_receipt").actor == c.liaison


def test_remedy_tasks_show_to_the_agency_that_missed_and_to_the_centre_not_to_other_agencies(c):
    with at(date(2026, 9, 16)):
        d = act(sued(c), "receive_notice", c.liaison, received_on="2026-09-16")
    with at(date(2026, 10, 12)):
        remedies.remedies_open_missed()
        home = page(c.liaison, "home")
        assert "补救" in home and reverse("disputes:action", args=[d.pk, "record_remedy"]) in home
        assert d.number not in page(c.other_liaison, "home")
        centre = page(c.clerk, "home")
        assert reverse("deadlines:remedies") + "?status=open" in centre
        listed = page(c.clerk, "deadlines:remedies", "?status=open")
        assert d.number in listed and c.agency.name in listed and "不答辩" in listed
        assert d.number not in page(c.other_liaison, "deadlines:remedies")
        case_page = browser(c.clerk).get(d.get_absolute_url()).content.decode()
        assert "补救：待补救" in case_page  # on the missed clock in the case's deadlines card
        # An unknown filter value is refused visibly and the list is shown unfiltered.
        bogus = page(c.clerk, "deadlines:remedies", "?status=bogus")
        assert 'role="alert"' in bogus and d.number in bogus
        act(d, "record_remedy", c.liaison, measures="已向法院说明情况并补交答辩状")
        remedied = page(c.clerk, "deadlines:remedies", f"?status={RemedyStatus.REMEDIED}")
        assert "已向法院说明情况并补交答辩状" in remedied
    assert Remedy.objects.get().status == RemedyStatus.REMEDIED


def test_the_centre_sees_every_agencys_overdue_items_and_an_agency_its_own(c):
    with at(date(2026, 9, 16)):
        d = act(sued(c), "receive_notice", c.court_clerk, received_on="2026-09-16")
    with at(date(2026, 10, 12)):
        overdue = page(c.clerk, "deadlines:overdue")
        assert c.agency.name in overdue and d.number in overdue and "行政应诉答辩及举证" in overdue
        assert d.number in page(c.liaison, "deadlines:overdue")
        assert d.number not in page(c.other_liaison, "deadlines:overdue")
        one_body = page(c.clerk, "deadlines:overdue", f"?organisation={c.other_agency.pk}")
        assert d.number not in one_body.split('data-testid="deadline-rows"')[1]


def test_the_month_calendar_puts_each_deadline_on_its_last_day(c):
    with at(date(2026, 9, 16)):
        d = act(sued(c), "receive_notice", c.court_clerk, received_on="2026-09-16")
    with at(date(2026, 9, 20)):
        october = page(c.liaison, "deadlines:month", "?m=2026-10")
        cell = october.split('data-day="2026-10-08"')[1].split("</td>")[0]
        assert d.number in cell and "行政应诉答辩及举证" in cell
        assert "2026年10月" in october
        assert 'class=" rest-day"' in october or "rest-day" in october.split('data-day="2026-10-01"')[0][-80:]
        mine = page(c.liaison, "deadlines:month", "?m=2026-10&mine=1")
        assert d.number in mine.split('data-day="2026-10-08"')[1].split("</td>")[0]
        assert d.number not in page(c.other_liaison, "deadlines:month", "?m=2026-10")
        # A month that cannot be read shows this month.
        assert "2026年9月" in page(c.liaison, "deadlines:month", "?m=2026-13")
        day = page(c.clerk, "deadlines:overdue", "?due=2026-10-08")
        assert d.number in day
