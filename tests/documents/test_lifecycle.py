"""An official document from draft to issued and superseded, driven through the services as the pages
and the API do: pre-filled draft, edits, preview, issue (number, PDF, SHA-256), re-issue, and what
happens when rendering or storage fails half-way or the render task is delivered twice."""

from __future__ import annotations

import hashlib
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from pypdf import PdfReader

from core.api.exceptions import Conflict
from core.models import NumberSequence
from core.roles import Role
from documents import services
from documents.models import Document, DocumentStatus, RenderState
from documents.render import template_version
from documents.services import (
    DocumentLocked,
    document_draft_create,
    document_draft_update,
    document_issue,
    document_preview_html,
    document_reissue,
    document_render,
    document_retry,
)
from documents.tasks import render_document
from documents.types import DocumentType
from tests.disputes.factories import County
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
NOTICE = DocumentType.ACCEPTANCE_NOTICE


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def storage(settings):
    """A fresh in-memory storage for each test (changing STORAGES resets the default storage)."""
    settings.STORAGES = {**settings.STORAGES}
    return Document._meta.get_field("file").storage


@pytest.fixture
def c():
    return County()


@pytest.fixture
def case(c):
    return c.register(applicant="王大山")


@pytest.fixture
def draft(c, case):
    return document_draft_create(actor=c.clerk, subject=case, doc_type=NOTICE)


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue as a request would: the render task is queued on commit and (eager Celery) runs then."""

    def run(document, actor):
        with django_capture_on_commit_callbacks(execute=True):
            document_issue(document_id=document.pk, actor=actor)
        return Document.objects.get(pk=document.pk)

    return run


@pytest.fixture
def retry(django_capture_on_commit_callbacks):
    def run(document, actor):
        with django_capture_on_commit_callbacks(execute=True):
            document_retry(document_id=document.pk, actor=actor)
        return Document.objects.get(pk=document.pk)

    return run


def stored_files(storage, path: str = "") -> list[str]:
    dirs, files = storage.listdir(path)
    found = [f"{path}/{name}".lstrip("/") for name in files]
    for d in dirs:
        found += stored_files(storage, f"{path}/{d}".lstrip("/"))
    return sorted(found)


def read(storage, name: str) -> bytes:
    with storage.open(name, "rb") as f:
        return f.read()


def row(document) -> dict:
    return Document.objects.values().get(pk=document.pk)


# --- drafts -----------------------------------------------------------------------------------------


def test_a_new_draft_is_prefilled_from_the_case(c, case, draft):
    assert draft.status == DocumentStatus.DRAFT and draft.is_editable
    assert (draft.subject, draft.issuer, draft.created_by, draft.version) == (case, c.centre, c.clerk, 1)
    assert draft.fields["addressee"] == "王大山"
    assert case.number in draft.fields["body"]
    assert draft.fields["closing"] == "特此通知。"
    # The case facts are frozen in the draft as they were.
    assert draft.context["number"] == case.number == "〔2026〕郧西化字第1号"
    assert draft.context["applicants"] == "王大山"
    assert draft.context["respondent"] == c.agency.name
    assert (draft.number, draft.year, draft.sequence, draft.file.name) == ("", None, None, "")
    assert not NumberSequence.objects.filter(series__startswith="doc:").exists()


def test_given_fields_override_the_prefilled_text(c, case):
    doc = document_draft_create(
        actor=c.clerk, subject=case, doc_type=NOTICE, fields={"body": "经审查，决定受理。", "extra": "x"}
    )
    assert doc.fields["body"] == "经审查，决定受理。"
    assert doc.fields["addressee"] == "王大山"
    assert "extra" not in doc.fields


def test_a_draft_can_be_edited(c, draft):
    before = dict(draft.fields)
    updated = document_draft_update(
        document_id=draft.pk, actor=c.clerk, fields={"body": "新的正文。", "not_a_field": "ignored"}
    )
    draft.refresh_from_db()
    assert updated.fields == draft.fields == {**before, "body": "新的正文。"}
    assert draft.status == DocumentStatus.DRAFT


def test_the_preview_shows_the_case_number_and_is_marked_draft(case, draft):
    html = document_preview_html(document=draft)
    assert case.number in html
    assert re.search(r"草\s*稿", html)  # the watermark: 草 稿 (spaced as printed, or not)
    assert "王大山" in html
    assert "郧西县行政争议化解中心" in html
    assert "化受〔" not in html  # no number before issue


# --- issue ------------------------------------------------------------------------------------------


def test_issue_numbers_renders_and_stores_the_pdf(c, case, draft, issue, storage):
    doc = issue(draft, c.clerk)

    assert doc.status == DocumentStatus.ISSUED and not doc.is_editable
    assert doc.number == "郧西化受〔2026〕1号"
    assert (doc.year, doc.sequence, doc.version) == (2026, 1, 1)
    assert (doc.issued_by, doc.issued_at) == (c.clerk, NOW)
    assert doc.template_version == template_version(NOTICE)
    assert doc.template_version.startswith("acceptance_notice@")
    assert (doc.render_state, doc.render_progress, doc.render_error) == (RenderState.DONE, 100, "")

    assert stored_files(storage) == [doc.file.name]
    assert doc.file.name == "documents/2026/03/郧西化受-2026-1号-v1.pdf"
    data = read(storage, doc.file.name)
    assert data.startswith(b"%PDF")
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size == len(data)
    pdf = PdfReader(io.BytesIO(data))
    assert doc.pages == len(pdf.pages) >= 1
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "受理通知书" in text and "王大山" in text and not re.search(r"草\s*稿", text)


def test_issuing_twice_changes_nothing(c, draft, issue, storage):
    first = issue(draft, c.clerk)
    before = row(first)
    # A second clerk of the centre clicks "Issue" on the same document.
    again = issue(first, user_with_role(Role.CENTRE_CLERK, organisation=c.centre, name="王芳"))
    assert row(again) == before
    assert stored_files(storage) == [first.file.name]
    assert NumberSequence.objects.get(series="doc:郧西化受", year=2026).last_value == 1


def test_a_draft_with_a_required_field_empty_is_not_issued(c, draft, issue):
    document_draft_update(document_id=draft.pk, actor=c.clerk, fields={"body": "  "})
    with pytest.raises(services.ValidationError) as info:
        issue(draft, c.clerk)
    assert "body" in info.value.message_dict
    draft.refresh_from_db()
    assert (draft.status, draft.number) == (DocumentStatus.DRAFT, "")
    assert not NumberSequence.objects.filter(series__startswith="doc:").exists()


def test_an_issued_document_cannot_be_changed(c, draft, issue):
    doc = issue(draft, c.clerk)
    before = row(doc)
    with pytest.raises(DocumentLocked):
        document_draft_update(document_id=doc.pk, actor=c.clerk, fields={"body": "篡改后的正文。"})
    assert row(doc) == before


def test_a_document_being_issued_cannot_be_changed(c, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # the render has not run yet
        document_issue(document_id=draft.pk, actor=c.clerk)
    before = row(draft)
    assert before["status"] == DocumentStatus.ISSUING
    with pytest.raises(DocumentLocked):
        document_draft_update(document_id=draft.pk, actor=c.clerk, fields={"body": "改。"})
    assert row(draft) == before


def test_the_status_cannot_be_assigned(c, draft, issue):
    with pytest.raises(AttributeError):
        draft.status = DocumentStatus.ISSUED
    doc = issue(draft, c.clerk)
    with pytest.raises(AttributeError):
        doc.status = DocumentStatus.DRAFT
    doc.refresh_from_db()  # the protected field can still be reloaded
    assert doc.status == DocumentStatus.ISSUED


# --- re-issue ---------------------------------------------------------------------------------------


def test_reissue_supersedes_the_old_version_only_once_the_new_one_is_issued(c, draft, issue, storage):
    v1 = issue(draft, c.clerk)
    corrector = user_with_role(Role.CENTRE_CLERK, organisation=c.centre, name="王芳")
    v1_row = row(v1)

    v2 = document_reissue(document_id=v1.pk, actor=corrector)
    assert (v2.status, v2.version, v2.supersedes, v2.number) == (DocumentStatus.DRAFT, 2, v1, "")
    assert v2.fields == v1.fields and v2.context == v1.context
    document_draft_update(document_id=v2.pk, actor=corrector, fields={"body": "更正后的正文。"})
    assert row(v1) == v1_row  # still the issued one

    with pytest.raises(Conflict):  # one correction at a time
        document_reissue(document_id=v1.pk, actor=c.clerk)
    with pytest.raises(Conflict):  # a draft is edited, not re-issued
        document_reissue(document_id=v2.pk, actor=c.clerk)

    with time_machine.travel(datetime(2026, 3, 12, 15, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False):
        v2 = issue(v2, corrector)
        superseded_at = datetime.now(tz=ZoneInfo("Asia/Shanghai"))
    v1.refresh_from_db()

    assert v2.status == DocumentStatus.ISSUED
    assert (v2.number, v2.version, v2.year, v2.sequence) == ("郧西化受〔2026〕1号", 2, 2026, 1)
    assert v2.issued_by == corrector and v2.fields["body"] == "更正后的正文。"
    assert v1.status == DocumentStatus.SUPERSEDED
    assert v1.superseded_at == superseded_at
    assert v1.superseded_by == v2
    # The old file is kept as it was; each version has its own.
    assert (v1.file.name, v1.sha256, v1.issued_at) == (v1_row["file"], v1_row["sha256"], NOW)
    assert v2.file.name == "documents/2026/03/郧西化受-2026-1号-v2.pdf"
    assert stored_files(storage) == sorted([v1.file.name, v2.file.name])
    for doc in (v1, v2):
        assert hashlib.sha256(read(storage, doc.file.name)).hexdigest() == doc.sha256
    assert v1.sha256 != v2.sha256
    # The correction took no new number.
    assert NumberSequence.objects.get(series="doc:郧西化受", year=2026).last_value == 1


# --- failures ---------------------------------------------------------------------------------------


def test_a_failed_render_keeps_the_number_and_can_be_retried(c, draft, issue, retry, storage, monkeypatch):
    real_render_pdf = services.render_pdf

    def broken(html):
        raise RuntimeError("WeasyPrint ran out of memory")

    monkeypatch.setattr(services, "render_pdf", broken)
    doc = issue(draft, c.clerk)
    assert doc.status == DocumentStatus.ISSUING
    assert doc.render_state == RenderState.FAILED
    assert "WeasyPrint ran out of memory" in doc.render_error
    assert (doc.file.name, doc.sha256, doc.size) == ("", "", None)
    assert doc.number == "郧西化受〔2026〕1号"
    assert stored_files(storage) == []
    # Issuing again does not take another number.
    assert row(issue(doc, c.clerk)) == row(doc)

    monkeypatch.setattr(services, "render_pdf", real_render_pdf)
    doc = retry(doc, c.clerk)
    assert doc.status == DocumentStatus.ISSUED
    assert doc.number == "郧西化受〔2026〕1号"
    assert (doc.render_state, doc.render_error) == (RenderState.DONE, "")
    assert stored_files(storage) == [doc.file.name]
    assert hashlib.sha256(read(storage, doc.file.name)).hexdigest() == doc.sha256
    assert NumberSequence.objects.get(series="doc:郧西化受", year=2026).last_value == 1

    with pytest.raises(Conflict):  # nothing left to retry
        document_retry(document_id=doc.pk, actor=c.clerk)


def test_storage_failing_half_way_leaves_no_file_and_no_row_pointing_at_it(
    c, draft, issue, retry, storage, monkeypatch
):
    real_save = InMemoryStorage._save
    attempts = []

    def half_written_then_disk_full(self, name, content):
        attempts.append(name)
        data = content.read()
        real_save(self, name, ContentFile(data[: len(data) // 2]))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(InMemoryStorage, "_save", half_written_then_disk_full)
    doc = issue(draft, c.clerk)

    assert attempts, "the storage was never written to"
    assert stored_files(storage) == []
    assert doc.status == DocumentStatus.ISSUING
    assert doc.render_state == RenderState.FAILED
    assert "No space left on device" in doc.render_error
    assert (doc.file.name, doc.sha256, doc.size, doc.pages) == ("", "", None, None)

    monkeypatch.setattr(InMemoryStorage, "_save", real_save)
    doc = retry(doc, c.clerk)
    assert doc.status == DocumentStatus.ISSUED and doc.number == "郧西化受〔2026〕1号"
    assert stored_files(storage) == [doc.file.name] == [attempts[0]]  # the same name, freed again
    assert hashlib.sha256(read(storage, doc.file.name)).hexdigest() == doc.sha256


def test_a_stored_file_that_reads_back_different_is_not_issued(c, draft, issue, storage, monkeypatch):
    """The storage says it saved, but the bytes read back are not the ones rendered."""
    real_save = InMemoryStorage._save

    def corrupting(self, name, content):
        data = bytearray(content.read())
        data[-10] ^= 0xFF
        return real_save(self, name, ContentFile(bytes(data)))

    monkeypatch.setattr(InMemoryStorage, "_save", corrupting)
    doc = issue(draft, c.clerk)
    assert (doc.status, doc.render_state) == (DocumentStatus.ISSUING, RenderState.FAILED)
    assert "StoredFileMismatch" in doc.render_error
    assert (doc.file.name, doc.sha256) == ("", "")
    assert stored_files(storage) == []


def test_a_database_failure_after_storing_deletes_the_file(c, draft, issue, storage, monkeypatch):
    from django.db import IntegrityError

    def refuse(self):
        raise IntegrityError("simulated")

    monkeypatch.setattr(Document, "finish_issue", refuse)
    doc = issue(draft, c.clerk)
    assert (doc.status, doc.render_state, doc.file.name) == (DocumentStatus.ISSUING, RenderState.FAILED, "")
    assert "simulated" in doc.render_error
    assert stored_files(storage) == []


def test_progress_is_reported_while_rendering(c, draft, issue, monkeypatch):
    seen = []
    real_render_pdf = services.render_pdf

    def watching(html):
        seen.append(Document.objects.values_list("render_state", "render_progress").get(pk=draft.pk))
        return real_render_pdf(html)

    monkeypatch.setattr(services, "render_pdf", watching)
    doc = issue(draft, c.clerk)
    assert seen == [(RenderState.RUNNING, 30)]
    assert (doc.render_state, doc.render_progress) == (RenderState.DONE, 100)


# --- the render task delivered twice ----------------------------------------------------------------


def test_render_task_delivered_twice_stores_one_file(c, draft, storage, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as queued:
        document_issue(document_id=draft.pk, actor=c.clerk)
    assert len(queued) == 1
    assert row(draft)["render_state"] == RenderState.QUEUED

    render_document(document_id=draft.pk)  # the worker's first delivery
    issued = row(draft)
    assert issued["status"] == DocumentStatus.ISSUED
    render_document.delay(document_id=draft.pk)  # redelivered (acks_late), eager here
    document_render(document_id=draft.pk)
    assert row(draft) == issued
    assert stored_files(storage) == [issued["file"]]


def test_rerunning_the_task_of_a_superseded_document_changes_nothing(c, draft, issue, storage):
    v1 = issue(draft, c.clerk)
    v2 = issue(document_reissue(document_id=v1.pk, actor=c.clerk), c.clerk)
    before = (row(v1), row(v2))
    render_document(document_id=v1.pk)
    render_document(document_id=v2.pk)
    assert (row(v1), row(v2)) == before
    assert len(stored_files(storage)) == 2


def test_a_draft_is_not_rendered_by_a_stray_task(c, draft, storage):
    render_document(document_id=draft.pk)
    assert row(draft)["status"] == DocumentStatus.DRAFT
    assert row(draft)["render_state"] == RenderState.NONE
    assert stored_files(storage) == []


# --- the admin --------------------------------------------------------------------------------------


def test_the_admin_lists_documents_but_cannot_change_them(c, draft, issue, client):
    doc = issue(draft, c.clerk)
    # The county's administrator: the superuser flag opens the admin, the role gives the reach.
    superuser = user_with_role(Role.ADMINISTRATOR, organisation=c.centre, is_staff=True, is_superuser=True)
    client.force_login(superuser)
    listing = client.get("/admin/documents/document/", {"status__exact": DocumentStatus.ISSUED})
    assert listing.status_code == 200
    assert doc.number in listing.content.decode()
    assert client.get("/admin/documents/document/add/").status_code == 403
    page = client.get(f"/admin/documents/document/{doc.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # view only
    before = row(doc)
    client.post(f"/admin/documents/document/{doc.pk}/change/", {"number": "改"})
    assert client.post(f"/admin/documents/document/{doc.pk}/delete/", {"post": "yes"}).status_code == 403
    assert row(doc) == before
