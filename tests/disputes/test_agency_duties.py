"""The agency's duties to the centre (seed 003, "报备+提醒+反馈+补救"): reporting what it received (报备),
reporting back after acting (反馈), and the remedy task (补救) a missed answer or performance opens, all
through the case's lifecycle and the deadline engine (disputes/case_deadlines.py, deadlines/remedies.py)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from core import workdays
from deadlines import remedies, reminders
from deadlines import services as clocks
from deadlines.models import Deadline, Remedy, RemedyStatus, Status
from disputes.choices import CaseKind, DecisionType, Source
from disputes.clocks import case_deadlines
from disputes.models import Dispute, DisputeEvent
from disputes.services import TransitionRefused
from notifications.models import Notification
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=workdays.SHANGHAI), tick=False)


@pytest.fixture
def c() -> County:
    return County()


def clock(d: Dispute, rule: str) -> Deadline:
    return case_deadlines().get(subject_id=d.pk, rule__code=rule)


def sued(c: County) -> Dispute:
    """A reconsideration upheld on 10 September 2026 and taken to court on 14 September."""
    d = c.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION, received_on=date(2026, 9, 1))
    act(d, "accept", c.clerk, accepted_on="2026-09-02")
    act(d, "decide", c.clerk, decision_type=DecisionType.UPHOLD, decided_on="2026-09-10")
    return act(
        d,
        "file_suit",
        c.court_clerk,
        court=c.court.pk,
        court_case_number="(2026)鄂0322行初9号",
        filed_on="2026-09-14",
    )


def test_a_notice_the_court_records_is_reported_by_the_agency_within_two_days(c):
    with at(date(2026, 9, 16)):
        d = sued(c)
        act(d, "receive_notice", c.court_clerk, received_on="2026-09-16")
        report = clock(d, "report_receipt")
        assert (report.status, report.due_on, report.responsible_organisation) == (
            Status.OPEN,
            date(2026, 9, 18),
            c.agency,
        )
        # Reminded the day before it ends, the agency's liaison.
        assert [(r.recipient, r.remind_on) for r in report.reminders.all()] == [
            (c.liaison, date(2026, 9, 17))
        ]
        with pytest.raises(TransitionRefused):
            act(d, "report_feedback", c.liaison)  # nothing done yet to report back on
    with at(date(2026, 9, 17)):
        act(d, "report_receipt", c.liaison, reason="已收到应诉通知书，已指定承办人")
    report.refresh_from_db()
    assert (report.status, report.met_on, report.met_in_time) == (Status.MET, date(2026, 9, 17), True)
    event = DisputeEvent.objects.filter(dispute=d, action="report_receipt").get()
    assert (event.actor, event.reason) == (c.liaison, "已收到应诉通知书，已指定承办人")
    assert not report.reminders.filter(status="pending").exists()
    with pytest.raises(TransitionRefused, match="报备"):
        act(d, "report_receipt", c.liaison)  # reported: nothing more waits


def test_what_the_agency_records_itself_is_its_report_and_its_feedback(c):
    with at(date(2026, 9, 17)):
        d = act(sued(c), "receive_notice", c.liaison, received_on="2026-09-16")
        assert clock(d, "report_receipt").status == Status.MET
        act(d, "file_answer", c.liaison, answered_on="2026-09-17")
    feedback = clock(d, "feedback")
    assert (feedback.status, feedback.met_on) == (Status.MET, date(2026, 9, 17))
    assert clock(d, "lit_answer").status == Status.MET
    # Recorded a week late, the reply's clock (due 16 September) was planned overdue; the decision of
    # 10 September ended it in time: no remedy.
    assert not Remedy.objects.exists()


def test_a_session_the_court_records_calls_for_the_agencys_feedback_the_next_day(c):
    with at(date(2026, 9, 17)):
        d = act(sued(c), "receive_notice", c.liaison, received_on="2026-09-16")
        act(d, "file_answer", c.liaison, answered_on="2026-09-17")
    with at(date(2026, 10, 13)):
        act(d, "hold_session", c.court_clerk, session_at="2026-10-13T09:30")
        owed = case_deadlines().get(subject_id=d.pk, rule__code="feedback", status=Status.OPEN)
        assert owed.due_on == date(2026, 10, 14) and owed.key.endswith(":session:2026-10-13")
        # The reminder is sent on the day of the session, a day before the feedback is due.
        reminders.reminders_send_due()
        told = Notification.objects.get(
            recipient=c.liaison, kind="deadline_reminder", title__contains="情况反馈"
        )
        assert told.url == reverse("disputes:action", args=[d.pk, "report_feedback"])
    with at(date(2026, 10, 14)):
        act(d, "report_feedback", c.liaison, reason="负责人已出庭应诉并发表意见")
    owed.refresh_from_db()
    assert owed.status == Status.MET and owed.met_in_time


def test_a_missed_answer_opens_a_remedy_once_and_the_late_answer_remedies_it(c):
    with at(date(2026, 9, 16)):
        d = act(sued(c), "receive_notice", c.liaison, received_on="2026-09-16")
    answer = clock(d, "lit_answer")
    assert answer.due_on == date(2026, 10, 8)  # 15 days, past the National Day week
    with at(date(2026, 10, 8)):
        assert remedies.remedies_open_missed() == 0  # the last day itself is not missed
    with at(
        date(
            2026,
            10,
            9,
        ),
        hour=1,
    ):
        assert remedies.remedies_open_missed() == 1
        assert remedies.remedies_open_missed() == 0  # a second scan opens nothing
    remedy = Remedy.objects.get()
    assert (remedy.organisation, remedy.problem, remedy.missed_on, remedy.status) == (
        c.agency,
        "not_answering",
        date(2026, 10, 8),
        RemedyStatus.OPEN,
    )
    to_agency = Notification.objects.get(recipient=c.liaison, kind="remedy_opened")
    assert to_agency.url == reverse("disputes:action", args=[d.pk, "record_remedy"])
    to_centre = Notification.objects.get(recipient=c.clerk, kind="remedy_opened")
    assert to_centre.url == d.get_absolute_url()
    with at(date(2026, 10, 10)):
        act(d, "file_answer", c.liaison, answered_on="2026-10-10")
    remedy.refresh_from_db()
    assert (remedy.status, remedy.remedied_on, remedy.remedied_by) == (
        RemedyStatus.REMEDIED,
        date(2026, 10, 10),
        c.liaison,
    )
    assert remedies.problem_counts(Remedy.objects.all()) == [
        {"organisation": c.agency.name, "total": 1, "open": 0, "problems": {"not_answering": 1}}
    ]


def test_a_missed_performance_stays_open_until_the_measures_are_recorded(c):
    d = c.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION, received_on=date(2026, 9, 1))
    with at(date(2026, 9, 10)):
        act(d, "accept", c.clerk, accepted_on="2026-09-02")
        act(
            d,
            "decide",
            c.clerk,
            decision_type=DecisionType.ORDER_PERFORMANCE,
            decided_on="2026-09-10",
            duty_to_perform=True,
            perform_by="2026-09-30",
        )
        act(d, "take_effect", c.clerk, effective_on="2026-09-10")
    with at(date(2026, 10, 12)):
        remedies.remedies_open_missed()
        with pytest.raises(PermissionDenied):
            act(d, "record_remedy", c.other_liaison, measures="—")  # not theirs to remedy
        act(d, "record_remedy", c.liaison, measures="已召开局务会研究，10月20日前重新作出决定")
    remedy = Remedy.objects.get()
    assert (remedy.status, remedy.problem, remedy.remedied_by, remedy.remedied_on) == (
        RemedyStatus.REMEDIED,
        "not_performing",
        c.liaison,
        date(2026, 10, 12),
    )
    assert "10月20日前重新作出决定" in remedy.measures
    event = DisputeEvent.objects.get(dispute=d, action="record_remedy")
    assert event.actor == c.liaison and "10月20日" in event.data["measures"]


def test_a_last_day_corrected_past_today_voids_the_remedy(c):
    with at(date(2026, 9, 16)):
        d = act(sued(c), "receive_notice", c.liaison, received_on="2026-09-16")
    with at(date(2026, 10, 9)):
        remedies.remedies_open_missed()
        # The notice was in fact received on 28 September: the answer is due 13 October.
        clocks.deadline_correct_start(
            subject=d,
            rule_code="lit_answer",
            key=clock(d, "lit_answer").key,
            starts_on=date(2026, 9, 28),
            actor=c.clerk,
        )
    remedy = Remedy.objects.get()
    assert remedy.status == RemedyStatus.VOID and remedies.problem_counts(Remedy.objects.all()) == []


def test_one_click_from_the_reminder_reports_once_however_often_it_is_clicked(c):
    with at(date(2026, 9, 16)):
        d = act(sued(c), "receive_notice", c.court_clerk, received_on="2026-09-16")
    browser = Client()
    browser.force_login(c.liaison)
    url = reverse("disputes:action", args=[d.pk, "report_receipt"])
    with at(date(2026, 9, 17)):
        page = browser.get(url)
        assert page.status_code == 200 and "报备" in page.content.decode()
        form = {"expected_status": d.status, "request_key": "k-1"}
        assert browser.post(url, form).status_code == 302
        assert browser.post(url, form).status_code == 302  # the same click again: done once
    assert DisputeEvent.objects.filter(dispute=d, action="report_receipt").count() == 1
    assert clock(d, "report_receipt").status == Status.MET


def test_the_api_reports_with_nothing_but_the_status_and_lists_the_remedies_in_reach(c):
    with at(date(2026, 9, 16)):
        d = act(sued(c), "receive_notice", c.court_clerk, received_on="2026-09-16")
    api = APIClient()
    api.force_authenticate(c.liaison)
    with at(date(2026, 10, 9)):
        response = api.post(
            reverse("api-dispute-transition", kwargs={"pk": d.pk, "action": "report_receipt"}),
            {"expected_status": d.status},
            format="json",
        )
        assert response.status_code == 200, response.content
        remedies.remedies_open_missed()
        rows = api.get(reverse("api-remedies")).json()
    assert [(r["subject"], r["problem"], r["status"]) for r in rows["results"]] == [
        (d.number, "not_answering", "open")
    ]
    other = APIClient()
    other.force_authenticate(c.other_liaison)
    assert other.get(reverse("api-remedies")).json()["results"] == []


def test_a_moved_hearing_day_replans_the_pending_reminders_and_corrects_the_sent_one(c):
    d = c.register(
        kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION, received_on=date(2026, 11, 2)
    )
    with at(date(2026, 11, 3)):
        act(d, "accept", c.clerk, accepted_on="2026-11-03")
        act(d, "schedule_hearing", c.clerk, hearing_at="2026-11-20T09:30", hearing_place="复议听证室")
    attend = clock(d, "hearing_attendance")
    assert (attend.due_on, attend.responsible_organisation) == (date(2026, 11, 20), c.agency)

    def planned():
        return sorted(
            (r.offset_days, r.remind_on, r.status) for r in attend.reminders.filter(recipient=c.liaison)
        )

    assert planned() == [(1, date(2026, 11, 19), "pending"), (7, date(2026, 11, 13), "pending")]
    with at(date(2026, 11, 13)):
        reminders.reminders_send_due()
    told = Notification.objects.get(
        recipient=c.liaison, kind="deadline_reminder", title__contains="参加行政复议听证"
    )
    assert "2026年11月20日" in told.title
    with at(date(2026, 11, 16)):
        act(
            d,
            "schedule_hearing",
            c.clerk,
            hearing_at="2026-11-27T09:30",
            hearing_place="复议听证室",
            reason="改期",
        )
    attend.refresh_from_db()
    assert attend.due_on == date(2026, 11, 27)
    # The sent week-before reminder stays sent, and a correction names the new day; the day-before moves.
    assert planned() == [(1, date(2026, 11, 26), "pending"), (7, date(2026, 11, 13), "sent")]
    moved = Notification.objects.get(recipient=c.liaison, kind="deadline_moved")
    assert "2026年11月27日" in moved.title and "2026年11月20日" in moved.body
    with at(date(2026, 11, 27)):
        act(d, "decide", c.clerk, decision_type=DecisionType.UPHOLD, decided_on="2026-11-27")
    attend.refresh_from_db()
    assert (attend.status, attend.met_on) == (Status.MET, date(2026, 11, 27))
    assert not attend.reminders.filter(status="pending").exists()


def test_an_old_miss_found_late_is_listed_not_announced(c):
    with at(date(2026, 9, 16)):
        act(sued(c), "receive_notice", c.liaison, received_on="2026-09-16")
    with at(date(2026, 11, 20)):  # the first scan after the answer's last day (8 October) is weeks later
        assert remedies.remedies_open_missed() == 1
    assert Remedy.objects.get().status == RemedyStatus.OPEN
    assert not Notification.objects.filter(kind="remedy_opened").exists()
