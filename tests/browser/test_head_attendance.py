"""The second of the four 100% as the people live it (seed 000): the clerk schedules a reconsideration
hearing; the agency head logs in, finds the request on the home page and answers that a deputy will
attend; on the day the clerk records who came and whether the head spoke; the case's timeline shows all
three."""

from datetime import timedelta

from django.utils import timezone

from core.models import User
from demo import data
from demo.services import demo_seed
from disputes.choices import ActKind, CaseKind, Consent, MatterCategory, PartyKind, PartyRole, Source
from disputes.clocks import case_deadlines
from disputes.services import PartyInput, dispute_register, dispute_transition
from hearings.models import Attendance, HeadAnswer, Hearing

from .conftest import login


def test_clerk_schedules_head_answers_a_deputy_clerk_records_it(page, screenshot):
    demo_seed()
    clerk, head, liaison = (User.objects.get(username=u) for u in ("clerk", "head", "liaison"))
    today = timezone.localdate()
    dispute = dispute_register(
        actor=clerk,
        centre=clerk.organisation,
        data={
            "kind": CaseKind.RECONSIDERATION,
            "source": Source.RECONSIDERATION,
            "received_on": today - timedelta(days=20),
            "respondent": head.organisation,
            "act_kind": ActKind.EXPROPRIATION,
            "act_date": today - timedelta(days=50),
            "act_document_number": "郧西自然资征〔2026〕63号",
            "act_summary": "观音镇集体土地征收补偿决定",
            "matter": MatterCategory.LAND,
            "claims": "请求撤销补偿决定",
            "facts": "申请人认为地上附着物未予补偿",
            "consent": Consent.NOT_ASKED,
        },
        parties=[
            PartyInput(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name="郑秀英", phone="13972822222")
        ],
    )
    dispute_transition(
        dispute_id=dispute.pk,
        action="accept",
        actor=clerk,
        data={"accepted_on": (today - timedelta(days=19)).isoformat()},
    )
    dispute_transition(
        dispute_id=dispute.pk,
        action="record_reply",
        actor=liaison,
        data={"reply_received_on": (today - timedelta(days=10)).isoformat()},
    )

    # The clerk schedules the hearing a month ahead (the notice served in good time).
    login(page, "clerk", data.DEMO_PASSWORD)
    page.goto(page.base_url + dispute.get_absolute_url())
    page.locator('[data-action="hearings.schedule"]').click()
    when = (timezone.localtime() + timedelta(days=30)).replace(hour=9, minute=30, second=0, microsecond=0)
    page.locator("[name=hearing_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.locator("[name=room]").select_option(label="复议听证室")
    page.locator("[name=presiding]").select_option(
        label=f"{clerk.name}（{clerk.title}）" if clerk.title else clerk.name
    )
    page.locator("[name=issues]").fill("征收补偿决定的合法性\n地上附着物是否应予补偿")
    screenshot(page, "clerk-schedules-hearing")
    page.get_by_test_id("action-submit").click()
    page.get_by_test_id("case-number").wait_for()
    hearing = Hearing.objects.get(dispute=dispute, status=Hearing.Status.SCHEDULED)
    assert (hearing.place, hearing.presiding, hearing.room.organisation.name) == (
        "复议听证室",
        clerk,
        "郧西县司法局",
    )

    # The head: the request on the home page, answered with a deputy.
    page.context.clear_cookies()
    login(page, "head", data.DEMO_PASSWORD)
    request = page.get_by_test_id("panel").filter(has_text="待答复的听证出席请求")
    assert dispute.number in request.inner_text()
    screenshot(page, "head-home-hearing-request")
    request.locator("li").filter(has_text=dispute.number).get_by_role("link", name="答复").click()
    page.get_by_test_id("answer-form").wait_for()
    page.get_by_label("副职负责人出席").check()
    page.get_by_label("出席的负责人（姓名及职务）").fill("孙丽（副局长）")
    page.get_by_test_id("answer-submit").click()
    page.wait_for_load_state("domcontentloaded")
    assert "副职负责人出席：孙丽（副局长）" in page.get_by_test_id("head-answer").inner_text()
    assert HeadAnswer.objects.get(hearing=hearing).answered_by == head
    ask = case_deadlines().get(subject_id=dispute.pk, rule__code="hearing_head_answer")
    assert (ask.status, ask.met_on) == ("met", today)  # the answer met the request's clock
    screenshot(page, "head-answered")
    page.goto(page.base_url + "/deadlines/")
    screenshot(page, "head-calendar")
    page.goto(page.base_url + f"/hearings/calendar/?day={when:%Y-%m-%d}")
    assert dispute.number in page.locator("main").inner_text()
    screenshot(page, "head-hearings-week")

    # The day comes (the test moves the hearing to this morning), and the clerk records who came: the
    # deputy, who spoke to the substance.
    held = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    Hearing.objects.filter(pk=hearing.pk).update(scheduled_at=held)
    page.context.clear_cookies()
    login(page, "clerk", data.DEMO_PASSWORD)
    page.goto(page.base_url + hearing.get_absolute_url())
    form = page.get_by_test_id("attendance-form")
    form.get_by_label("副职负责人").check()
    form.get_by_label("实际出席的负责人（姓名及职务）").fill("孙丽（副局长）")
    form.get_by_label("负责人就争议实质化解发表了意见").check()
    form.get_by_label("时长（分钟）").fill("80")
    page.get_by_test_id("attendance-submit").click()
    page.wait_for_load_state("domcontentloaded")
    assert "发表了实质意见" in page.get_by_test_id("attendance").inner_text()
    record = Attendance.objects.get(hearing=hearing)
    assert (record.attended, record.spoke, record.duration_minutes) == ("deputy", True, 80)
    screenshot(page, "hearing-attendance")

    page.goto(page.base_url + dispute.get_absolute_url())
    timeline = page.get_by_test_id("timeline").inner_text()
    for entry in ("安排听证", "答复负责人出席情况", "登记听证出席情况"):
        assert entry in timeline, entry
    assert "孙丽（副局长）" in timeline and head.name in timeline
