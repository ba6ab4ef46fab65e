"""The court clerk records a refused judicial confirmation in a real browser: the refusal's fields
appear only once a refusal is chosen, and the case goes back to the centre with the court's reasons."""

from demo import data
from demo.services import demo_seed
from disputes.models import Dispute

from .conftest import login

REASONS = "协议约定的补偿标准违反法律强制性规定"


def test_court_clerk_records_not_confirmed_and_the_case_returns_to_resolution(page):
    demo_seed()
    dispute = Dispute.objects.get(status="confirmation_requested")
    login(page, "court", data.DEMO_PASSWORD)
    page.goto(page.base_url + dispute.get_absolute_url())
    # 待司法确认 on the home page counts it and opens the list of such cases.
    page.goto(page.base_url + "/")
    page.get_by_text("待司法确认").click()
    page.get_by_text(dispute.number).click()
    page.locator('[data-action="confirm"]').click()
    page.get_by_test_id("action-submit").wait_for()
    page.wait_for_load_state()  # the page's script is deferred: it runs once the page is parsed

    reasons = page.locator("[name=court_reasons]")
    assert not reasons.is_visible()  # a confirmation has no reasons to give
    page.locator("[name=result]").select_option("not_confirmed")
    assert reasons.is_visible()
    page.locator("[name=confirmation_number]").fill("(2026)鄂0322民特9号")
    page.get_by_test_id("action-submit").click()
    # Refused without the reasons and where the case goes: the page says so on the fields.
    page.get_by_test_id("action-submit").wait_for()
    assert page.locator(".field.has-error [name=court_reasons]").count() == 1
    assert page.locator(".field.has-error [name=after_refusal]").count() == 1
    reasons.fill(REASONS)
    page.locator("[name=after_refusal]").select_option("mediating")
    page.get_by_test_id("action-submit").click()
    page.get_by_test_id("case-number").wait_for()

    dispute.refresh_from_db()
    assert dispute.status == "mediating"
    assert dispute.current_resolution.confirmation_refusal_reasons == REASONS
    assert "不予确认" in page.get_by_test_id("stages").inner_text()
    assert REASONS in page.get_by_test_id("timeline").inner_text()
