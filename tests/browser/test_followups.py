"""The fourth of the four 100% as the clerk lives it (seed 000): a reconsideration decision is recorded;
the follow-up visit waits in the clerk's work with its due date; the clerk records a visit that finds the
dispute can still be resolved; the case is back in resolution, and its timeline shows the chain."""

from datetime import timedelta

from django.utils import timezone

from core.models import User
from demo import data
from demo.services import demo_seed
from disputes.choices import ActKind, CaseKind, Consent, MatterCategory, PartyKind, PartyRole, Source
from disputes.services import PartyInput, dispute_register, dispute_transition
from followups.models import Visit

from .conftest import login


def test_decision_visit_in_my_work_visit_reopens_resolution(page, screenshot):
    demo_seed()
    clerk = User.objects.get(username="clerk")
    today = timezone.localdate()
    dispute = dispute_register(
        actor=clerk,
        centre=clerk.organisation,
        data={
            "kind": CaseKind.RECONSIDERATION,
            "source": Source.RECONSIDERATION,
            "received_on": today - timedelta(days=40),
            "respondent": User.objects.get(username="liaison").organisation,
            "act_kind": ActKind.PENALTY,
            "act_date": today - timedelta(days=70),
            "act_document_number": "郧西自然资罚〔2026〕71号",
            "act_summary": "责令恢复土地原状决定",
            "matter": MatterCategory.NATURAL_RESOURCES,
            "claims": "请求撤销责令恢复原状决定",
            "facts": "申请人认为所占土地为自家宅基地",
            "consent": Consent.NOT_ASKED,
        },
        parties=[
            PartyInput(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name="何长青", phone="13972844444")
        ],
    )
    dispute_transition(
        dispute_id=dispute.pk,
        action="accept",
        actor=clerk,
        data={"accepted_on": (today - timedelta(days=39)).isoformat()},
    )

    # The decision, recorded on the case page.
    login(page, "clerk", data.DEMO_PASSWORD)
    page.goto(page.base_url + dispute.get_absolute_url())
    page.locator('[data-action="decide"]').click()
    page.locator("[name=decision_type]").select_option("uphold")
    page.locator("[name=decided_on]").fill(today.isoformat())
    page.get_by_test_id("action-submit").click()
    page.get_by_test_id("case-number").wait_for()
    visit = Visit.objects.get(dispute=dispute, status=Visit.Status.PLANNED)

    # The visit in the clerk's work, with its due date.
    page.goto(page.base_url + "/")
    work = page.get_by_test_id("panel").filter(has_text="我的回访")
    item = work.locator("li").filter(has_text=dispute.number)
    assert f"{visit.due_on.year}年{visit.due_on.month}月{visit.due_on.day}日" in item.inner_text()
    screenshot(page, "followup-my-work")
    item.get_by_role("link").first.click()

    # The visit: reached by phone, dissatisfied, partly performed, and the dispute can still be resolved.
    form = page.get_by_test_id("visit-form")
    form.get_by_label("电话").check()
    form.get_by_label("是", exact=True).first.check()
    form.get_by_label("回访对象").fill("申请人本人")
    form.get_by_label("满意程度").select_option("dissatisfied")
    form.get_by_label("决定是否已履行？").select_option("partly")
    form.get_by_label("尚存争议").fill("申请人愿就宅基地界址与自然资源局协商")
    form.get_by_label("是：重新启动化解").check()
    screenshot(page, "followup-visit-form")
    page.get_by_test_id("visit-submit").click()
    page.get_by_test_id("case-number").wait_for()
    assert page.get_by_test_id("case-status").inner_text() == "已受理，待指派化解员"
    visit.refresh_from_db()
    assert visit.status == Visit.Status.DONE and visit.reopened_by is not None
    # The chain on the timeline, in order: the decision, the visit, resolution reopened after it.
    timeline = page.get_by_test_id("timeline").inner_text()
    positions = [timeline.index(entry) for entry in ("登记复议决定", "决定后回访", "重新启动化解")]
    assert positions == sorted(positions), timeline
    assert "申请人愿就宅基地界址与自然资源局协商" in timeline
    screenshot(page, "followup-case-reopened")
