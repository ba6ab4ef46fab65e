"""A clerk takes disputes through their lifecycle in a real browser, by clicking.

Fields are found by their form names and buttons by test ids or by the data they show (names,
organisations), so the tests do not depend on which translations have been merged.
"""

import re

from demo import data
from demo.services import demo_seed
from disputes.models import Dispute
from tests.disputes.factories import resident_id

from .conftest import login


def register(page, *, applicant: str, id_number: str, summary: str, screenshot=None) -> Dispute:
    page.goto(page.base_url + "/")
    page.locator('nav a[href="/disputes/new/"]').click()
    page.get_by_test_id("register-submit").wait_for()
    page.locator("[name=kind]").select_option("resolution")
    page.locator("[name=source]").select_option("walk_in")
    page.locator("[name=received_on]").fill("2026-11-02")
    page.locator("[name=respondent]").select_option(label="郧西县自然资源和规划局")
    page.locator("[name=act_kind]").select_option("expropriation")
    page.locator("[name=act_date]").fill("2026-10-15")
    page.locator("[name=act_document_number]").fill("郧西自然资征〔2026〕31号")
    page.locator("[name=act_summary]").fill(summary)
    page.locator("[name=matter]").select_option("land")
    page.locator("[name=amount]").fill("186000")
    page.locator("[name=claims]").fill("请求撤销补偿安置决定，按新标准补偿")
    page.locator("[name=facts]").fill("申请人房屋位于土门镇，补偿标准低于邻村")
    page.locator("[name=parties-0-name]").fill(applicant)
    page.locator("[name=parties-0-id_number]").fill(id_number)
    page.locator("[name=parties-0-phone]").fill("13907191234")
    page.locator("[name=parties-0-address]").fill("郧西县土门镇联合村")
    # A legal person shows its own fields instead of the ID number.
    page.locator("[name=parties-0-kind]").select_option("legal_person")
    assert page.locator("[name=parties-0-credit_code]").is_visible()
    assert not page.locator("[name=parties-0-id_number]").is_visible()
    page.locator("[name=parties-0-kind]").select_option("person")
    assert page.locator("[name=parties-0-id_number]").is_visible()
    if screenshot:
        screenshot(page, "dispute-register-form")
    page.get_by_test_id("register-submit").click()
    page.get_by_test_id("case-number").wait_for()
    dispute = Dispute.objects.get(number=page.get_by_test_id("case-number").inner_text())
    assert dispute.applicant_names == applicant
    assert dispute.number in page.locator(".messages").inner_text()
    return dispute


def act(page, action: str, fill=None, shot=None) -> None:
    """Click the action's button on the case page, fill its form, submit, and be back on the case."""
    page.locator(f'[data-action="{action}"]').click()
    page.get_by_test_id("action-submit").wait_for()
    if fill:
        fill(page)
    if shot:
        shot(page)
    page.get_by_test_id("action-submit").click()
    page.get_by_test_id("case-number").wait_for()
    assert page.locator(".message-error").count() == 0, page.locator(".messages").inner_text()


def status(page) -> str:
    return page.get_by_test_id("case-status").inner_text()


def test_clerk_registers_and_resolves_a_dispute_to_judicial_confirmation(page, screenshot):
    demo_seed()
    login(page, "clerk", data.DEMO_PASSWORD)
    dispute = register(
        page,
        applicant="周明远",
        id_number=resident_id("19760419", "135"),
        summary="土门镇集体土地征收补偿安置决定",
        screenshot=screenshot,
    )
    # A case for the centre's resolution has no statutory clock at intake; acceptance starts its 30 days.
    assert page.get_by_test_id("clock").count() == 0
    assert page.locator('[data-action="assign_mediators"]').count() == 0

    act(page, "accept")
    assert "化解期限" in page.get_by_test_id("clock").inner_text()
    act(
        page,
        "assign_mediators",
        lambda p: p.get_by_label("陈建国").check(),
        shot=lambda p: screenshot(p, "dispute-action-assign-mediators"),
    )
    assert "陈建国" in page.get_by_test_id("mediators").inner_text()
    act(page, "reach_agreement", lambda p: p.locator("[name=agreement_terms]").fill("补偿20万元，30日内支付"))
    page.locator("[name=text]").fill("双方已签署化解协议，待申请司法确认")
    page.locator("[data-testid=note-form] button[type=submit]").click()
    page.get_by_test_id("case-number").wait_for()
    page.locator("[name=file]").set_input_files(
        files=[{"name": "化解协议书.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 agreement"}]
    )
    page.locator("[data-testid=upload-form] button[type=submit]").click()
    page.get_by_test_id("case-number").wait_for()
    assert "化解协议书.pdf" in page.get_by_test_id("timeline").inner_text()
    screenshot(page, "dispute-case-midway")

    act(
        page,
        "request_confirmation",
        lambda p: p.locator("[name=court]").select_option(label="郧西县人民法院"),
    )
    # The court clerk records the confirmation.
    page.context.clear_cookies()
    login(page, "court", data.DEMO_PASSWORD)
    page.goto(page.base_url + dispute.get_absolute_url())
    act(page, "confirm", lambda p: p.locator("[name=confirmation_number]").fill("(2026)鄂0322民特8号"))
    dispute.refresh_from_db()
    assert dispute.status == "closed" and dispute.closing_reason == "confirmed"
    assert page.get_by_test_id("clock").count() == 0
    timeline = page.get_by_test_id("timeline").inner_text()
    assert "(2026)鄂0322民特8号" in timeline and "李娜" in timeline
    page.locator("[data-testid=history] summary").click()
    assert page.locator("[data-testid=history] table").is_visible()
    screenshot(page, "dispute-case-closed")
    assert [e.action for e in dispute.events.exclude(action__in=["note", "attach"])] == [
        "register",
        "accept",
        "assign_mediators",
        "reach_agreement",
        "request_confirmation",
        "confirm",
    ]


def test_failed_resolution_goes_to_reconsideration_and_is_decided(page, screenshot):
    demo_seed()
    login(page, "clerk", data.DEMO_PASSWORD)
    dispute = register(
        page, applicant="刘桂兰", id_number=resident_id("19670812", "246"), summary="宅基地使用权确认决定"
    )
    act(page, "accept")
    act(page, "fail", lambda p: p.locator("[name=reason]").fill("被申请人坚持原决定，双方分歧较大"))
    assert dispute.number in page.get_by_test_id("case-number").inner_text()

    def transfer(p):
        p.locator("[name=target]").select_option("reconsideration")
        p.locator("[name=transfer_to]").select_option(label="郧西县司法局")

    act(page, "transfer", transfer)
    screenshot(page, "dispute-case-transferred")
    act(page, "receive_feedback", lambda p: p.locator("[name=feedback_note]").fill("已受理行政复议申请"))
    assert page.get_by_test_id("clock").is_visible()
    # The header clock writes its last day as the language does (2026年3月9日), not in ISO form.
    assert re.search(r"\d{4}年\d{1,2}月\d{1,2}日", page.get_by_test_id("clock").inner_text())

    def decide(p):
        p.locator("[name=decision_type]").select_option("revoke")
        p.locator("[name=decision_number]").fill("郧西复决字〔2026〕5号")

    act(page, "decide", decide)
    dispute.refresh_from_db()
    assert dispute.status == "recon_decided"
    recon = dispute.current_reconsideration
    assert recon.decision_type == "revoke" and recon.decision_number == "郧西复决字〔2026〕5号"
    assert "郧西县司法局" in page.get_by_test_id("stages").inner_text()
    screenshot(page, "dispute-case-recon-decided")


def test_register_form_shows_errors_and_keeps_input(page, screenshot):
    demo_seed()
    before = Dispute.objects.count()
    login(page, "clerk", data.DEMO_PASSWORD)
    page.goto(page.base_url + "/disputes/new/")
    page.locator("[name=source]").select_option("court_push")
    assert page.locator("[name=court]").is_visible()
    page.locator("[name=parties-0-name]").fill("王大山")
    page.locator("[name=parties-0-id_number]").fill(resident_id()[:-1] + "0")
    page.get_by_test_id("register-submit").click()
    page.get_by_test_id("error-summary").wait_for()
    assert page.locator("[name=parties-0-name]").input_value() == "王大山"
    assert page.locator("[name=court]").is_visible()  # the court-push fields stay open
    screenshot(page, "dispute-register-errors")
    assert Dispute.objects.count() == before
