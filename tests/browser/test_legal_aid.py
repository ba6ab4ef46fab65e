"""The third of the four 100% as the people live it (seed 000): the centre's clerk screens a party
without a lawyer as eligible and files the application; the legal-aid centre grants it and assigns the
lawyer Huajie proposes; the lawyer signs in and finds the case; another lawyer gets 404."""

from core.models import User
from demo import data
from demo.services import demo_seed
from disputes.choices import CaseKind, MatterCategory
from legal_aid.models import Application, Assignment, Screening

from .conftest import accepted_case, login


def test_clerk_screens_and_files_staff_grant_and_assign_the_lawyer_sees_the_case(page, screenshot):
    demo_seed()
    lawyer = User.objects.get(username="lawyer")
    dispute = accepted_case(
        kind=CaseKind.RESOLUTION,
        matter=MatterCategory.WORK_INJURY,
        applicant="冯德贵",
        act="不予认定工伤决定",
        act_number="郧西人社工伤〔2026〕61号",
        received_days_ago=3,
    )

    # The clerk: screened on the conditions of the Legal Aid Law, eligible with the reasons shown.
    login(page, "clerk", data.DEMO_PASSWORD)
    page.goto(page.base_url + dispute.get_absolute_url())
    card = page.get_by_test_id("legal-aid")
    assert "尚未审查" in card.inner_text()
    card.get_by_test_id("aid-screen").click()
    page.get_by_label("工伤赔偿").check()
    page.get_by_label("申请人已书面说明经济困难状况（个人诚信承诺）").check()
    screenshot(page, "aid-screening")
    page.get_by_test_id("aid-submit").click()
    card = page.get_by_test_id("legal-aid")
    assert card.get_by_test_id("aid-result").inner_text() == "符合条件"
    assert "第三十一条：工伤赔偿" in card.inner_text()
    assert Screening.objects.get(dispute=dispute).result == "eligible"

    # The application, with its materials.
    card.get_by_test_id("aid-apply").click()
    page.get_by_label("经济困难状况说明或特定人员证明").check()
    page.get_by_test_id("aid-submit").click()
    page.get_by_test_id("aid-status").wait_for()
    assert page.get_by_test_id("aid-status").inner_text() == "待审查"
    application = Application.objects.get(dispute=dispute)

    # The legal-aid centre: the application waits on its home page; granted, then the proposed lawyer.
    page.context.clear_cookies()
    login(page, "aid", data.DEMO_PASSWORD)
    waiting = page.get_by_test_id("panel").filter(has_text="待办法律援助申请")
    waiting.get_by_role("link").filter(has_text=dispute.number).click()
    decide = page.get_by_test_id("decide")
    decide.get_by_label("给予法律援助").check()
    decide.get_by_test_id("decide-submit").click()
    page.get_by_test_id("candidates").wait_for()
    assert page.get_by_test_id("aid-status").inner_text() == "已决定给予，待指派律师"
    proposed = page.get_by_test_id("candidates").locator("tr").filter(has=page.get_by_test_id("proposed"))
    assert lawyer.name in proposed.inner_text() and "擅长工伤认定" in proposed.inner_text()
    screenshot(page, "aid-assign")
    proposed.get_by_role("button", name="指派").click()
    page.get_by_test_id("assignments").wait_for()
    assert page.get_by_test_id("aid-status").inner_text() == "已指派律师"
    assert Assignment.objects.get(application=application).active_user == lawyer

    # The lawyer: the case on the home page, and open to read; another lawyer cannot reach it.
    page.context.clear_cookies()
    login(page, "lawyer", data.DEMO_PASSWORD)
    mine = page.get_by_test_id("panel").filter(has_text="我承办的法律援助案件")
    assert dispute.number in mine.inner_text()
    screenshot(page, "aid-lawyer-home")
    mine.get_by_role("link").filter(has_text=dispute.number).click()
    page.get_by_test_id("case-number").wait_for()
    assert "冯德贵" in page.get_by_test_id("legal-aid").inner_text()
    page.context.clear_cookies()
    login(page, "lawyer2", data.DEMO_PASSWORD)
    assert page.goto(page.base_url + dispute.get_absolute_url()).status == 404

    timeline_owner = User.objects.get(username="clerk")
    page.context.clear_cookies()
    login(page, timeline_owner.username, data.DEMO_PASSWORD)
    page.goto(page.base_url + dispute.get_absolute_url())
    timeline = page.get_by_test_id("timeline").inner_text()
    for entry in ("法律援助条件审查", "申请法律援助", "法律援助审查决定", "指派法律援助律师"):
        assert entry in timeline, entry
