"""What a committee member opens Huajie for: the four 100% of the county, each explained, each drilling
down to its cases (a screenshot for the eye)."""

from demo import data
from demo.services import demo_seed

from .conftest import login


def test_committee_member_reads_the_four_and_drills_down(page, screenshot):
    demo_seed()
    login(page, "committee", data.DEMO_PASSWORD)
    page.get_by_role("link", name="统计报表").click()  # the committee's menu
    four = page.get_by_test_id("four")
    four.wait_for()
    assert four.locator("section.metric").count() == 4
    for label in ("推送开展实质性化解率", "行政机关负责人参与听证率", "符合条件的法律援助率", "决定后回访率"):
        assert label in four.inner_text(), label
    screenshot(page, "reports-four")
    page.get_by_test_id("value-pushed_rate").click()
    page.get_by_test_id("section").first.wait_for()
    assert page.get_by_test_id("section").count() >= 3  # numerator, denominator, refusals
    screenshot(page, "reports-drilldown")
