"""The hearing step, which the hearings app plugs into the case page through disputes' seam: its
button sits among the lifecycle actions and looks like them; its page records the hearing."""

from datetime import timedelta

from django.utils import timezone

from demo import data
from demo.services import demo_seed
from disputes.models import Dispute
from hearings.models import Hearing

from .conftest import login


def test_clerk_reschedules_a_hearing_from_the_case_page(page, screenshot):
    demo_seed()
    dispute = Dispute.objects.get(status="recon_hearing")
    first = Hearing.objects.get(dispute=dispute)
    login(page, "clerk", data.DEMO_PASSWORD)
    page.goto(page.base_url + dispute.get_absolute_url())

    # The hearings card, and the app's button among the lifecycle buttons, styled like them.
    assert "复议听证室" in page.get_by_test_id("hearings").inner_text()  # the demo hearing's room
    button = page.locator('[data-action="hearings.schedule"]')
    lifecycle = page.locator('[data-action="suspend"]')  # a lifecycle action of the same tone
    style = "e => { const s = getComputedStyle(e); return [s.backgroundColor, s.color, s.fontSize, s.height, s.borderRadius]; }"
    assert button.evaluate(style) == lifecycle.evaluate(style)
    assert button.get_attribute("class") == lifecycle.get_attribute("class")
    screenshot(page, "hearing-case-page")

    button.click()
    page.get_by_test_id("action-submit").wait_for()
    assert page.get_by_test_id("replaces").is_visible()  # says the old hearing will be cancelled
    when = (timezone.localtime() + timedelta(days=9)).replace(hour=14, minute=30)
    page.locator("[name=hearing_at]").fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.locator("[name=hearing_place]").fill("郧西县司法局第二听证室")
    page.locator("[name=notice_served_on]").fill(timezone.localdate().isoformat())
    screenshot(page, "hearing-schedule-form")
    page.get_by_test_id("action-submit").click()
    page.get_by_test_id("case-number").wait_for()
    assert page.locator(".message-error").count() == 0, page.locator(".messages").inner_text()

    card = page.get_by_test_id("hearings").inner_text()
    assert "郧西县司法局第二听证室" in card and "已重新安排" in card
    first.refresh_from_db()
    assert first.status == Hearing.Status.CANCELLED and first.room is not None
    # Another place typed over the room it had: held there, not in the room.
    assert Hearing.objects.get(dispute=dispute, status=Hearing.Status.SCHEDULED).room is None
    assert (
        Hearing.objects.get(dispute=dispute, status=Hearing.Status.SCHEDULED).place
        == "郧西县司法局第二听证室"
    )
    assert "郧西县司法局第二听证室" in page.get_by_test_id("timeline").inner_text()
    screenshot(page, "hearing-rescheduled")
