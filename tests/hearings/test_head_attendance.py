"""The agency head's part in a hearing (行政机关负责人参与听证, seed 000): asked when the hearing is
scheduled, answered in Huajie by the head or the liaison (principal, a named deputy, or nobody with the
reason and a delegate), recorded by the clerk on the day, counted by ``head_participation``."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from core import workdays
from core.roles import Role
from deadlines.models import Status as ClockStatus
from disputes.clocks import case_deadlines
from disputes.models import DisputeEvent
from hearings import services
from hearings.models import Attendance, HeadAnswer, Hearing
from hearings.selectors import awaiting_answer, head_participation
from notifications.models import Notification
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act, recon_accepted
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 10):
    return time_machine.travel(datetime.combine(day, time(hour), tzinfo=workdays.SHANGHAI), tick=False)


@pytest.fixture
def c() -> County:
    county = County()
    county.head = user_with_role(
        Role.AGENCY_HEAD_PRINCIPAL, organisation=county.agency, name="赵志强", title="局长"
    )
    county.deputy = user_with_role(Role.AGENCY_HEAD_DEPUTY, organisation=county.agency, name="孙丽")
    county.other_head = user_with_role(Role.AGENCY_HEAD_PRINCIPAL, organisation=county.other_agency)
    return county


def scheduled(c: County, hearing_at: str = "2026-03-20T09:30") -> Hearing:
    d = act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-03-10")
    act(d, "schedule_hearing", c.clerk, hearing_at=hearing_at, hearing_place="复议听证室")
    return Hearing.objects.get(dispute=d, status=Hearing.Status.SCHEDULED)


def test_scheduling_asks_the_agency_and_a_clock_chases_the_answer(c):
    with at(date(2026, 3, 11)):
        hearing = scheduled(c)
    told = set(
        Notification.objects.filter(kind="hearing_request").values_list("recipient__username", flat=True)
    )
    assert told == {c.head.username, c.deputy.username, c.liaison.username}
    ask = case_deadlines().get(subject_id=hearing.dispute_id, rule__code="hearing_head_answer")
    assert (ask.due_on, ask.status, ask.responsible_organisation) == (date(2026, 3, 19), "open", c.agency)
    with at(date(2026, 3, 12)):
        # Rescheduled: the same request, counted to the new day (and asked again).
        act(
            hearing.dispute,
            "schedule_hearing",
            c.clerk,
            hearing_at="2026-03-27T09:30",
            hearing_place="复议听证室",
        )
        hearing = Hearing.objects.get(dispute=hearing.dispute, status=Hearing.Status.SCHEDULED)
        ask.refresh_from_db()
        assert (ask.due_on, ask.status) == (date(2026, 3, 26), "open")
        services.head_answer_give(
            hearing_id=hearing.pk, actor=c.deputy, data={"answer": "deputy", "head_name": "孙丽（副局长）"}
        )
    ask.refresh_from_db()
    assert (ask.status, ask.met_on) == (ClockStatus.MET, date(2026, 3, 12))
    event = DisputeEvent.objects.get(dispute=hearing.dispute, action="head_answer")
    assert event.actor == c.deputy and "孙丽（副局长）" in event.reason


def test_the_principal_answer_names_the_head_and_no_head_needs_a_reason_and_a_delegate(c):
    with at(date(2026, 3, 11)):
        hearing = scheduled(c)
        with pytest.raises(ValidationError) as refused:
            services.head_answer_give(hearing_id=hearing.pk, actor=c.liaison, data={"answer": "none"})
        assert set(refused.value.message_dict) == {"reason", "delegate_name"}
        with pytest.raises(ValidationError) as refused:
            services.head_answer_give(hearing_id=hearing.pk, actor=c.liaison, data={"answer": "deputy"})
        assert set(refused.value.message_dict) == {"head_name"}
        assert not HeadAnswer.objects.exists()
        services.head_answer_give(hearing_id=hearing.pk, actor=c.head, data={"answer": "principal"})
        assert HeadAnswer.objects.get().head_name == "赵志强（局长）"
        # The liaison changes the answer on the head's behalf: the centre is told at once.
        services.head_answer_give(
            hearing_id=hearing.pk,
            actor=c.liaison,
            data={"answer": "none", "reason": "局长当日出席省厅会议", "delegate_name": "刘洋（法规股）"},
        )
    assert HeadAnswer.objects.count() == 2  # the earlier answer is kept
    told = Notification.objects.get(recipient=c.clerk, kind="head_absent")
    assert hearing.dispute.number in told.title and "局长当日出席省厅会议" in told.body


def test_only_the_respondent_agency_answers_and_another_agency_cannot_even_see_it(c):
    with at(date(2026, 3, 11)):
        hearing = scheduled(c)
    for outsider in (c.other_head, c.other_liaison, c.clerk):
        with pytest.raises(PermissionDenied):
            services.head_answer_give(hearing_id=hearing.pk, actor=outsider, data={"answer": "principal"})
    url = reverse("hearings:detail", args=[hearing.pk])
    outsider = Client()
    outsider.force_login(c.other_head)
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, {"form": "answer", "answer": "principal"}).status_code == 404
    head = Client()
    head.force_login(c.head)
    page = head.get(url).content.decode()
    assert 'data-testid="answer-form"' in page and 'data-testid="attendance-form"' not in page
    assert hearing.dispute.number in head.get(reverse("home")).content.decode()  # awaiting its answer
    with at(date(2026, 3, 11)):
        assert head.post(url, {"form": "answer", "answer": "principal"}).status_code == 302
    assert not awaiting_answer(user=c.head).exists() and HeadAnswer.objects.get().answered_by == c.head


def test_the_clerk_records_the_attendance_once_and_corrects_it_with_a_reason(c):
    with at(date(2026, 3, 11)):
        hearing = scheduled(c)
        with pytest.raises(ValidationError, match="尚未举行|not taken place"):
            services.attendance_record(hearing_id=hearing.pk, actor=c.clerk, data={"attended": "nobody"})
    with at(date(2026, 3, 20), hour=12):
        with pytest.raises(PermissionDenied):
            services.attendance_record(hearing_id=hearing.pk, actor=c.liaison, data={"attended": "principal"})
        first = services.attendance_record(
            hearing_id=hearing.pk,
            actor=c.clerk,
            data={
                "attended": "deputy",
                "head_name": "孙丽（副局长）",
                "spoke": "on",
                "duration_minutes": "90",
            },
        )
        with pytest.raises(ValidationError) as refused:
            services.attendance_record(
                hearing_id=hearing.pk,
                actor=c.clerk,
                data={"attended": "principal", "head_name": "赵志强（局长）"},
            )
        assert set(refused.value.message_dict) == {"correction_reason"}
        second = services.attendance_record(
            hearing_id=hearing.pk,
            actor=c.clerk,
            data={
                "attended": "principal",
                "head_name": "赵志强（局长）",
                "spoke": "on",
                "correction_reason": "误记为副职，实为局长出席",
            },
        )
    assert second.corrects == first and Attendance.objects.count() == 2
    hearing.refresh_from_db()
    assert (hearing.status, hearing.held_at) == (Hearing.Status.HELD, hearing.scheduled_at)
    assert head_participation(Hearing.objects.all()).with_principal == [hearing.pk]
    events = DisputeEvent.objects.filter(dispute=hearing.dispute, action="head_attendance").order_by("pk")
    assert [e.actor for e in events] == [c.clerk, c.clerk] and "误记为副职" in events[1].reason


def test_the_figures_equal_a_hand_count_with_119_of_120_heads_and_one_who_did_not_speak(c):
    """Seed 004: 119 of 120 sessions with a head, 99.17%; of them 80 principal heads (66.67%); one head
    attended without speaking, and one hearing was corrected from staff to a deputy."""
    d = act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-03-10")
    held = [
        Hearing.objects.create(
            dispute=d,
            scheduled_by_event=DisputeEvent.objects.create(
                dispute=d, action="schedule_hearing", actor=c.clerk, from_status=d.status, to_status=d.status
            ),
            scheduled_at=datetime(2026, 3, 1, 9, 0, tzinfo=workdays.SHANGHAI),
            status=Hearing.Status.HELD,
            created_by=c.clerk,
        )
        for _ in range(120)
    ]
    # Hearing 100 was first recorded as staff only, and corrected to a deputy below: the latest counts.
    Attendance.objects.create(hearing=held[100], attended="staff", recorded_by=c.clerk)
    Attendance.objects.bulk_create(
        Attendance(
            hearing=hearing,
            attended=(attended := "principal" if index < 80 else "deputy" if index < 119 else "nobody"),
            head_name="" if attended == "nobody" else "某",
            spoke=attended != "nobody" and index != 5,
            recorded_by=c.clerk,
        )
        for index, hearing in enumerate(held)
    )
    figures = head_participation(Hearing.objects.all())
    assert len(figures.held) == 120 and len(figures.with_head) == 119
    assert figures.head_rate == Decimal("99.17")
    assert figures.principal_rate == Decimal("66.67") and len(figures.with_principal) == 80
    assert figures.silent_heads == [held[5].pk]
    assert held[119].pk not in figures.with_head
    # Scoped to another agency's hearings: nothing.
    assert head_participation(Hearing.objects.none()).head_rate is None


def test_the_api_answers_and_records_within_reach_only(c):
    from rest_framework.test import APIClient

    def api(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    with at(date(2026, 3, 11)):
        hearing = scheduled(c)
        assert api(c.other_head).get(reverse("api-hearing-detail", args=[hearing.pk])).status_code == 404
        assert api(c.other_head).get(reverse("api-hearings")).json()["results"] == []
        refused = api(c.other_head).post(
            reverse("api-hearing-answer", args=[hearing.pk]), {"answer": "principal"}, format="json"
        )
        assert refused.status_code == 404
        bad = api(c.deputy).post(
            reverse("api-hearing-answer", args=[hearing.pk]), {"answer": "deputy"}, format="json"
        )
        assert bad.status_code == 400 and "head_name" in bad.json()
        made = api(c.deputy).post(
            reverse("api-hearing-answer", args=[hearing.pk]),
            {"answer": "deputy", "head_name": "孙丽（副局长）"},
            format="json",
        )
        assert made.status_code == 201 and made.json()["answer"] == "deputy"
        assert (
            api(c.clerk)
            .post(reverse("api-hearing-answer", args=[hearing.pk]), {"answer": "principal"}, format="json")
            .status_code
            == 403
        )
    with at(date(2026, 3, 20), hour=12):
        recorded = api(c.clerk).post(
            reverse("api-hearing-attendance", args=[hearing.pk]),
            {"attended": "deputy", "head_name": "孙丽（副局长）", "spoke": True, "duration_minutes": 75},
            format="json",
        )
        assert recorded.status_code == 201, recorded.content
        row = api(c.head).get(reverse("api-hearing-detail", args=[hearing.pk])).json()
    assert row["answer"]["head_name"] == "孙丽（副局长）" and row["attendance"]["spoke"] is True
    assert [h["id"] for h in api(c.liaison).get(reverse("api-hearings")).json()["results"]] == [hearing.pk]


# --- the notice period and clashes, when scheduling ---------------------------------------------------


def test_a_hearing_too_soon_for_its_notice_needs_a_reason_around_a_weekend_and_national_day(c):
    d = act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-03-06")
    with at(date(2026, 3, 9)):  # a Monday
        # Friday 13 March: the notice was due by Friday 6 March (12, 11, 10, 9, 6: the weekend skipped).
        with pytest.raises(ValidationError) as refused:
            act(d, "schedule_hearing", c.clerk, hearing_at="2026-03-13T09:30", hearing_place="复议听证室")
        assert "2026年3月6日" in refused.value.message_dict["short_notice_reason"][0]
        assert not Hearing.objects.filter(dispute=d).exists()
        # Monday 16 March: notice by today, 9 March: in time, nothing to explain.
        act(d, "schedule_hearing", c.clerk, hearing_at="2026-03-16T09:30", hearing_place="复议听证室")
        assert Hearing.objects.get(dispute=d, status="scheduled").short_notice_reason == ""
    sued = act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-09-25")
    with at(date(2026, 9, 28)):
        # Friday 9 October, after the National Day week (1–7 October): 8 October, 30, 29, 28 September,
        # then the weekend and the Mid-Autumn Festival (25 September) skipped: due by Thursday 24 September.
        with pytest.raises(ValidationError) as refused:
            act(sued, "schedule_hearing", c.clerk, hearing_at="2026-10-09T09:30", hearing_place="第二听证室")
        assert "2026年9月24日" in refused.value.message_dict["short_notice_reason"][0]
        act(
            sued,
            "schedule_hearing",
            c.clerk,
            hearing_at="2026-10-09T09:30",
            hearing_place="第二听证室",
            short_notice_reason="申请人节后返乡，经各方同意提前听证",
        )
    assert Hearing.objects.get(dispute=sued).short_notice_reason == "申请人节后返乡，经各方同意提前听证"


def test_clashes_in_the_same_room_or_for_the_same_agency_head_are_refused(c):
    first = act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-03-06")
    second = act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-03-06")
    other = c.register(
        kind=first.kind, source=first.source, received_on=date(2026, 3, 2), respondent=c.other_agency
    )
    other = act(other, "accept", c.clerk, accepted_on="2026-03-03")
    other = act(other, "record_reply", c.other_liaison, reply_received_on="2026-03-06")
    with at(date(2026, 3, 2)):
        act(first, "schedule_hearing", c.clerk, hearing_at="2026-03-20T09:30", hearing_place="复议听证室")
        # Same room two hours later: refused, naming the hearing in the way.
        with pytest.raises(ValidationError) as refused:
            act(other, "schedule_hearing", c.clerk, hearing_at="2026-03-20T11:30", hearing_place="复议听证室")
        assert first.number in refused.value.message_dict["hearing_at"][0]
        # Another room, but the same agency: its head cannot be in both.
        with pytest.raises(ValidationError) as refused:
            act(
                second, "schedule_hearing", c.clerk, hearing_at="2026-03-20T10:00", hearing_place="第二听证室"
            )
        assert c.agency.name in refused.value.message_dict["hearing_at"][0]
        # Another room and another agency at the same time, or the same room in the afternoon: fine.
        act(other, "schedule_hearing", c.clerk, hearing_at="2026-03-20T09:30", hearing_place="第二听证室")
        act(second, "schedule_hearing", c.clerk, hearing_at="2026-03-20T14:30", hearing_place="复议听证室")
    assert Hearing.objects.filter(status="scheduled").count() == 3


def test_the_hearing_is_on_the_month_calendar_and_in_the_attending_peoples_feeds(c):
    from deadlines.calendar import feed_for

    with at(date(2026, 3, 11)):
        hearing = scheduled(c)

        def month(user, query="?m=2026-03") -> str:
            client = Client()
            client.force_login(user)
            return client.get(reverse("deadlines:month") + query).content.decode()

        cell = month(c.head).split('data-day="2026-03-20"')[1].split("</td>")[0]
        assert "09:30" in cell and hearing.dispute.number in cell and "复议听证室" in cell
        assert hearing.dispute.number in month(c.clerk).split('data-day="2026-03-20"')[1].split("</td>")[0]
        assert hearing.dispute.number not in month(c.other_head)
        feed = Client().get(reverse("deadlines:ical", args=[feed_for(user=c.head).token])).content.decode()
        assert f"UID:hearing-{hearing.pk}@huajie" in feed
        assert "DTSTART:20260320T013000Z" in feed and "LOCATION:复议听证室" in feed
        other = (
            Client().get(reverse("deadlines:ical", args=[feed_for(user=c.other_head).token])).content.decode()
        )
        assert f"hearing-{hearing.pk}" not in other


# --- must-attend hearings (应出尽出, seed 003) ------------------------------------------------------------


def test_a_must_attend_hearing_needs_the_centres_approval_for_no_head_and_counts_apart(c):
    from rest_framework.test import APIClient

    with at(date(2026, 3, 11)):
        hearing = scheduled(c)
        with pytest.raises(PermissionDenied):
            services.hearing_mark_must_attend(
                hearing_id=hearing.pk,
                actor=c.liaison,
                data={"must_attend": "on", "must_attend_basis": "helps_resolution"},
            )
        with pytest.raises(ValidationError) as refused:
            services.hearing_mark_must_attend(
                hearing_id=hearing.pk, actor=c.clerk, data={"must_attend": "on"}
            )
        assert set(refused.value.message_dict) == {"must_attend_basis"}
        services.hearing_mark_must_attend(
            hearing_id=hearing.pk,
            actor=c.clerk,
            data={
                "must_attend": "on",
                "must_attend_basis": "court_suggestion",
                "must_attend_note": "法院司法建议书",
            },
        )
        assert Notification.objects.filter(recipient=c.head, kind="hearing_must_attend").exists()
        services.head_answer_give(
            hearing_id=hearing.pk,
            actor=c.liaison,
            data={"answer": "none", "reason": "局长外出学习", "delegate_name": "刘洋"},
        )
        answer = HeadAnswer.objects.get()
        assert answer.approval == HeadAnswer.Approval.PENDING
        api = APIClient()
        api.force_authenticate(c.clerk)
        url = reverse("api-hearing-answer-review", args=[hearing.pk])
        assert api.post(url, {"approve": False}, format="json").status_code == 400  # the reason is required
        done = api.post(
            url, {"approve": False, "review_note": "法院书面建议负责人出庭，请另行安排副职"}, format="json"
        )
        assert done.status_code == 200, done.content
        assert done.json()["answer"]["approval"] == "refused"
        assert Notification.objects.filter(recipient=c.head, kind="head_answer_refused").exists()
        assert api.post(url, {"approve": True, "review_note": "再审"}, format="json").status_code == 400
        services.head_answer_give(
            hearing_id=hearing.pk, actor=c.deputy, data={"answer": "deputy", "head_name": "孙丽（副局长）"}
        )
    with at(date(2026, 3, 20), hour=12):
        services.attendance_record(
            hearing_id=hearing.pk,
            actor=c.clerk,
            data={"attended": "deputy", "head_name": "孙丽（副局长）", "spoke": "on"},
        )
    figures = head_participation(Hearing.objects.all())
    assert (figures.must_attend, figures.must_attend_with_head, figures.must_attend_rate) == (
        [hearing.pk],
        [hearing.pk],
        Decimal("100.00"),
    )
    actions = list(DisputeEvent.objects.filter(dispute=hearing.dispute).values_list("action", flat=True))
    assert {"hearing_must_attend", "head_answer", "head_answer_review", "head_attendance"} <= set(actions)
