"""Security in a real browser: masked ID and phone numbers shown whole only by the audited 显示 button, the
audit administrator finding that showing in the audit log, the user's sessions and second-factor pages,
and the lockout after five wrong passwords."""

import re

from demo import data
from demo.services import demo_seed
from disputes.models import Dispute

from .conftest import login

CASE = "郧西自然资征〔2026〕11号"  # 王大山, a person: an ID number and a phone


def test_masked_numbers_the_audited_showing_and_the_audit_log(page, screenshot):
    demo_seed()
    dispute = Dispute.objects.get(act_document_number=CASE)
    party = dispute.parties.get()
    login(page, "clerk", data.DEMO_PASSWORD)
    page.goto(page.base_url + dispute.get_absolute_url())
    parties = page.get_by_test_id("parties")
    identifier = parties.get_by_test_id("party-identifier").first.inner_text().strip()
    phone = parties.get_by_test_id("party-phone").first.inner_text()
    assert re.fullmatch(r"\d{6}\*{8}[\dX]{3}[\dX]", identifier), identifier
    assert identifier == party.id_number[:6] + "********" + party.id_number[-4:]
    assert "139****2345" in phone and party.phone not in page.content()
    assert party.id_number not in page.content()
    whole = screenshot(page, "security-case-page")
    parties.screenshot(path=str(whole.with_name("security-case-parties.png")))

    parties.get_by_test_id("reveal").first.click()
    page.get_by_test_id("party-numbers").wait_for()
    assert page.get_by_test_id("full-id-number").inner_text() == party.id_number
    assert page.get_by_test_id("full-phone").inner_text() == party.phone
    screenshot(page, "security-party-reveal")

    # The audit administrator finds the showing: by the menu, then by the action.
    page.context.clear_cookies()
    login(page, "shenji", data.DEMO_PASSWORD)
    page.get_by_role("link", name="审计日志").click()
    page.get_by_test_id("audit-entries").wait_for()
    page.locator("[name=action]").select_option(label="查看个人敏感信息")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_load_state("domcontentloaded")
    entries = page.get_by_test_id("audit-entries")
    rows = entries.locator("tbody tr")
    assert rows.count() == 1
    row = rows.first.inner_text()
    assert "clerk" in row and "查看个人敏感信息" in row and dispute.number in row
    assert party.id_number not in page.content()
    assert page.locator(".sidenav a.current").inner_text() == "审计日志"
    screenshot(page, "security-audit-log")

    # Her own sessions and the second-factor page (enrolment: the QR and the key).
    page.get_by_test_id("security-link").click()
    page.get_by_test_id("sessions").wait_for()
    assert page.get_by_test_id("session-row").count() == 1
    assert page.locator(".sidenav a.current").count() == 0  # her own page, not the audit log
    screenshot(page, "security-sessions")
    page.get_by_test_id("otp-link").click()
    page.get_by_test_id("otp-qr").wait_for()
    assert page.get_by_test_id("otp-qr").evaluate("img => img.naturalWidth") > 0
    assert re.fullmatch(r"[A-Z2-7]{32}", page.get_by_test_id("otp-secret").inner_text())
    screenshot(page, "security-second-factor")


def test_five_wrong_passwords_lock_the_account(page, screenshot):
    demo_seed()
    for _ in range(5):
        login(page, "mediator", "not-the-password")
    login(page, "mediator", data.DEMO_PASSWORD)
    locked = page.get_by_test_id("locked-out")
    assert locked.is_visible()
    assert "已锁定 15 分钟" in locked.inner_text()
    assert "/accounts/login/" in page.url
    screenshot(page, "security-locked-out")

    # The security administrator sees the locked account on the desk and unlocks it.
    login(page, "anquan", data.DEMO_PASSWORD)
    page.get_by_role("link", name="安全管理").click()
    locked_rows = page.get_by_test_id("locked").locator("tbody tr")
    assert "mediator" in locked_rows.first.inner_text()
    screenshot(page, "security-desk")
    page.get_by_test_id("unlock").click()
    page.get_by_test_id("locked").wait_for()
    assert "mediator" not in page.get_by_test_id("locked").inner_text()
    page.context.clear_cookies()
    login(page, "mediator", data.DEMO_PASSWORD)
    assert page.get_by_test_id("current-user").is_visible()
