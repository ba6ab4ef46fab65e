"""Dates in order, on every lifecycle action (the rule table in disputes/actions/dates.py).

For each action with a date, a case is brought to where the action applies, with the event it depends
on recorded on a known day; the action dated the day before is refused on its field, in Chinese, naming
both dates, and writes nothing; dated that same day it is accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django import forms
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from disputes.actions import ACTIONS
from disputes.actions.dates import DATE_RULES
from disputes.choices import CaseKind, DecisionType, Source, Status
from disputes.models import DisputeEvent
from disputes.services import series_create
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act, writes_nothing

pytestmark = pytest.mark.django_db

S = Status


@pytest.fixture(autouse=True)
def _today():
    # 30 June 2026 in the centre's time zone: every date below is in the past.
    with time_machine.travel(datetime(2026, 6, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        yield


@pytest.fixture
def c():
    return County()


# --- cases brought to where each action applies ------------------------------------------------------


def accepted(c):
    return act(c.register(), "accept", c.clerk, accepted_on="2026-03-03")


def mediating(c):
    return act(accepted(c), "assign_mediators", c.clerk, mediators=[c.mediator.pk])


def in_session(c):
    return act(mediating(c), "record_session", c.mediator, held_on="2026-03-10", summary="第一次调解")


def agreed(c, **kw):
    return act(
        in_session(c), "reach_agreement", c.mediator, agreement_terms="补偿20万元", signed_on="2026-03-20"
    )


def confirmation_requested(c):
    return act(agreed(c), "request_confirmation", c.clerk, court=c.court.pk, requested_on="2026-03-25")


def failed(c):
    return act(in_session(c), "fail", c.clerk, reason="双方分歧较大")


def transferred(c):
    return act(
        failed(c),
        "transfer",
        c.clerk,
        target="litigation",
        transfer_to=c.court.pk,
        transferred_on="2026-03-25",
    )


def series_member(c):
    lead = agreed(c)
    member = accepted(c)
    series_create(actor=c.clerk, name="系列案", lead_id=lead.pk, member_ids=[member.pk])
    return member


def recon_accepted(c):
    d = c.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION)
    return act(d, "accept", c.clerk, accepted_on="2026-03-03")


def recon_replied(c):
    return act(recon_accepted(c), "record_reply", c.liaison, reply_received_on="2026-03-10")


def recon_suspended(c):
    return act(recon_replied(c), "suspend", c.clerk, suspended_on="2026-03-12", reason="等待鉴定结论")


def recon_heard(c):
    return act(
        recon_replied(c), "schedule_hearing", c.clerk, hearing_at="2026-03-20T10:00", hearing_place="复议室"
    )


DECISION = {"decision_type": DecisionType.UPHOLD, "decision_number": "郧西政复决字〔2026〕2号"}


def recon_decided(c, **kw):
    return act(recon_replied(c), "decide", c.clerk, decided_on="2026-04-20", **{**DECISION, **kw})


def lit_filed(c):
    return act(
        recon_decided(c),
        "file_suit",
        c.court_clerk,
        court=c.court.pk,
        court_case_number="(2026)鄂0322行初12号",
        filed_on="2026-04-25",
    )


def lit_noticed(c):
    return act(lit_filed(c), "receive_notice", c.liaison, received_on="2026-04-28")


def lit_answered(c):
    return act(lit_noticed(c), "file_answer", c.liaison, answered_on="2026-05-06")


def lit_heard(c):
    return act(lit_answered(c), "hold_session", c.court_clerk, session_at="2026-05-20T10:00")


def lit_decided(c, agency_lost="no"):
    return act(
        lit_heard(c),
        "record_outcome",
        c.court_clerk,
        outcome="judgment",
        decided_on="2026-05-25",
        agency_lost=agency_lost,
    )


def performing_recon(c):
    d = recon_decided(c, decision_type=DecisionType.ORDER_PERFORMANCE, perform_by="2026-06-20")
    return act(d, "take_effect", c.clerk, effective_on="2026-05-05")


def performing_lost(c):
    return act(lit_decided(c, agency_lost="yes"), "take_effect", c.court_clerk, effective_on="2026-06-05")


# --- one row per action: where it applies, its input, the date checked and the event it follows ----------


@dataclass
class Case:
    action: str
    setup: Callable
    actor: str
    field: str
    before: str  # a day (or moment) earlier than the event the action follows
    same_day: str  # the same day as that event
    message: str  # the refusal, as the clerk reads it
    data: dict = field(default_factory=dict)
    to_status: str = ""  # the status after the accepted action ("" when it does not change)


def data_for(c: County, case: Case) -> dict:
    return {k: (v(c) if callable(v) else v) for k, v in case.data.items()}


CASES = [
    Case(
        "accept",
        lambda c: c.register(),
        "clerk",
        "accepted_on",
        "2026-03-01",
        "2026-03-02",
        "受理日期（2026年3月1日）不得早于收案日期（2026年3月2日）",
        to_status=S.ACCEPTED,
    ),
    Case(
        "record_session",
        mediating,
        "mediator",
        "held_on",
        "2026-03-02",
        "2026-03-03",
        "化解会谈日期（2026年3月2日）不得早于受理日期（2026年3月3日）",
        data={"summary": "第一次调解"},
    ),
    Case(
        "reach_agreement",
        in_session,
        "mediator",
        "signed_on",
        "2026-03-09",
        "2026-03-10",
        "化解协议签订日期（2026年3月9日）不得早于最近一次化解会谈日期（2026年3月10日）",
        data={"agreement_terms": "补偿20万元"},
        to_status=S.AGREED,
    ),
    Case(
        "adopt_series_agreement",
        series_member,
        "clerk",
        "signed_on",
        "2026-03-19",
        "2026-03-20",
        "化解协议签订日期（2026年3月19日）不得早于示范案件化解协议签订日期（2026年3月20日）",
        data={"agreement_terms": "参照示范案件补偿20万元"},
        to_status=S.AGREED,
    ),
    Case(
        "request_confirmation",
        agreed,
        "clerk",
        "requested_on",
        "2026-03-19",
        "2026-03-20",
        "申请司法确认日期（2026年3月19日）不得早于化解协议签订日期（2026年3月20日）",
        data={"court": lambda c: c.court.pk},
        to_status=S.CONFIRMATION_REQUESTED,
    ),
    Case(
        "confirm",
        confirmation_requested,
        "court_clerk",
        "confirmed_on",
        "2026-03-24",
        "2026-03-25",
        "司法确认裁定日期（2026年3月24日）不得早于申请司法确认日期（2026年3月25日）",
        data={"confirmation_number": "(2026)鄂0322民特1号"},
        to_status=S.CLOSED,
    ),
    Case(
        "transfer",
        failed,
        "clerk",
        "transferred_on",
        "2026-03-09",
        "2026-03-10",
        "移送日期（2026年3月9日）不得早于最近一次化解会谈日期（2026年3月10日）",
        data={"target": "litigation", "transfer_to": lambda c: c.court.pk},
        to_status=S.TRANSFERRED,
    ),
    Case(
        "receive_feedback",
        transferred,
        "clerk",
        "feedback_on",
        "2026-03-24",
        "2026-03-25",
        "收到反馈函日期（2026年3月24日）不得早于移送日期（2026年3月25日）",
        data={"feedback_note": "已立案", "court_case_number": "(2026)鄂0322行初3号"},
        to_status=S.LIT_FILED,
    ),
    Case(
        "withdraw",
        agreed,
        "clerk",
        "withdrawn_on",
        "2026-03-19",
        "2026-03-20",
        "撤回申请日期（2026年3月19日）不得早于化解协议签订日期（2026年3月20日）",
        data={"reason": "申请人自愿撤回"},
        to_status=S.CLOSED,
    ),
    Case(
        "send_copy",
        recon_accepted,
        "clerk",
        "copy_sent_on",
        "2026-03-02",
        "2026-03-03",
        "申请书副本送达被申请人的日期（2026年3月2日）不得早于复议受理日期（2026年3月3日）",
        to_status=S.RECON_ACCEPTED,
    ),
    Case(
        "record_reply",
        recon_accepted,
        "liaison",
        "reply_received_on",
        "2026-03-02",
        "2026-03-03",
        "收到被申请人答复日期（2026年3月2日）不得早于复议受理日期（2026年3月3日）",
        to_status=S.RECON_REPLIED,
    ),
    Case(
        "schedule_hearing",
        recon_accepted,
        "clerk",
        "hearing_at",
        "2026-03-02T10:00",
        "2026-03-03T09:00",
        "听证时间（2026年3月2日 10:00）不得早于复议受理日期（2026年3月3日）",
        to_status=S.RECON_HEARING,
    ),
    Case(
        "suspend",
        recon_accepted,
        "clerk",
        "suspended_on",
        "2026-03-02",
        "2026-03-03",
        "中止日期（2026年3月2日）不得早于复议受理日期（2026年3月3日）",
        data={"reason": "等待鉴定结论"},
        to_status=S.RECON_SUSPENDED,
    ),
    Case(
        "resume",
        recon_suspended,
        "clerk",
        "resumed_on",
        "2026-03-11",
        "2026-03-12",
        "恢复审理日期（2026年3月11日）不得早于中止日期（2026年3月12日）",
        to_status=S.RECON_REPLIED,
    ),
    Case(
        "decide",
        recon_heard,
        "clerk",
        "decided_on",
        "2026-03-19",
        "2026-03-20",
        "复议决定日期（2026年3月19日）不得早于听证时间（2026年3月20日 10:00）",
        data=DECISION,
        to_status=S.RECON_DECIDED,
    ),
    Case(
        "file_suit",
        recon_decided,
        "court_clerk",
        "filed_on",
        "2026-04-19",
        "2026-04-20",
        "立案日期（2026年4月19日）不得早于复议决定日期（2026年4月20日）",
        data={"court": lambda c: c.court.pk, "court_case_number": "(2026)鄂0322行初12号"},
        to_status=S.LIT_FILED,
    ),
    Case(
        "receive_notice",
        lit_filed,
        "liaison",
        "received_on",
        "2026-04-24",
        "2026-04-25",
        "收到应诉通知书日期（2026年4月24日）不得早于立案日期（2026年4月25日）",
        to_status=S.LIT_NOTICED,
    ),
    Case(
        "file_answer",
        lit_noticed,
        "liaison",
        "answered_on",
        "2026-04-27",
        "2026-04-28",
        "提交答辩状日期（2026年4月27日）不得早于收到应诉通知书日期（2026年4月28日）",
        to_status=S.LIT_ANSWERED,
    ),
    Case(
        "hold_session",
        lit_answered,
        "court_clerk",
        "session_at",
        "2026-05-05T15:00",
        "2026-05-06T09:00",
        "开庭时间（2026年5月5日 15:00）不得早于提交答辩状日期（2026年5月6日）",
        to_status=S.LIT_HEARD,
    ),
    Case(
        "record_outcome",
        lit_heard,
        "court_clerk",
        "decided_on",
        "2026-05-19",
        "2026-05-20",
        "法院裁判日期（2026年5月19日）不得早于开庭时间（2026年5月20日 10:00）",
        data={"outcome": "judgment", "agency_lost": "no"},
        to_status=S.LIT_DECIDED,
    ),
    Case(
        "appeal",
        lit_decided,
        "court_clerk",
        "appealed_on",
        "2026-05-24",
        "2026-05-25",
        "上诉日期（2026年5月24日）不得早于法院裁判日期（2026年5月25日）",
        data={"court": lambda c: c.court.pk},
        to_status=S.LIT_APPEALED,
    ),
    Case(
        "take_effect",
        lit_decided,
        "court_clerk",
        "effective_on",
        "2026-05-24",
        "2026-05-25",
        "生效日期（2026年5月24日）不得早于法院裁判日期（2026年5月25日）",
        to_status=S.CLOSED,
    ),
    Case(
        "record_performance",
        performing_recon,
        "liaison",
        "performed_on",
        "2026-04-19",
        "2026-04-20",
        "履行日期（2026年4月19日）不得早于复议决定日期（2026年4月20日）",
        data={"performance_note": "已重新作出决定"},
    ),
    Case(
        "file_loss_report",
        performing_lost,
        "liaison",
        "submitted_on",
        "2026-05-24",
        "2026-05-25",
        "败诉分析报告提交日期（2026年5月24日）不得早于法院裁判日期（2026年5月25日）",
        data={"summary": "执法程序存在瑕疵，已整改"},
    ),
    Case(
        "close",
        agreed,
        "clerk",
        "closed_on",
        "2026-03-19",
        "2026-03-20",
        "结案日期（2026年3月19日）不得早于化解协议签订日期（2026年3月20日）",
        data={"closing_reason": "agreement_performed"},
        to_status=S.CLOSED,
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.action for case in CASES])
def test_a_date_before_the_event_it_follows_is_refused_and_the_same_day_accepted(c, case):
    d = case.setup(c)
    actor = getattr(c, case.actor)
    status, events = d.status, DisputeEvent.objects.filter(dispute=d).count()
    data = data_for(c, case)

    with writes_nothing(), pytest.raises(ValidationError) as info:
        act(d, case.action, actor, **data, **{case.field: case.before})
    assert info.value.message_dict[case.field] == [case.message + "。"]
    d.refresh_from_db()
    assert (d.status, d.events.count()) == (status, events)

    d = act(d, case.action, actor, **data, **{case.field: case.same_day})
    assert d.status == (case.to_status or status)
    assert d.events.count() == events + 1
    assert d.events.order_by("-pk").first().action == case.action


def test_every_date_of_every_action_has_its_rule():
    """A new date field on an action form must say which earlier event it follows (and a rule must
    name a field its action's form has)."""
    dated = {
        action: {
            name
            for name, form_field in spec.form.base_fields.items()
            if isinstance(form_field, forms.DateField | forms.DateTimeField)
        }
        for action, spec in ACTIONS.items()
    }
    ruled = {action: set(fields) for action, fields in DATE_RULES.items()}
    assert {a: f for a, f in dated.items() if f} == ruled
    tested = {case.action for case in CASES}
    assert tested == set(DATE_RULES), "every action with a date has its case above"


def test_a_performance_deadline_cannot_precede_the_decision_that_sets_it(c):
    d = recon_heard(c)
    with writes_nothing(), pytest.raises(ValidationError) as info:
        act(
            d,
            "decide",
            c.clerk,
            **{**DECISION, "decision_type": DecisionType.ORDER_PERFORMANCE},
            decided_on="2026-04-20",
            perform_by="2026-04-19",
        )
    assert info.value.message_dict["perform_by"] == [
        "履行期限（2026年4月19日）不得早于复议决定日期（2026年4月20日）。"
    ]
    d = act(
        d,
        "decide",
        c.clerk,
        **{**DECISION, "decision_type": DecisionType.ORDER_PERFORMANCE},
        decided_on="2026-04-20",
        perform_by="2026-04-20",
    )
    assert d.perform_by.isoformat() == "2026-04-20"


def test_a_transfer_dated_before_the_administrative_act_is_refused(c):
    d = act(accepted(c), "fail", c.clerk, reason="双方分歧较大")
    with writes_nothing(), pytest.raises(ValidationError) as info:
        act(d, "transfer", c.clerk, target="litigation", transfer_to=c.court.pk, transferred_on="2026-01-10")
    # Of the events it precedes (the act on 15 January, receipt, acceptance), the latest is named.
    assert info.value.message_dict["transferred_on"] == [
        "移送日期（2026年1月10日）不得早于受理日期（2026年3月3日）。"
    ]


def test_the_api_gives_the_same_refusal_on_the_field_and_writes_nothing(c):
    d = agreed(c)
    client = APIClient()
    client.force_authenticate(c.clerk)
    with writes_nothing():
        response = client.post(
            f"/api/disputes/{d.pk}/transitions/request_confirmation/",
            {"expected_status": S.AGREED, "court": c.court.pk, "requested_on": "2026-03-01"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 400, response.content
    assert "申请司法确认日期（2026年3月1日）不得早于化解协议签订日期（2026年3月20日）" in str(
        response.json()["requested_on"]
    )


def test_the_page_gives_the_refusal_on_the_field_and_writes_nothing(c, client):
    from django.urls import reverse

    d = confirmation_requested(c)
    client.force_login(c.court_clerk)
    with writes_nothing():
        response = client.post(
            reverse("disputes:action", args=[d.pk, "confirm"]),
            {
                "expected_status": S.CONFIRMATION_REQUESTED,
                "result": "confirmed",
                "confirmed_on": "2026-03-01",
                "confirmation_number": "(2026)鄂0322民特1号",
            },
        )
    assert response.status_code == 200
    assert (
        "司法确认裁定日期（2026年3月1日）不得早于申请司法确认日期（2026年3月25日）"
        in response.content.decode()
    )


def test_a_series_member_accepted_after_the_lead_signed_adopts_no_earlier_than_its_acceptance(c):
    from disputes.services import series_apply_lead_agreement

    lead = agreed(c)  # signed 20 March
    late = act(
        c.register(applicant="何翠兰", received_on="2026-04-01"), "accept", c.clerk, accepted_on="2026-04-02"
    )
    early = accepted(c)  # accepted 3 March
    series = series_create(actor=c.clerk, name="系列案", lead_id=lead.pk, member_ids=[late.pk, early.pk])
    series_apply_lead_agreement(series_id=series.pk, actor=c.clerk, member_ids=[late.pk, early.pk])
    late.refresh_from_db()
    early.refresh_from_db()
    assert late.status == early.status == S.AGREED
    assert late.current_resolution.agreement_signed_on.isoformat() == "2026-04-02"
    assert early.current_resolution.agreement_signed_on.isoformat() == "2026-03-20"  # the lead's day
