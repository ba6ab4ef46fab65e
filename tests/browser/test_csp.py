"""The Content-Security-Policy in a real browser: the pages whose scripts were moved out of the templates
still work, and Chromium reports no violation on them (it logs each refused script, style or frame on
the console): the moved pages, the document preview, Swagger UI, the dashboard and the admin."""

from demo import data
from demo.services import demo_seed
from disputes.models import Dispute
from documents.services import document_draft_create

from .conftest import login


def watch_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


def test_register_and_action_pages_work_without_inline_script(page):
    violations = watch_violations(page)
    demo_seed()
    login(page, "clerk", data.DEMO_PASSWORD)

    page.goto(page.base_url + "/disputes/new/")
    page.get_by_test_id("register-submit").wait_for()
    # register.js: the court's fields follow the source, a party is added from the template.
    court = page.locator("[data-when-source]")
    page.locator("[name=source]").select_option("walk_in")
    assert not court.is_visible()
    page.locator("[name=source]").select_option("court_push")
    assert court.is_visible()
    page.locator("#add-party").click()
    assert page.locator("[name=parties-1-name]").count() == 1
    page.locator("[name=parties-0-kind]").select_option("legal_person")
    assert page.locator("[name=parties-0-credit_code]").is_visible()

    dispute = Dispute.objects.get(act_document_number="郧西自然资征〔2026〕11号")
    page.goto(page.base_url + dispute.get_absolute_url())
    page.get_by_test_id("case-number").wait_for()
    page.goto(page.base_url + f"/disputes/{dispute.pk}/act/accept/")
    page.get_by_test_id("action-submit").wait_for()

    page.goto(page.base_url + "/deadlines/calendar/")
    page.get_by_test_id("feed-address").click()  # huajie.js selects the whole address
    selected = page.evaluate(
        "() => { const f = document.querySelector('[data-testid=feed-address]');"
        " return f.value.substring(f.selectionStart, f.selectionEnd); }"
    )
    assert selected and selected == page.get_by_test_id("feed-address").input_value()
    assert violations == []


def test_document_preview_api_docs_and_admin_run_under_the_policy(page):
    violations = watch_violations(page)
    demo_seed()
    from core.models import User

    clerk = User.objects.get(username="clerk")
    dispute = Dispute.objects.get(act_document_number="郧西自然资征〔2026〕11号")
    draft = document_draft_create(actor=clerk, subject=dispute, doc_type="acceptance_notice")
    login(page, "clerk", data.DEMO_PASSWORD)

    # The draft page and its preview frame (a whole page with its own <style>, allowed for it alone).
    page.goto(page.base_url + f"/documents/{draft.pk}/")
    preview = page.frame_locator("[data-testid=draft-preview]")
    preview.locator("body").get_by_text(dispute.number).first.wait_for()

    # Swagger UI: its start-up script comes from ?script, the schema from /api/schema/.
    page.goto(page.base_url + "/api/docs/")
    page.locator(".swagger-ui .info .title").wait_for()
    page.locator(".opblock").first.wait_for()

    # The dashboard's charts (ECharts styles its elements from script, which the policy allows).
    page.goto(page.base_url + "/reports/")
    page.locator("[data-chart=trend] svg").wait_for()

    page.context.clear_cookies()
    login(page, "admin", data.DEMO_PASSWORD)
    page.goto(page.base_url + "/admin/")
    page.locator("#content").wait_for()
    page.goto(page.base_url + "/admin/core/user/")
    page.locator("#changelist").wait_for()
    page.goto(page.base_url + f"/admin/core/user/{clerk.pk}/change/")
    page.locator("#content-main form").wait_for()
    assert violations == []
