"""The stored deadlines of a case, planned by its own actions (disputes/case_deadlines.py) and read
back through the API and the case page: the real lifecycle, across the 2026 Spring Festival (make-up
Saturdays 2026-02-14 and 2026-02-28) and the National Day week."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils.translation import override
from rest_framework.test import APIClient

from core import workdays
from deadlines.models import ChangeReason, Deadline, DeadlineChange
from disputes.choices import CaseKind, ClosingReason, DecisionType, LitigationOutcome, Source, Status
from disputes.clocks import overdue_q
from disputes.models import Dispute
from disputes.services import TransitionRefused
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act, refused

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> County:
    return County()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def deadlines(d: Dispute, user) -> dict[str, dict]:
    response = api(user).get(reverse("api-dispute-deadlines", args=[d.pk]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200, response.content
    rows = response.json()
    by_rule = {row["rule"]: row for row in rows}
    assert len(by_rule) == len(rows)  # one clock per rule in these cases
    return by_rule


def recon_registered(c: County) -> Dispute:
    return c.register(
        kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION, received_on=date(2026, 2, 4)
    )


def accepted_before_spring_festival(c: County, **data) -> Dispute:
    return act(recon_registered(c), "accept", c.clerk, accepted_on="2026-02-06", **data)


def test_registration_plans_the_acceptance_review_and_acceptance_meets_it(c):
    d = recon_registered(c)
    review = deadlines(d, c.clerk)["recon_acceptance_review"]
    # 5 working days from Wednesday 4 February: Thu 5, Fri 6, Mon 9, Tue 10, Wed 11.
    assert (review["starts_on"], review["due_on"], review["status"]) == ("2026-02-04", "2026-02-11", "open")
    assert review["length"] == 5 and review["unit"] == "working_days"

    d = act(d, "accept", c.clerk, accepted_on="2026-02-06")
    review = deadlines(d, c.clerk)["recon_acceptance_review"]
    assert (review["status"], review["met_on"], review["days_left"]) == ("met", "2026-02-06", None)


def _next_due_on(d: Dispute):
    return Dispute.objects.values_list("next_due_on", flat=True).get(pk=d.pk)


def test_the_case_carries_its_earliest_open_last_day_and_a_stale_copy_does_not_write_it_back(c):
    d = recon_registered(c)
    assert _next_due_on(d) == date(2026, 2, 11)  # the acceptance review
    stale = Dispute.objects.get(pk=d.pk)
    d = act(d, "accept", c.clerk, accepted_on="2026-02-06")
    running = Deadline.objects.filter(subject_id=d.pk, status="open").order_by("due_on")
    assert _next_due_on(d) == running[0].due_on > date(2026, 2, 11)
    stale.facts = "整理卷宗后补充的事实"  # a case object read before the clocks moved, saved whole
    stale.save()
    assert _next_due_on(d) == running[0].due_on
    d = act(d, "withdraw", c.clerk, withdrawn_on="2026-02-10", reason="申请人撤回申请")
    assert _next_due_on(d) is None  # no clock runs


def test_a_holiday_added_moves_the_case_s_last_day_with_its_clock(c, django_capture_on_commit_callbacks):
    from core.models import CalendarDay

    d = recon_registered(c)
    assert _next_due_on(d) == date(2026, 2, 11)
    with django_capture_on_commit_callbacks(execute=True):
        CalendarDay.objects.create(date=date(2026, 2, 9), kind="holiday", name="测试假日")
    assert Deadline.objects.get(subject_id=d.pk, status="open").due_on == date(2026, 2, 12)
    assert _next_due_on(d) == date(2026, 2, 12)


def test_a_resolution_case_gets_no_reconsideration_review_but_a_resolution_period(c):
    d = c.register()  # a walk-in resolution case, received 2026-03-02
    assert deadlines(d, c.clerk) == {}
    d = act(d, "accept", c.clerk, accepted_on="2026-03-03")
    period = deadlines(d, c.clerk)["resolution_period"]
    assert (period["due_on"], period["status"]) == ("2026-04-02", "open")  # 30 days, a Thursday
    d = act(d, "assign_mediators", c.clerk, mediators=[c.mediator.pk])
    d = act(d, "reach_agreement", c.mediator, agreement_terms="补偿20万元", signed_on="2026-03-20")
    rows = deadlines(d, c.clerk)
    assert (rows["resolution_period"]["status"], rows["resolution_period"]["met_on"]) == ("met", "2026-03-20")
    # 30 days from 20 March: Sunday 19 April rolls over to Monday 20 April.
    assert (rows["confirmation_application"]["due_on"], rows["confirmation_application"]["status"]) == (
        "2026-04-20",
        "open",
    )
    d = act(d, "request_confirmation", c.clerk, court=c.court.pk, requested_on="2026-03-25")
    assert deadlines(d, c.clerk)["confirmation_application"]["met_on"] == "2026-03-25"


def test_the_correction_notice_meets_the_review_and_the_supplied_materials_restart_it(c):
    d = recon_registered(c)
    with time_machine.travel(datetime(2026, 2, 5, 10, tzinfo=workdays.SHANGHAI), tick=False):
        d = act(d, "request_correction", c.clerk, items="身份证明复印件")
    rows = deadlines(d, c.clerk)
    assert (rows["recon_acceptance_review"]["status"], rows["recon_acceptance_review"]["met_on"]) == (
        "met",
        "2026-02-05",
    )
    assert rows["recon_correction"]["status"] == "open" and rows["recon_correction"]["length"] == 10
    d = act(d, "supply_correction", c.clerk, reason="已补正")
    rows = deadlines(d, c.clerk)
    assert rows["recon_correction"]["status"] == "met"
    assert rows["recon_acceptance_review"]["status"] == "open"  # counted again from the supplied materials


def test_a_clock_past_its_last_day_when_its_stage_ends_is_missed(c):
    # Received 2026-02-04: the review's 5 working days ended on 02-11; the application is withdrawn on
    # 02-12.
    d = recon_registered(c)
    with time_machine.travel(datetime(2026, 2, 12, 10, tzinfo=workdays.SHANGHAI), tick=False):
        assert Dispute.objects.filter(pk=d.pk).filter(overdue_q()).exists()
        d = act(d, "withdraw", c.clerk, withdrawn_on="2026-02-12", reason="申请人撤回申请")
        review = Deadline.objects.get(subject_id=d.pk, rule__code="recon_acceptance_review")
        assert (review.status, review.due_on, review.changes.order_by("pk").last().reason) == (
            "missed",
            date(2026, 2, 11),
            ChangeReason.MISSED,
        )
        # Missed is a closed fact, not work waiting: the case is no longer overdue.
        assert not Dispute.objects.filter(pk=d.pk).filter(overdue_q()).exists()


def test_acceptance_before_the_spring_festival_suspension_extension_and_decision(c):
    d = accepted_before_spring_festival(c)
    rows = deadlines(d, c.clerk)
    copy, reply, decision = rows["recon_copy_to_respondent"], rows["recon_reply"], rows["recon_decision"]
    # 7 working days from Friday 6 February: 9–13 February (5), the make-up Saturday 14 February (6),
    # the holiday 15–23 February skipped, Tuesday 24 February (7).
    assert (copy["starts_on"], copy["due_on"], copy["status"]) == ("2026-02-06", "2026-02-24", "open")
    # The reply, 10 working days: 24, 25, 26, 27 February make 7–10.
    assert (reply["due_on"], reply["status"]) == ("2026-02-27", "open")
    # The decision, 60 calendar days from 6 February: Tuesday 7 April, a working day.
    assert (decision["due_on"], decision["length"], decision["unit"]) == ("2026-04-07", 60, "days")
    assert decision["label"] == "行政复议决定" and "第六十二条" in decision["basis"]
    assert decision["provisional"] is False
    respondent_rows = Deadline.objects.filter(subject_id=d.pk, responsible_organisation=c.agency)
    assert list(respondent_rows.values_list("rule__code", flat=True)) == ["recon_reply"]

    d = act(d, "record_reply", c.liaison, reply_received_on="2026-02-26")
    rows = deadlines(d, c.clerk)
    assert (rows["recon_reply"]["status"], rows["recon_reply"]["met_on"]) == ("met", "2026-02-26")
    assert rows["recon_copy_to_respondent"]["status"] == "cancelled"

    # Suspended on 2 March with 36 days to run (to 7 April); resumed on 12 March: 36 days from then.
    d = act(d, "suspend", c.clerk, suspended_on="2026-03-02", reason="双方申请和解")
    decision = deadlines(d, c.clerk)["recon_decision"]
    assert (decision["status"], decision["days_left"]) == ("paused", 36)
    d = act(d, "resume", c.clerk, resumed_on="2026-03-12")
    decision = deadlines(d, c.clerk)["recon_decision"]
    assert (decision["status"], decision["due_on"]) == ("open", "2026-04-17")  # 10 paused days later
    assert decision["starts_on"] == "2026-02-06"  # the start stays the acceptance

    # Extended by 30 days: 66 days from 12 March is Sunday 17 May, rolled over to Monday 18 May.
    d = act(d, "extend", c.clerk, days=30, approved_by="李局长", reason="案情复杂")
    decision = deadlines(d, c.clerk)["recon_decision"]
    assert decision["due_on"] == "2026-05-18"
    reasons = list(
        Deadline.objects.get(subject_id=d.pk, rule__code="recon_decision")
        .changes.order_by("at", "pk")
        .values_list("reason", "new_due_on")
    )
    assert reasons == [
        (ChangeReason.PLANNED, date(2026, 4, 7)),
        (ChangeReason.SUSPENSION, date(2026, 4, 7)),
        (ChangeReason.RESUMPTION, date(2026, 4, 17)),
        (ChangeReason.EXTENSION, date(2026, 5, 18)),
    ]

    d = act(
        d,
        "decide",
        c.clerk,
        decision_type=DecisionType.ORDER_PERFORMANCE,
        decided_on="2026-05-11",
        decision_number="郧西政复决字〔2026〕5号",
        perform_by="2026-06-30",
    )
    rows = deadlines(d, c.clerk)
    assert (rows["recon_decision"]["status"], rows["recon_decision"]["met_on"]) == ("met", "2026-05-11")
    assert Deadline.objects.get(subject_id=d.pk, rule__code="recon_decision").met_in_time
    # 30 days from Monday 11 May: Wednesday 10 June.
    assert (rows["followup_visit"]["due_on"], rows["followup_visit"]["status"]) == ("2026-06-10", "open")
    # The performance date the decision fixes, answered for by the respondent.
    assert (rows["performance"]["due_on"], rows["performance"]["status"]) == ("2026-06-30", "open")
    assert (
        Deadline.objects.get(subject_id=d.pk, rule__code="performance").responsible_organisation == c.agency
    )


def test_the_simplified_procedure_plans_its_shorter_clocks(c):
    d = accepted_before_spring_festival(c, simplified=True)
    rows = deadlines(d, c.clerk)
    assert set(rows) == {
        "recon_acceptance_review",
        "recon_copy_simplified",
        "recon_reply_simplified",
        "recon_decision_simplified",
    }
    # 3 working days: 9, 10, 11 February. 30 days from 6 February: Sunday 8 March, rolled to Monday 9.
    assert rows["recon_copy_simplified"]["due_on"] == "2026-02-11"
    assert rows["recon_decision_simplified"]["due_on"] == "2026-03-09"


def test_a_performance_date_before_the_decision_refuses_the_decision_with_a_message(c):
    d = accepted_before_spring_festival(c)
    with override("zh-hans"):
        error = refused(
            d,
            "decide",
            c.clerk,
            ValidationError,
            "perform_by",
            decision_type=DecisionType.ORDER_PERFORMANCE,
            decided_on="2026-05-11",
            perform_by="2026-05-01",
        )
    assert "履行期限" in str(error)
    assert Dispute.objects.get(pk=d.pk).status == Status.RECON_ACCEPTED
    assert deadlines(d, c.clerk)["recon_decision"]["status"] == "open"


def test_a_hearing_plans_its_notice_counting_back_from_the_hearing_day(c):
    d = accepted_before_spring_festival(c)
    d = act(d, "schedule_hearing", c.clerk, hearing_at="2026-03-20T09:30", hearing_place="复议听证室")
    notice = deadlines(d, c.clerk)["hearing_notice"]
    # At least 5 working days before Friday 20 March: 19, 18, 17, 16, 13 March.
    assert (notice["starts_on"], notice["length"], notice["due_on"]) == ("2026-03-20", -5, "2026-03-13")
    # Rescheduled: counted again from the new day. Before Tuesday 3 March: 2 March (1), the make-up
    # Saturday 28 February (2), 27 (3), 26 (4), 25 (5).
    d = act(d, "schedule_hearing", c.clerk, hearing_at="2026-03-03T09:30", hearing_place="复议听证室")
    notice = deadlines(d, c.clerk)["hearing_notice"]
    assert notice["due_on"] == "2026-02-25"
    # A suspension leaves a notice counted back from the hearing alone.
    d = act(d, "suspend", c.clerk, suspended_on="2026-03-02", reason="双方申请和解")
    rows = deadlines(d, c.clerk)
    assert rows["hearing_notice"]["status"] == "open" and rows["recon_decision"]["status"] == "paused"


def test_litigation_answer_across_the_national_day_week_and_the_appeal_period(c):
    d = c.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION, received_on=date(2026, 9, 1))
    d = act(d, "accept", c.clerk, accepted_on="2026-09-02")
    d = act(d, "decide", c.clerk, decision_type=DecisionType.UPHOLD, decided_on="2026-09-10")
    d = act(
        d,
        "file_suit",
        c.court_clerk,
        court=c.court.pk,
        court_case_number="(2026)鄂0322行初9号",
        filed_on="2026-09-14",
    )
    rows = deadlines(d, c.clerk)
    # 5 days from 14 September end on Saturday 19 September; Sunday 20 September is a make-up working day.
    assert (rows["lit_copy_to_agency"]["due_on"], rows["lit_copy_to_agency"]["status"]) == (
        "2026-09-20",
        "open",
    )
    d = act(d, "receive_notice", c.liaison, received_on="2026-09-18")
    rows = deadlines(d, c.clerk)
    assert rows["lit_copy_to_agency"]["met_on"] == "2026-09-18"
    answer = rows["lit_answer"]
    # 15 days from 18 September (past the Mid-Autumn Festival) end on 3 October, in the National Day
    # holiday (1–7 October): rolled over to Thursday 8 October.
    assert (answer["due_on"], answer["length"], answer["unit"], answer["status"]) == (
        "2026-10-08",
        15,
        "days",
        "open",
    )
    d = act(d, "file_answer", c.liaison, answered_on="2026-10-08")
    answer = deadlines(d, c.clerk)["lit_answer"]
    assert (answer["status"], answer["met_on"]) == ("met", "2026-10-08")
    assert Deadline.objects.get(subject_id=d.pk, rule__code="lit_answer").met_in_time

    d = act(
        d,
        "record_outcome",
        c.court_clerk,
        outcome=LitigationOutcome.JUDGMENT,
        decided_on="2026-10-20",
        agency_lost="no",
    )
    appeal = deadlines(d, c.clerk)["lit_appeal"]
    assert (appeal["due_on"], appeal["status"]) == ("2026-11-04", "open")  # 15 days, a Wednesday
    d = act(d, "take_effect", c.court_clerk, effective_on="2026-11-05")
    assert deadlines(d, c.clerk)["lit_appeal"]["status"] == "cancelled"


def test_withdrawal_cancels_every_running_clock(c):
    d = accepted_before_spring_festival(c)
    d = act(d, "withdraw", c.clerk, withdrawn_on="2026-02-10", reason="申请人撤回申请")
    statuses = {rule: row["status"] for rule, row in deadlines(d, c.clerk).items()}
    assert statuses == {
        "recon_acceptance_review": "met",
        "recon_copy_to_respondent": "cancelled",
        "recon_reply": "cancelled",
        "recon_decision": "cancelled",
    }


def test_closing_a_performed_case_keeps_the_follow_up_visit_running(c):
    d = accepted_before_spring_festival(c)
    d = act(
        d,
        "decide",
        c.clerk,
        decision_type=DecisionType.REVOKE,
        decided_on="2026-03-20",
        duty_to_perform=True,
        perform_by="2026-04-30",
    )
    d = act(d, "take_effect", c.clerk, effective_on="2026-04-06")
    d = act(d, "record_performance", c.liaison, performed_on="2026-04-28", performance_note="已重新作出决定")
    d = act(d, "close", c.clerk, closing_reason=ClosingReason.PERFORMED, reason="已履行")
    assert d.status == Status.CLOSED
    rows = deadlines(d, c.clerk)
    assert (rows["performance"]["status"], rows["performance"]["met_on"]) == ("met", "2026-04-28")
    assert (rows["followup_visit"]["status"], rows["followup_visit"]["due_on"]) == ("open", "2026-04-20")
    assert rows["recon_decision"]["status"] == "met"


def test_the_api_is_404_out_of_reach_and_lists_every_field(c):
    d = accepted_before_spring_festival(c)
    assert api(c.other_liaison).get(reverse("api-dispute-detail", args=[d.pk])).status_code == 404
    assert api(c.other_liaison).get(reverse("api-dispute-deadlines", args=[d.pk])).status_code == 404
    assert api(c.clerk).get(reverse("api-dispute-deadlines", args=[d.pk + 1000])).status_code == 404
    row = deadlines(d, c.liaison)["recon_decision"]  # the agency sees the centre's clock on its case
    for field in (
        "rule",
        "label",
        "basis",
        "starts_on",
        "length",
        "unit",
        "due_on",
        "status",
        "met_on",
        "days_left",
        "provisional",
    ):
        assert field in row


def test_the_case_page_lists_every_running_clock_with_its_basis(c):
    d = accepted_before_spring_festival(c)
    d = act(d, "schedule_hearing", c.clerk, hearing_at="2026-03-20T09:30", hearing_place="复议听证室")
    client = Client()
    client.force_login(c.clerk)
    response = client.get(d.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="zh-hans")
    html = response.content.decode()
    start = html.index('data-testid="deadlines"')
    card = html[start : html.index("</section>", start)]
    running = re.findall(r'data-rule="(\w+)" data-status="(\w+)"', card.split("deadlines-done")[0])
    assert sorted(running) == sorted(
        [
            ("recon_copy_to_respondent", "open"),
            ("recon_reply", "open"),
            ("hearing_notice", "open"),
            ("recon_decision", "open"),
        ]
    )
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", card))
    assert "申请书副本送被申请人" in text and "行政复议法 第四十八条" in text
    assert "7 个工作日，自 2026年2月6日 次日起算，节假日不计；末日 2026年2月24日" in text
    assert "行政复议决定" in text and "行政复议法 第六十二条" in text
    assert "已办结期限" in text and "受理审查" in text  # the met acceptance review, in the collapsed list


def test_cases_recorded_before_the_engine_get_the_clocks_a_replay_of_their_timeline_gives(c):
    recon = accepted_before_spring_festival(c)
    act(recon, "record_reply", c.liaison, reply_received_on="2026-02-26")
    act(recon, "suspend", c.clerk, suspended_on="2026-03-02", reason="双方申请和解")
    act(recon, "resume", c.clerk, resumed_on="2026-03-12")
    act(recon, "extend", c.clerk, days=30, approved_by="李局长", reason="案情复杂")
    act(recon, "decide", c.clerk, decision_type=DecisionType.ORDER_PERFORMANCE, decided_on="2026-05-11",
        perform_by="2026-06-30")  # fmt: skip
    sued = c.register(
        kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION, received_on=date(2026, 9, 1)
    )
    act(sued, "accept", c.clerk, accepted_on="2026-09-02")
    act(sued, "decide", c.clerk, decision_type=DecisionType.UPHOLD, decided_on="2026-09-10")
    act(sued, "file_suit", c.court_clerk, court=c.court.pk, court_case_number="(2026)鄂0322行初9号",
        filed_on="2026-09-14")  # fmt: skip
    act(sued, "receive_notice", c.liaison, received_on="2026-09-18")
    withdrawn = accepted_before_spring_festival(c)
    act(withdrawn, "withdraw", c.clerk, withdrawn_on="2026-03-02", reason="申请人撤回申请")
    c.register(applicant="赵", received_on=date(2026, 3, 2))  # a resolution case at intake: no clock

    def clocks():
        fields = (
            "subject_id",
            "rule__code",
            "key",
            "status",
            "starts_on",
            "due_on",
            "met_on",
            "paused_days_left",
        )
        return sorted(Deadline.objects.values_list(*fields))

    def earliest():
        return dict(Dispute.objects.values_list("pk", "next_due_on"))

    live, live_earliest = clocks(), earliest()
    assert len(live) >= 12 and {row[3] for row in live} >= {"open", "met", "missed", "cancelled"}
    assert {v for v in live_earliest.values() if v} and None in live_earliest.values()
    DeadlineChange.objects.all().delete()
    Deadline.objects.all().delete()  # as before the engine
    Dispute.objects.update(next_due_on=date(2020, 1, 1))  # and a column out of step, to be put right

    out = io.StringIO()
    call_command("plan_case_deadlines", "--dry-run", stdout=out)
    assert out.getvalue().startswith("4 cases have no stored deadlines.")
    call_command("plan_case_deadlines", stdout=out)
    assert clocks() == live
    assert earliest() == live_earliest
    # Each replayed clock has its history, as if the engine had watched the case.
    decision = Deadline.objects.get(subject_id=recon.pk, rule__code="recon_decision")
    assert list(decision.changes.order_by("pk").values_list("reason", flat=True)) == [
        "planned", "suspension", "resumption", "extension", "met",
    ]  # fmt: skip
    # Run again: the cases that have clocks are left alone.
    call_command("plan_case_deadlines", stdout=out)
    assert clocks() == live


def test_the_copy_served_meets_its_clock_and_the_reply_runs_from_it(c):
    d = accepted_before_spring_festival(c)
    refused(
        d, "send_copy", c.clerk, ValidationError, "copy_sent_on", copy_sent_on="2026-02-05"
    )  # before acceptance
    refused(d, "send_copy", c.liaison, PermissionDenied, copy_sent_on="2026-02-10")
    d = act(d, "send_copy", c.clerk, copy_sent_on="2026-02-10")
    assert d.status == Status.RECON_ACCEPTED and d.current_reconsideration.copy_sent_on == date(2026, 2, 10)
    rows = deadlines(d, c.clerk)
    assert (rows["recon_copy_to_respondent"]["status"], rows["recon_copy_to_respondent"]["met_on"]) == (
        "met",
        "2026-02-10",
    )
    # 10 working days from Tuesday 10 February: 11–13 (3), the make-up Saturday 14 (4), the Spring
    # Festival 15–23 skipped, 24–27 February (8), the make-up Saturday 28 (9), Monday 2 March (10).
    reply = rows["recon_reply"]
    assert (reply["starts_on"], reply["due_on"], reply["status"]) == ("2026-02-10", "2026-03-02", "open")
    assert Deadline.objects.get(pk=reply["id"]).changes.order_by("pk").last().reason == ChangeReason.REPLANNED
    # Recorded once; the reply may not come before the copy.
    error = refused(d, "send_copy", c.clerk, TransitionRefused, copy_sent_on="2026-02-11")
    assert "已登记" in str(error.message)
    refused(
        d, "record_reply", c.liaison, ValidationError, "reply_received_on", reply_received_on="2026-02-09"
    )
    d = act(d, "record_reply", c.liaison, reply_received_on="2026-03-02")
    assert deadlines(d, c.clerk)["recon_reply"]["status"] == "met"
