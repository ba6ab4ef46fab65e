"""The fourth of the four 100% as the clerk lives it (seed 000): a reconsideration decision is recorded;
the follow-up visit waits in the clerk's work with its due date; the clerk records a visit that finds the
dispute can still be resolved; the case is back in resolution, and its timeline shows the chain."""

from django.utils import timezone

from demo import data
from demo.services import demo_seed
from disputes.choices import CaseKind, MatterCategory
from followups.models import Visit

from .conftest import accepted_case, login


def test_decision_visit_in_my_work_visit_reopens_resolution(page, screenshot):
    demo_seed()
    today = timezone.localdate()
    dispute = accepted_case(
        kind=CaseKind.RECONSIDERATION,
        matter=MatterCategory.NATURAL_RESOURCES,
        applicant="何长青",
        act="责令恢复土地原状决定",
        act_number="郧西自然资罚〔2026〕71号",
        received_days_ago=40,
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
