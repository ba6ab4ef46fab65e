"""The hearings calendar (/hearings/calendar/): a week or a month of hearings within reach, narrowed by
room, agency, centre, person or the user's own; and the hearings on the deadlines calendars
(``calendar_events``), where "mine" includes the panel."""

from __future__ import annotations

from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import workdays
from core.roles import Role
from disputes.models import DisputeEvent
from hearings.calendar import calendar_hearings, month_grid, week_grid
from hearings.models import Hearing, HearingKind, Room
from hearings.selectors import calendar_events
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act, recon_accepted
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

URL = "/hearings/calendar/"
WEEK = date(2026, 3, 16)  # Monday to Sunday 22 March 2026


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=workdays.SHANGHAI)


def add_hearing(w, dispute, when: datetime, **fields) -> Hearing:
    """A hearing row as the services leave it (its timeline entry, the case's status untouched)."""
    event = DisputeEvent.objects.create(
        dispute=dispute,
        action="schedule_hearing",
        actor=w.c.clerk,
        from_status=dispute.status,
        to_status=dispute.status,
    )
    officers = fields.pop("officers", ())
    fields.setdefault("created_by", w.c.clerk)
    hearing = Hearing.objects.create(dispute=dispute, scheduled_by_event=event, scheduled_at=when, **fields)
    hearing.officers.set(officers)
    return hearing


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker):
    """One county's hearings in the week of 16 March 2026 and the next, built once for the module in a
    transaction rolled back at its end (each test runs in a savepoint inside it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        c = County()
        w = SimpleNamespace(c=c)
        w.officer = user_with_role(Role.MEDIATOR, organisation=c.centre, name="周平")
        w.judge = user_with_role(Role.COURT_CLERK, organisation=c.court, name="吴法官")
        w.room1 = Room.objects.create(organisation=c.centre, name="第一调解室")
        w.room2 = Room.objects.create(organisation=c.centre, name="第二调解室")
        with time_machine.travel(at(date(2026, 3, 11)), tick=False):
            replied = act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-03-10")
            # Agency A's reconsideration hearing, scheduled as a clerk does: room 1, presided by the
            # mediator with an officer beside them.
            act(
                replied,
                "schedule_hearing",
                c.clerk,
                hearing_at="2026-03-20T09:30",
                room=str(w.room1.pk),
                presiding=str(c.mediator.pk),
                officers=[str(w.officer.pk)],
            )
        w.recon = Hearing.objects.get(dispute=replied, status=Hearing.Status.SCHEDULED)
        a2 = c.register(applicant="李小红")
        b = c.register(applicant="赵刚", respondent=c.other_agency)
        w.meeting = add_hearing(
            w,
            a2,
            at(date(2026, 3, 18), 14),
            kind=HearingKind.RESOLUTION_MEETING,
            room=w.room2,
            place="第二调解室",
        )
        w.session = add_hearing(
            w,
            b,
            at(date(2026, 3, 19), 10),
            kind=HearingKind.COURT_SESSION,
            place="第三法庭",
            presiding=w.judge,
            created_by=c.court_clerk,
        )
        w.called_off = add_hearing(
            w,
            a2,
            at(date(2026, 3, 17), 9),
            kind=HearingKind.RECON_HEARING,
            room=w.room1,
            status=Hearing.Status.CANCELLED,
        )
        w.next_week = add_hearing(
            w, a2, at(date(2026, 3, 24), 9), kind=HearingKind.RECON_HEARING, room=w.room1, place="第一调解室"
        )
        yield w
        transaction.set_rollback(True)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, **params) -> str:
    response = client_for(user).get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def shown(html: str) -> set[int]:
    """The hearings on the page (their ids)."""
    return {int(part.split('"', 1)[0]) for part in html.split('data-hearing="')[1:]}


def cell(html: str, day: str) -> str:
    return html.split(f'data-day="{day}"', 1)[1].split("</td>", 1)[0]


# --- the week and the month ------------------------------------------------------------------------------


def test_the_week_shows_each_hearing_on_its_day_and_not_the_next_weeks(w):
    html = page(w.c.clerk, day="2026-03-18")
    assert shown(html) == {w.recon.pk, w.meeting.pk, w.session.pk}  # not called off, not next week
    friday = cell(html, "2026-03-20")
    assert f'data-hearing="{w.recon.pk}"' in friday and "09:30" in friday
    assert w.recon.dispute.number in friday and "第一调解室" in friday
    assert f'href="{w.recon.get_absolute_url()}"' in friday
    assert f"hc-kind-{HearingKind.RECON_HEARING}" in friday
    assert f"hc-kind-{HearingKind.COURT_SESSION}" in cell(html, "2026-03-19")
    assert f"hc-kind-{HearingKind.RESOLUTION_MEETING}" in cell(html, "2026-03-18")
    assert cell(html, "2026-03-16").count("data-hearing") == 0
    # Seven columns, Monday to Sunday; the weekend marked as rest days.
    days = [part.split('"', 1)[0] for part in html.split('data-day="')[1:]]
    assert days == [f"2026-03-{n}" for n in range(16, 23)]
    assert 'class=" rest-day" data-day="2026-03-21"' in html
    following = page(w.c.clerk, day="2026-03-23")
    assert shown(following) == {w.next_week.pk}


def test_the_week_defaults_to_this_week_with_today_marked(w):
    today = workdays.today()
    html = page(w.c.clerk)
    assert f'data-day="{today:%Y-%m-%d}"' in html
    marked = html.split(f'data-day="{today:%Y-%m-%d}"')[0].rsplit("<td", 1)[1]
    assert "today" in marked


def test_the_month_shows_the_whole_grid(w):
    html = page(w.c.clerk, view="month", day="2026-03-05")
    assert 'data-view="month"' in html
    assert shown(html) == {w.recon.pk, w.meeting.pk, w.session.pk, w.next_week.pk}
    days = [part.split('"', 1)[0] for part in html.split('data-day="')[1:]]
    assert (days[0], days[-1], len(days)) == ("2026-02-23", "2026-04-05", 42)
    assert f'data-hearing="{w.next_week.pk}"' in cell(html, "2026-03-24")
    assert "other-month" in html.split('data-day="2026-02-23"')[0].rsplit("<td", 1)[1]


def test_the_grids_sort_each_day_by_time(w):
    late = SimpleNamespace(pk=2, scheduled_at=at(WEEK, 15))
    early = SimpleNamespace(pk=1, scheduled_at=at(WEEK, 8, 30))
    week = week_grid([late, early], date(2026, 3, 19), today=WEEK)  # type: ignore[list-item]
    assert [d.on for d in week] == [date(2026, 3, n) for n in range(16, 23)]
    assert week[0].hearings == [early, late] and week[0].today and not week[1].today
    assert (week[5].rest, week[6].rest, week[0].rest) == (True, True, False)
    month = month_grid([late], date(2026, 3, 1), today=WEEK)  # type: ignore[list-item]
    assert len(month) == 6 and all(len(row) == 7 for row in month)
    assert month[3][0].hearings == [late] and not month[0][0].in_period


# --- the filters -----------------------------------------------------------------------------------------


def test_the_room_filter(w):
    assert shown(page(w.c.clerk, day="2026-03-18", room=w.room1.pk)) == {w.recon.pk}
    assert shown(page(w.c.clerk, day="2026-03-18", room=w.room2.pk)) == {w.meeting.pk}


def test_the_agency_and_centre_filters(w):
    assert shown(page(w.c.clerk, day="2026-03-18", agency=w.c.agency.pk)) == {w.recon.pk, w.meeting.pk}
    assert shown(page(w.c.clerk, day="2026-03-18", agency=w.c.other_agency.pk)) == {w.session.pk}
    everything = {w.recon.pk, w.meeting.pk, w.session.pk}
    assert shown(page(w.c.clerk, day="2026-03-18", centre=w.c.centre.pk)) == everything
    assert shown(page(w.c.clerk, day="2026-03-18", centre=w.c.court.pk)) == set()


def test_the_person_filter_finds_the_presiding_officer_the_officers_the_clerk_and_who_scheduled_it(w):
    def person(user) -> set[int]:
        return shown(page(w.c.clerk, day="2026-03-18", person=user.pk))

    assert person(w.c.mediator) == {w.recon.pk}  # presiding
    assert person(w.officer) == {w.recon.pk}  # an officer
    assert person(w.judge) == {w.session.pk}
    assert person(w.c.court_clerk) == {w.session.pk}  # scheduled it
    assert person(w.c.clerk) == {w.recon.pk, w.meeting.pk}


def test_mine_is_what_the_user_sits_on_scheduled_or_answers_for(w):
    assert shown(page(w.c.clerk, day="2026-03-18", mine="1")) == {w.recon.pk, w.meeting.pk}
    assert shown(page(w.judge, day="2026-03-18", mine="1")) == {w.session.pk}  # presides
    assert shown(page(w.c.liaison, day="2026-03-18", mine="1")) == {w.recon.pk, w.meeting.pk}
    assert shown(page(w.c.other_liaison, day="2026-03-18", mine="1")) == {w.session.pk}


def test_the_links_keep_the_filters(w):
    html = page(w.c.clerk, day="2026-03-18", room=w.room1.pk, mine="1")
    for testid in ("calendar-previous", "calendar-next", "calendar-today", "calendar-month"):
        href = html.split(f'data-testid="{testid}"')[0].rsplit('href="', 1)[1].split('"')[0]
        assert f"room={w.room1.pk}" in href and "mine=1" in href, testid
    assert "day=2026-03-09" in html and "day=2026-03-23" in html  # the weeks either side
    month = page(w.c.clerk, view="month", day="2026-03-18", agency=w.c.agency.pk)
    assert "day=2026-02-01" in month and "day=2026-04-01" in month and f"agency={w.c.agency.pk}" in month


# --- reach -----------------------------------------------------------------------------------------------


def test_another_agency_sees_none_of_agency_as_hearings_nor_its_rooms_or_people(w):
    html = page(w.c.other_liaison, day="2026-03-18")
    assert shown(html) == {w.session.pk}
    assert w.recon.dispute.number not in html and w.c.agency.name not in html
    assert "第一调解室" not in html and w.officer.name not in html
    # Asking by agency A's id or room does not widen the reach.
    assert shown(page(w.c.other_liaison, day="2026-03-18", agency=w.c.agency.pk)) == set()
    assert shown(page(w.c.other_liaison, day="2026-03-18", room=w.room1.pk)) == set()
    assert shown(page(w.c.other_liaison, view="month", day="2026-03-18")) == {w.session.pk}
    assert calendar_hearings(user=w.c.other_liaison, first=WEEK, last=date(2026, 3, 31)) == [w.session]
    # Agency A's own liaison sees its own two, not the other agency's.
    assert shown(page(w.c.liaison, day="2026-03-18")) == {w.recon.pk, w.meeting.pk}


def test_the_page_needs_a_login():
    response = Client().get(URL)
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.parametrize(
    ("params", "noted"),
    [
        ({"day": "2026-13-45"}, True),
        ({"day": "yesterday"}, True),
        ({"day": "0001-01-01"}, True),
        ({"view": "year", "day": "2026-03-18"}, False),  # the week, as by default
        ({"room": "abc"}, True),
        ({"agency": "1;DROP TABLE"}, True),
        ({"person": "-1"}, True),
        ({"centre": "99999999999999999999999"}, True),
        ({"room": "", "mine": "yes"}, False),
    ],
)
def test_bad_parameters_are_set_aside_calmly(w, params, noted):
    response = client_for(w.c.clerk).get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    assert ('data-testid="calendar-note"' in html) is noted
    assert 'data-view="week"' in html


def test_the_number_of_queries_does_not_grow_with_the_hearings(w, django_assert_max_num_queries):
    client = client_for(w.c.clerk)
    params = {"day": "2026-04-08", "mine": "1"}
    client.get(URL, params)  # the working-day calendar is loaded once per process
    a2 = w.meeting.dispute
    add_hearing(
        w,
        a2,
        at(date(2026, 4, 6), 9),
        status=Hearing.Status.HELD,
        room=w.room1,
        presiding=w.c.mediator,
        officers=[w.officer],
    )
    with CaptureQueriesContext(connection) as one:
        assert len(shown(client.get(URL, params).content.decode())) == 1
    for n in range(9):
        add_hearing(
            w,
            a2,
            at(date(2026, 4, 7 + n % 5), 9 + n),
            kind=HearingKind.RESOLUTION_MEETING,
            status=Hearing.Status.HELD,
            room=w.room2 if n % 2 else w.room1,
            presiding=w.officer,
            clerk=w.c.clerk,
            officers=[w.c.mediator, w.judge],
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(shown(client.get(URL, params).content.decode())) == 10
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(shown(client.get(URL, {**params, "view": "month"}).content.decode())) == 10


# --- the deadlines calendars -----------------------------------------------------------------------------


def test_calendar_events_mine_includes_the_panel_and_titles_the_kind(w):
    last = date(2026, 3, 31)

    def mine(user) -> set[str]:
        return {e.uid for e in calendar_events(user, WEEK, last, True)}

    assert mine(w.officer) == {f"hearing-{w.recon.pk}"}  # an officer
    assert mine(w.c.mediator) == {f"hearing-{w.recon.pk}"}  # presiding
    assert mine(w.judge) == {f"hearing-{w.session.pk}"}
    assert f"hearing-{w.recon.pk}" not in mine(w.c.other_liaison)
    assert f"hearing-{w.called_off.pk}" not in mine(w.c.clerk)
    event = next(e for e in calendar_events(w.officer, WEEK, last, True))
    assert event.title == f"{w.recon.get_kind_display()} {w.recon.dispute.number}"


def test_the_deadline_calendar_links_to_the_hearings_calendar(w):
    html = client_for(w.c.clerk).get(reverse("deadlines:month")).content.decode()
    assert f'href="{reverse("hearings:calendar")}"' in html
