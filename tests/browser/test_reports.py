"""What a committee member opens Huajie for: the four 100% of the county, each explained, each drilling
down to its cases (a screenshot for the eye)."""

from demo import data
from demo.services import demo_seed

from .conftest import SCREENSHOTS, login


def test_committee_member_reads_the_four_and_drills_down(page, screenshot):
    demo_seed()
    login(page, "committee", data.DEMO_PASSWORD)
    page.get_by_role("link", name="统计报表").click()  # the committee's menu
    four = page.get_by_test_id("four")
    four.wait_for()
    assert four.locator("section.metric").count() == 4
    for label in ("推送开展实质性化解率", "行政机关负责人参与听证率", "符合条件的法律援助率", "决定后回访率"):
        assert label in four.inner_text(), label
    # The charts are drawn by ECharts, served by the app from the npm lockfile (no CDN).
    page.locator("[data-chart=trend] svg").wait_for()
    assert page.locator("[data-chart=gauge] svg").count() >= 1
    assert page.get_by_test_id("warnings").is_visible()
    screenshot(page, "reports-four")
    page.get_by_test_id("value-pushed_rate").click()
    page.get_by_test_id("section").first.wait_for()
    assert page.get_by_test_id("section").count() >= 3  # numerator, denominator, refusals
    screenshot(page, "reports-drilldown")


def test_the_centre_issues_a_bulletin_and_its_pdf_holds_the_figures(page, screenshot, tmp_path):
    import subprocess

    from pypdf import PdfReader

    from reports.models import Bulletin

    demo_seed()
    login(page, "clerk", data.DEMO_PASSWORD)
    page.goto(f"{page.base_url}/reports/")
    page.get_by_test_id("bulletins-link").click()
    form = page.get_by_test_id("build-form")
    form.locator("select[name=kind]").select_option("month")  # the day offered: one of last month
    form.get_by_test_id("build").click()
    page.get_by_test_id("issued-facts").wait_for(timeout=30_000)  # numbered, rendered, issued
    bulletin = Bulletin.objects.get()
    assert bulletin.document is not None and "化通〔" in bulletin.document.number
    with page.expect_download() as download:
        page.get_by_test_id("document-download").click()
    pdf = tmp_path / "bulletin.pdf"
    download.value.save_as(pdf)
    text = "".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert bulletin.snapshot["title"].replace("郧西县", "") in text and "推送开展实质性化解率" in text
    for figure in bulletin.snapshot["four"]:
        assert figure["label"] in text and figure["value"] in text
    # The first page as the reader sees it.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(SCREENSHOTS / "reports-bulletin-pdf")], check=True)  # fmt: skip
    page.goto(f"{page.base_url}/reports/bulletins/")
    assert page.get_by_test_id("bulletins").locator(f'[data-bulletin="{bulletin.pk}"]').is_visible()
    screenshot(page, "reports-bulletins")
