"""The Guangzhou loop as the agency and the centre live it (seed 003): the liaison is reminded 7 days
before the answer deadline, reports the notice (报备) in one click from the home page, opens the
reminder in the notification centre and records the answer in one click, which is the agency's
feedback (反馈); the centre's clerk sees both on the case, and the month of deadlines."""

from datetime import timedelta

from django.utils import timezone

from core.models import Organisation, User
from deadlines.models import Reminder
from deadlines.reminders import reminders_send_due
from demo import data
from demo.services import demo_seed
from disputes.choices import ActKind, CaseKind, Consent, MatterCategory, PartyKind, PartyRole, Source
from disputes.clocks import case_deadlines
from disputes.services import PartyInput, dispute_register, dispute_transition

from .conftest import login


def test_liaison_is_reminded_reports_and_answers_and_the_clerk_sees_the_feedback(page, screenshot):
    demo_seed()
    clerk, court, liaison = (User.objects.get(username=u) for u in ("clerk", "court", "liaison"))
    today = timezone.localdate()
    court_org = Organisation.objects.get(name="郧西县人民法院")
    dispute = dispute_register(
        actor=clerk,
        centre=clerk.organisation,
        data={
            "kind": CaseKind.RESOLUTION,
            "source": Source.COURT_PUSH,
            "court": court_org,
            "received_on": today - timedelta(days=12),
            "respondent": liaison.organisation,
            "act_kind": ActKind.EXPROPRIATION,
            "act_date": today - timedelta(days=60),
            "act_document_number": "郧西自然资征〔2026〕57号",
            "act_summary": "关防乡集体土地征收补偿安置决定",
            "matter": MatterCategory.LAND,
            "claims": "请求撤销补偿安置决定",
            "facts": "原告认为安置房面积计算有误",
            "consent": Consent.REFUSED,
            "consent_note": "原告坚持起诉，不同意诉前化解",
        },
        parties=[
            PartyInput(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name="吴春梅", phone="13972811111")
        ],
    )
    # Refused pre-filing resolution: the court files the case at once; the agency gets the notice.
    assert dispute.status == "lit_filed"
    dispute = dispute_transition(
        dispute_id=dispute.pk,
        action="receive_notice",
        actor=court,
        data={"received_on": (today - timedelta(days=8)).isoformat()},
    )
    answer = case_deadlines().get(subject_id=dispute.pk, rule__code="lit_answer")
    week_before = Reminder.objects.get(deadline=answer, offset_days=7, recipient=liaison)
    assert reminders_send_due(today=week_before.remind_on) >= 1

    # The liaison's home: the overdue 报备 with its one-click button; the bell counts the reminder.
    login(page, "liaison", data.DEMO_PASSWORD)
    panel = page.get_by_test_id("panel").filter(has_text="我的期限")
    report = panel.locator("li").filter(has_text=f"{dispute.number} 收文报备")
    assert "已逾期 6 日" in report.inner_text()
    screenshot(page, "agency-home-duties")
    report.get_by_test_id("one-click").click()
    page.wait_for_load_state("domcontentloaded")
    assert "已完成：收文报备" in page.locator(".messages").inner_text()

    # The notification centre: the 7-day reminder, linking to where the answer is recorded.
    page.goto(page.base_url + "/notifications/")
    reminder = page.get_by_test_id("inbox").locator("li").filter(has_text="行政应诉答辩及举证")
    assert dispute.number in reminder.inner_text() and "日届满" in reminder.inner_text()
    screenshot(page, "agency-reminder-inbox")
    reminder.locator("a.inbox-title").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.get_by_label("答辩日期").input_value() == today.isoformat()
    page.get_by_test_id("action-submit").click()  # the one click: the day is today's
    page.wait_for_load_state("domcontentloaded")
    assert "已完成" in page.locator(".messages").inner_text()
    assert case_deadlines().get(pk=answer.pk).status == "met"
    feedback = case_deadlines().get(subject_id=dispute.pk, rule__code="feedback")
    assert (feedback.status, feedback.met_on) == ("met", today)

    # The centre's clerk sees the report and the answer on the case, by the liaison, and the met clocks.
    page.context.clear_cookies()
    login(page, "clerk", data.DEMO_PASSWORD)
    page.goto(page.base_url + dispute.get_absolute_url())
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "收文报备" in timeline and "登记答辩" in timeline and liaison.name in timeline
    done = page.get_by_test_id("deadlines-done")
    done.locator("summary").click()
    assert "情况反馈" in done.inner_text() and "收文报备" in done.inner_text()
    screenshot(page, "centre-case-feedback")
    page.goto(page.base_url + f"/deadlines/?m={answer.due_on:%Y-%m}")
    day = page.locator(f'td[data-day="{answer.due_on.isoformat()}"]')
    assert dispute.number not in day.inner_text() or "status-met" in day.inner_html()
    screenshot(page, "deadline-month")
