"""A clerk produces an official document in a real browser: from the case page to the issued PDF.

The rendering, which a Celery worker does in production, is held back and run by the test itself,
so the progress bar can be watched moving and finishing. Elements are found by test ids and data,
so the test does not depend on which translations have been merged.
"""

import re

from demo import data
from demo.services import demo_seed
from disputes.models import Dispute
from documents.models import Document
from documents.services import document_render

from .conftest import SCREENSHOTS, login
from .test_disputes import act

EDITED = "经审查，你（单位）的申请符合受理条件，本中心决定予以受理，并将于五个工作日内指派化解员。"


def test_clerk_generates_edits_and_issues_the_acceptance_notice(page, screenshot, monkeypatch):
    queued: list[int] = []
    monkeypatch.setattr("documents.services._queue_render", queued.append)  # the "worker" is the test
    page.on("dialog", lambda dialog: dialog.accept())  # "Issue this document?" — yes

    demo_seed()
    dispute = Dispute.objects.get(act_document_number="郧西自然资征〔2026〕11号")
    login(page, "clerk", data.DEMO_PASSWORD)
    page.goto(page.base_url + dispute.get_absolute_url())
    act(page, "accept")

    # The acceptance calls for a notice: the flash links to it, the card preselects it.
    link = page.get_by_test_id("draft-link")
    assert link.get_attribute("href") == f"/documents/new/disputes.dispute/{dispute.pk}/acceptance_notice/"
    link.click()  # the page the link opens shows the text the draft will start with
    page.get_by_test_id("draft-create").wait_for()
    assert "王大山" in page.locator(".doc-prefilled").inner_text()
    screenshot(page, "document-new")
    page.go_back()
    card = page.get_by_test_id("documents-card")
    assert card.locator("select[name=doc_type]").input_value() == "acceptance_notice"
    card.get_by_test_id("document-new-submit").click()

    # The draft: the form on the left, the live preview on the right.
    form = page.get_by_test_id("draft-form")
    form.wait_for()
    document = Document.objects.filter(subject_id=dispute.pk, doc_type="acceptance_notice").get()
    preview = page.frame_locator("[data-testid=draft-preview]")
    preview.locator("body").get_by_text(dispute.number).first.wait_for()
    form.locator("textarea[name=body]").fill(EDITED)
    preview.locator("body").get_by_text(EDITED[:12]).first.wait_for()  # typed, previewed, not yet saved
    page.wait_for_timeout(300)  # let the frame settle to its scale before the picture
    screenshot(page, "document-draft-with-preview")

    page.get_by_test_id("draft-issue").click()
    progress = page.get_by_test_id("issue-progress")
    progress.wait_for()
    document.refresh_from_db()
    assert document.status == "issuing" and document.fields["body"] == EDITED
    assert queued[-1] == document.pk  # (the demo data queues its own documents first)
    assert document.number in page.locator(".doc-facts").inner_text()

    # The worker starts; the bar follows it, then the page shows the issued document by itself.
    Document.objects.filter(pk=document.pk).update(render_state="running", render_progress=40)
    page.locator("[data-progress-text]").filter(has_text="40%").wait_for()
    screenshot(page, "document-issuing-progress")
    document_render(document_id=document.pk)
    page.get_by_test_id("issued-facts").wait_for(timeout=20_000)

    document.refresh_from_db()
    assert page.get_by_test_id("document-status").get_attribute("data-status") == "issued"
    assert page.get_by_test_id("issued-number").inner_text() == document.number
    assert page.get_by_test_id("issued-sha256").inner_text() == document.sha256
    with page.expect_download() as download:
        page.get_by_test_id("document-download").click()
    assert download.value.suggested_filename == f"受理通知书_{document.number}.pdf"
    screenshot(page, "document-issued")

    # Back on the case page: the card lists the issued notice with its download.
    page.goto(page.base_url + dispute.get_absolute_url() + "#documents")
    row = page.get_by_test_id("documents-card").get_by_test_id("document-row")
    assert row.count() == 1 and row.get_attribute("data-status") == "issued"
    assert re.search(re.escape(document.number), row.inner_text())
    assert row.get_by_test_id("document-download").is_visible()
    assert (
        page.get_by_test_id("timeline-document").first.get_attribute("href") == f"/documents/{document.pk}/"
    )
    screenshot(page, "document-case-card")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.get_by_test_id("documents-card").screenshot(path=str(SCREENSHOTS / "document-case-card-only.png"))
