"""The document pages through the Django test client, on the demo data: a clerk drafts, previews,
issues, downloads and corrects a document of a case; who may see and who may write.

Pages are checked by test ids and data (numbers, hashes), not by translated text, so the tests hold
before and after the translations are merged.
"""

from __future__ import annotations

import hashlib
from urllib.parse import quote

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.models import User
from core.roles import Role
from demo.services import demo_seed
from disputes.choices import Status
from disputes.models import Dispute
from documents.models import Document, DocumentStatus, RenderState
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

NEW = "documents:new"


@pytest.fixture
def demo():
    demo_seed()


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def accepted_case() -> Dispute:
    """An accepted case against 自然资源和规划局 (the demo liaison's agency)."""
    dispute = Dispute.objects.get(act_document_number="郧西自然资征〔2026〕22号")
    assert dispute.status == Status.ACCEPTED
    return dispute


def new_url(dispute: Dispute, doc_type: str = "acceptance_notice") -> str:
    return reverse(NEW, args=["disputes.dispute", dispute.pk, doc_type])


def create_draft(client: Client, dispute: Dispute, doc_type: str = "acceptance_notice") -> Document:
    response = client.post(new_url(dispute, doc_type))
    assert response.status_code == 302
    document = Document.objects.filter(subject_id=dispute.pk, doc_type=doc_type).latest("pk")
    assert response.url == reverse("documents:detail", args=[document.pk])
    return document


def issue(client: Client, document: Document, django_capture_on_commit_callbacks, **fields) -> Document:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents:issue", args=[document.pk]), {**document.fields, **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    document.refresh_from_db()
    return document


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_clerk_drafts_previews_issues_downloads_and_corrects(demo, django_capture_on_commit_callbacks):
    clerk = client_for("clerk")
    dispute = accepted_case()

    # The case page offers the documents card with a "generate" control.
    page = clerk.get(dispute.get_absolute_url()).content.decode()
    assert 'data-testid="documents-card"' in page
    assert 'data-testid="document-new"' in page
    assert reverse("documents:new-any", args=["disputes.dispute", dispute.pk]) in page

    # The confirmation page shows the text the draft starts with; the card's select creates it.
    response = clerk.get(new_url(dispute))
    assert response.status_code == 200
    assert "何翠兰" in response.content.decode()
    response = clerk.post(
        reverse("documents:new-any", args=["disputes.dispute", dispute.pk]), {"doc_type": "acceptance_notice"}
    )
    document = Document.objects.get(subject_id=dispute.pk, doc_type="acceptance_notice")
    assert response.status_code == 302 and response.url == reverse("documents:detail", args=[document.pk])
    assert document.status == DocumentStatus.DRAFT and document.number == ""

    # The draft page: a field per editable part, the preview frame, save and issue.
    page = clerk.get(response.url).content.decode()
    assert 'name="addressee"' in page and '<textarea name="body"' in page
    assert reverse("documents:preview", args=[document.pk]) in page
    assert 'data-testid="draft-issue"' in page

    edited = "你（单位）提出的行政争议化解申请收悉，经审查符合受理条件，本中心决定予以受理。特此更正测试。"
    response = clerk.post(
        reverse("documents:detail", args=[document.pk]), {**document.fields, "body": edited}
    )
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.fields["body"] == edited

    preview = clerk.get(reverse("documents:preview", args=[document.pk]))
    assert preview.status_code == 200
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert reverse("documents:font", args=["NotoSerifSC-Regular.otf"]) in preview.content.decode()
    assert dispute.number in preview.content.decode() and edited in preview.content.decode()
    # The live preview shows typed text without saving it.
    live = clerk.post(
        reverse("documents:preview", args=[document.pk]), {**document.fields, "body": "尚未保存"}
    )
    assert "尚未保存" in live.content.decode()
    document.refresh_from_db()
    assert document.fields["body"] == edited

    document = issue(clerk, document, django_capture_on_commit_callbacks)
    assert document.status == DocumentStatus.ISSUED
    assert document.number.startswith("郧西化受〔") and document.number.endswith("号")
    status = clerk.get(reverse("documents:status", args=[document.pk])).json()
    assert status["status"] == "issued"
    assert status["render_state"] == "done" and status["render_progress"] == 100
    assert status["render_error"] == ""

    download = clerk.get(reverse("documents:download", args=[document.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    expected_name = f"受理通知书_{document.number}.pdf"
    assert f"filename*=utf-8''{quote(expected_name)}" in download["Content-Disposition"]
    assert download["Content-Disposition"].startswith("attachment")
    pdf = body_of(download)
    assert pdf.startswith(b"%PDF")
    assert hashlib.sha256(pdf).hexdigest() == document.sha256

    page = clerk.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert document.number in page and document.sha256 in page and document.template_version in page
    assert 'data-testid="document-download"' in page and 'data-testid="document-reissue"' in page
    assert 'data-testid="draft-form"' not in page

    # Re-issue: a new draft version with the same number; the first stays issued until it is done.
    response = clerk.post(reverse("documents:reissue", args=[document.pk]))
    correction = Document.objects.get(supersedes=document)
    assert response.status_code == 302 and response.url == reverse("documents:detail", args=[correction.pk])
    assert correction.status == DocumentStatus.DRAFT and correction.version == 2
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED
    correction = issue(clerk, correction, django_capture_on_commit_callbacks, body=edited + "（更正）")
    document.refresh_from_db()
    assert correction.status == DocumentStatus.ISSUED and correction.number == document.number
    assert document.status == DocumentStatus.SUPERSEDED

    # Both versions are listed on the case page, each with its download.
    page = clerk.get(dispute.get_absolute_url()).content.decode()
    card = page[page.index('data-testid="documents-card"') :]
    assert card.count('data-testid="document-row"') == 2
    assert 'data-status="superseded"' in card and 'data-status="issued"' in card
    assert reverse("documents:download", args=[document.pk]) in card
    assert reverse("documents:download", args=[correction.pk]) in card
    assert document.sha256[:12] in card and correction.sha256[:12] in card
    # The superseded version says which version replaced it, and still downloads.
    old = clerk.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert 'data-testid="superseded-by"' in old
    assert reverse("documents:detail", args=[correction.pk]) in old
    assert body_of(clerk.get(reverse("documents:download", args=[document.pk]))).startswith(b"%PDF")
    v2 = clerk.get(reverse("documents:download", args=[correction.pk]))
    assert quote(f"受理通知书_{document.number}") in v2["Content-Disposition"]
    assert hashlib.sha256(body_of(v2)).hexdigest() == correction.sha256


def test_an_issued_document_refuses_every_change(demo, django_capture_on_commit_callbacks):
    clerk = client_for("clerk")
    document = issue(clerk, create_draft(clerk, accepted_case()), django_capture_on_commit_callbacks)
    frozen = (document.fields, document.number, document.sha256, document.status)

    for url in (
        reverse("documents:detail", args=[document.pk]),
        reverse("documents:issue", args=[document.pk]),
    ):
        response = clerk.post(url, {**document.fields, "body": "篡改"}, follow=True)
        assert response.status_code == 200
        assert any(m.level_tag == "error" for m in response.context["messages"])
        document.refresh_from_db()
        assert (document.fields, document.number, document.sha256, document.status) == frozen
    # A retry of a document that rendered fine is refused too.
    clerk.post(reverse("documents:retry", args=[document.pk]))
    document.refresh_from_db()
    assert (document.fields, document.number, document.sha256, document.status) == frozen


def test_issue_refuses_a_draft_with_a_required_field_empty(demo, django_capture_on_commit_callbacks):
    clerk = client_for("clerk")
    document = create_draft(clerk, accepted_case())
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(
            reverse("documents:issue", args=[document.pk]), {**document.fields, "body": " "}
        )
    assert response.status_code == 400
    assert 'class="field has-error"' in response.content.decode()
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT and document.number == ""


def test_a_failed_rendering_is_shown_and_can_be_retried(
    demo, django_capture_on_commit_callbacks, monkeypatch
):
    clerk = client_for("clerk")
    document = create_draft(clerk, accepted_case())

    def broken(html):
        raise RuntimeError("font missing")

    monkeypatch.setattr("documents.services.render_pdf", broken)
    document = issue(clerk, document, django_capture_on_commit_callbacks)
    assert document.status == DocumentStatus.ISSUING and document.render_state == RenderState.FAILED
    status = clerk.get(reverse("documents:status", args=[document.pk])).json()
    assert status["render_state"] == "failed" and "font missing" in status["render_error"]
    page = clerk.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert 'data-testid="render-error"' in page and 'data-testid="render-retry"' in page
    assert clerk.get(reverse("documents:download", args=[document.pk])).status_code == 404

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(reverse("documents:retry", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED and document.render_progress == 100


def test_users_who_cannot_see_the_case_get_404(demo, django_capture_on_commit_callbacks):
    clerk = client_for("clerk")
    dispute = accepted_case()
    issued = issue(clerk, create_draft(clerk, dispute), django_capture_on_commit_callbacks)
    draft = create_draft(clerk, dispute)

    for username in ("police", "committee"):
        other = client_for(username)
        for name, pk in (
            ("documents:detail", draft.pk),
            ("documents:preview", draft.pk),
            ("documents:status", issued.pk),
            ("documents:download", issued.pk),
            ("documents:detail", issued.pk),
        ):
            assert other.get(reverse(name, args=[pk])).status_code == 404, (username, name)
        for name, pk in (
            ("documents:detail", draft.pk),
            ("documents:issue", draft.pk),
            ("documents:reissue", issued.pk),
            ("documents:retry", issued.pk),
        ):
            assert other.post(reverse(name, args=[pk]), {"body": "x"}).status_code == 404, (username, name)
        assert other.get(new_url(dispute)).status_code == 404
        assert other.post(new_url(dispute)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT and draft.fields["body"] != "x"
    # A document of a case that does not exist, or of no known kind of subject: 404 too.
    assert clerk.get(reverse(NEW, args=["disputes.dispute", 999999, "acceptance_notice"])).status_code == 404
    assert clerk.get(reverse(NEW, args=["core.user", 1, "acceptance_notice"])).status_code == 404
    assert clerk.get(reverse(NEW, args=["disputes.dispute", dispute.pk, "no_such_type"])).status_code == 404


def test_the_case_agencys_liaison_reads_and_downloads_but_cannot_write(
    demo, django_capture_on_commit_callbacks
):
    clerk = client_for("clerk")
    dispute = accepted_case()
    issued = issue(clerk, create_draft(clerk, dispute), django_capture_on_commit_callbacks)
    draft = create_draft(clerk, dispute)
    liaison = client_for("liaison")

    download = liaison.get(reverse("documents:download", args=[issued.pk]))
    assert download.status_code == 200
    assert hashlib.sha256(body_of(download)).hexdigest() == issued.sha256
    page = liaison.get(reverse("documents:detail", args=[issued.pk])).content.decode()
    assert 'data-testid="document-download"' in page and 'data-testid="document-reissue"' not in page
    assert liaison.get(reverse("documents:status", args=[issued.pk])).status_code == 200
    page = liaison.get(reverse("documents:detail", args=[draft.pk])).content.decode()
    assert 'data-testid="draft-form"' not in page
    case_page = liaison.get(dispute.get_absolute_url()).content.decode()
    assert 'data-testid="documents-card"' in case_page and 'data-testid="document-new"' not in case_page

    assert liaison.get(new_url(dispute)).status_code == 403
    assert liaison.post(new_url(dispute)).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert liaison.post(reverse("documents:issue", args=[draft.pk])).status_code == 403
    assert liaison.post(reverse("documents:detail", args=[draft.pk]), {"body": "x"}).status_code == 403
    assert liaison.post(reverse("documents:preview", args=[draft.pk]), {"body": "x"}).status_code == 403
    assert liaison.post(reverse("documents:reissue", args=[issued.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == DocumentStatus.DRAFT and draft.fields["body"] != "x"
    assert Document.objects.filter(subject_id=dispute.pk).count() == 2


def test_the_action_that_calls_for_a_document_links_to_its_draft(demo):
    clerk = client_for("clerk")
    dispute = Dispute.objects.get(act_document_number="郧西自然资征〔2026〕11号")
    assert dispute.status == Status.REGISTERED
    response = clerk.post(
        reverse("disputes:action", args=[dispute.pk, "accept"]),
        {"accepted_on": timezone.localdate().isoformat(), "expected_status": "registered"},
    )
    assert response.status_code == 302
    link = new_url(dispute, "acceptance_notice")
    flashed = [str(m) for m in get_messages(response.wsgi_request)]
    assert any(f'href="{link}"' in m and "受理通知书" in m for m in flashed), flashed

    page = clerk.get(response.url).content.decode()
    assert f'href="{link}"' in page  # the flash, rendered as a link
    timeline = page[page.index('data-testid="timeline"') :]
    assert f'href="{link}" data-testid="timeline-document"' in timeline
    assert 'value="acceptance_notice" selected' in page  # the card suggests it

    # Once the draft exists, the timeline entry points to it instead.
    document = create_draft(clerk, dispute)
    page = clerk.get(response.url).content.decode()
    timeline = page[page.index('data-testid="timeline"') :]
    assert (
        f'href="{reverse("documents:detail", args=[document.pk])}" data-testid="timeline-document"'
        in timeline
    )

    # An action without a document says nothing about documents.
    response = clerk.post(
        reverse("disputes:action", args=[dispute.pk, "assign_mediators"]),
        {"mediators": [User.objects.get(username="mediator").pk], "expected_status": "accepted"},
    )
    assert response.status_code == 302
    assert not any("draft-link" in str(m) for m in get_messages(response.wsgi_request))


def test_no_flash_link_for_a_user_who_may_not_draft(demo):
    from documents.views import draft_link_message

    dispute = accepted_case()
    assert draft_link_message(User.objects.get(username="liaison"), dispute, "acceptance_notice") is None
    assert draft_link_message(User.objects.get(username="clerk"), dispute, "") is None


def test_the_preview_loads_the_document_fonts_from_the_app(client):
    """A browser cannot read the file:// fonts WeasyPrint uses: the preview points at the app."""
    from documents.render import FONT_FILES

    user = user_with_role(Role.CENTRE_CLERK)
    client.force_login(user)
    url = reverse("documents:font", args=[FONT_FILES["song"]])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "font/otf"
    assert b"".join(response.streaming_content)[:4] == b"OTTO"
    assert client.get(reverse("documents:font", args=["settings.py"])).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302
