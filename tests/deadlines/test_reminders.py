"""Reminders (提醒): planned from the rules' offsets for whoever answers for the clock, moved while
pending when the last day moves, corrected when already sent, cancelled when the clock ends, and sent
exactly once by the scan, also by two scans at once."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from core.models import CalendarDay
from core.roles import Role
from deadlines import reminders, services
from deadlines.models import Reminder
from notifications.models import Notification
from tests.concurrency import POSTGRES_ONLY, run_together
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(timezone.datetime(2026, 3, 2, 9, 0, tzinfo=timezone.get_current_timezone())):
        yield


@pytest.fixture
def liaison(agency):
    return user_with_role(Role.AGENCY_LIAISON, organisation=agency)


def rows(deadline):
    return sorted(
        (r.offset_days, r.recipient.username, r.remind_on, r.status) for r in deadline.reminders.all()
    )


def test_the_agency_s_liaisons_are_reminded_7_and_1_days_before_the_answer_deadline(plan, agency, liaison):
    head = user_with_role(Role.AGENCY_HEAD_PRINCIPAL, organisation=agency)  # no duty role: not reminded
    answer = plan("lit_answer", date(2026, 3, 2), responsible_organisation=agency)  # 15 days: 3-17
    assert answer.due_on == date(2026, 3, 17)
    assert rows(answer) == [
        (1, liaison.username, date(2026, 3, 16), "pending"),
        (7, liaison.username, date(2026, 3, 10), "pending"),
    ]
    assert not Reminder.objects.filter(recipient=head).exists()


def test_a_named_person_is_reminded_beside_the_organisations_liaison(plan, agency, liaison, clerk):
    """Seed 003: agency duties go to the agency's liaison and to the person named on them."""
    answer = plan("lit_answer", date(2026, 3, 2), responsible_organisation=agency, responsible_person=clerk)
    assert {r.recipient for r in answer.reminders.all()} == {clerk, liaison}


def test_a_moved_last_day_moves_the_pending_reminders_and_corrects_the_sent_ones(plan, agency, liaison):
    answer = plan("lit_answer", date(2026, 3, 2), responsible_organisation=agency)
    with time_machine.travel(timezone.datetime(2026, 3, 10, 9, 0, tzinfo=timezone.get_current_timezone())):
        assert reminders.reminders_send_due() == 1  # the 7-day reminder
        sent = Notification.objects.get(recipient=liaison)
        assert sent.kind == "deadline_reminder" and "2026年3月17日" in sent.title
        # The court grants more time: the answer is due 3-27. The sent reminder stays, a correction follows.
        services.deadline_extend(
            subject=answer.subject, rule_code="lit_answer", by_days=10, actor=None, reason="延期"
        )
    answer.refresh_from_db()
    assert answer.due_on == date(2026, 3, 27)
    assert rows(answer) == [
        (1, liaison.username, date(2026, 3, 26), "pending"),
        (7, liaison.username, date(2026, 3, 10), "sent"),
    ]
    moved = Notification.objects.get(recipient=liaison, kind="deadline_moved")
    assert "2026年3月27日" in moved.title and "2026年3月17日" in moved.body
    assert Reminder.objects.get(deadline=answer, offset_days=7).corrected_at is not None
    assert Notification.objects.filter(recipient=liaison).count() == 2


def test_a_holiday_added_moves_the_pending_reminders_through_the_recompute(
    plan, agency, liaison, django_capture_on_commit_callbacks
):
    reply = plan("recon_reply", date(2026, 3, 2), responsible_organisation=agency)  # 10 working days
    assert reply.due_on == date(2026, 3, 16)
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=date(2026, 3, 10), kind="holiday", name="测试假日")
    reply.refresh_from_db()
    assert reply.due_on == date(2026, 3, 17)
    assert rows(reply) == [
        (1, liaison.username, date(2026, 3, 16), "pending"),
        (7, liaison.username, date(2026, 3, 10), "pending"),
    ]


def test_an_ended_clock_cancels_its_pending_reminders_and_the_scan_skips_them(plan, agency, liaison):
    answer = plan("lit_answer", date(2026, 3, 2), responsible_organisation=agency)
    services.deadline_meet(
        subject=answer.subject, rule_code="lit_answer", met_on=date(2026, 3, 5), actor=None
    )
    assert {r.status for r in answer.reminders.all()} == {"cancelled"}
    with time_machine.travel(timezone.datetime(2026, 3, 20, 9, 0, tzinfo=timezone.get_current_timezone())):
        assert reminders.reminders_send_due() == 0
    assert not Notification.objects.exists()


def test_the_scan_run_twice_sends_once(plan, agency, liaison):
    plan("lit_answer", date(2026, 3, 2), responsible_organisation=agency)
    with time_machine.travel(timezone.datetime(2026, 3, 16, 9, 0, tzinfo=timezone.get_current_timezone())):
        assert reminders.reminders_send_due() == 2  # both days have come: the 7-day one late, the 1-day one
        assert reminders.reminders_send_due() == 0
    assert Notification.objects.filter(recipient=liaison).count() == 2


@POSTGRES_ONLY[0]
@POSTGRES_ONLY[1]
def test_two_scans_at_once_over_1000_due_reminders_give_exactly_1000_notifications(plan, agency, liaison):
    answer = plan("lit_answer", date(2026, 3, 2), responsible_organisation=agency)
    people = [user_with_role(Role.AGENCY_LIAISON, organisation=agency) for _ in range(4)]
    Reminder.objects.all().delete()
    Reminder.objects.bulk_create(
        Reminder(deadline=answer, offset_days=offset, recipient=person, remind_on=TODAY, due_on=answer.due_on)
        for offset in range(1, 201)
        for person in [liaison, *people]
    )
    results = run_together(
        lambda: reminders.reminders_send_due(limit=50), lambda: reminders.reminders_send_due(limit=50)
    )
    assert all(isinstance(r, int) for r in results), results
    assert sum(results) == 1000 and min(results) > 0, results
    assert Notification.objects.count() == 1000
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}


def test_a_reminder_that_cannot_be_delivered_becomes_the_centre_s_work(
    plan, agency, liaison, clerk, settings
):
    from notifications import services as notifications

    settings.SMS_GATEWAY = "tests.notifications.test_services.RefusingGateway"
    liaison.phone = "13907191234"
    liaison.save(update_fields=["phone"])
    notifications.preference_set(user=liaison, email=False, sms=True)
    plan("lit_answer", date(2026, 3, 2), responsible_organisation=agency)
    with time_machine.travel(timezone.datetime(2026, 3, 10, 9, 0, tzinfo=timezone.get_current_timezone())):
        assert reminders.reminders_send_due() == 1
        now = timezone.now()
        for _ in range(notifications.MAX_ATTEMPTS):
            notifications.deliveries_send(now=now)
            now += notifications.backoff(notifications.MAX_ATTEMPTS)
    work = Notification.objects.get(recipient=clerk)
    assert work.kind == "reminder_undelivered" and liaison.name in work.title
    assert "余额不足" in work.body and work.url == Notification.objects.get(recipient=liaison).url
    assert Notification.objects.filter(kind="reminder_undelivered").count() == 1


def test_the_home_page_lists_the_deadlines_one_answers_for_soonest_first(plan, agency, liaison, client):
    plan("lit_answer", date(2026, 3, 2), responsible_organisation=agency)  # 3-17
    plan("recon_reply", date(2026, 1, 5), responsible_organisation=agency)  # 10 working days: 1-19, overdue
    client.force_login(liaison)
    home = client.get("/").content.decode()
    panel = home[home.index("我的期限") if "我的期限" in home else home.index("My deadlines") :]
    answer, reply = panel.index("行政应诉答辩"), panel.index("被申请人答复")
    assert reply < answer  # the overdue one first
    assert 'class="tone-danger"' in panel[:answer]
    other = user_with_role(Role.AGENCY_HEAD_PRINCIPAL, organisation=agency)  # no duty role
    client.force_login(other)
    assert "行政应诉答辩" not in client.get("/").content.decode()


def test_the_calendar_feed_lists_one_s_own_deadlines_at_a_private_address(plan, agency, liaison, client):
    from django.urls import reverse

    plan("lit_answer", date(2026, 3, 2), responsible_organisation=agency)  # 3-17
    plan("recon_decision", date(2026, 3, 2))  # the centre's: not the liaison's
    client.force_login(liaison)
    page = client.get(reverse("deadlines:calendar")).content.decode()
    token = liaison.calendar_feed.token
    assert f"/deadlines/calendar/{token}.ics" in page
    client.logout()
    response = client.get(reverse("deadlines:ical", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == 1 and "DTSTART;VALUE=DATE:20260317" in body
    assert "行政应诉答辩及举证" in body.replace("\r\n ", "")  # unfolded
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    # A new address: the old one stops working.
    client.force_login(liaison)
    client.post(reverse("deadlines:calendar"))
    client.logout()
    assert client.get(reverse("deadlines:ical", args=[token])).status_code == 404
    liaison.refresh_from_db()
    assert client.get(reverse("deadlines:ical", args=[liaison.calendar_feed.token])).status_code == 200
    liaison.is_active = False
    liaison.save(update_fields=["is_active"])
    assert client.get(reverse("deadlines:ical", args=[liaison.calendar_feed.token])).status_code == 404
