"""Documents issued and rendered at the same moment, on a real database server.

SQLite serialises every write transaction of the whole database (transactions begin IMMEDIATE), so
these races cannot happen there and cannot be shown there: the tests run on PostgreSQL only. Each
thread has its own connection and closes it at the end; the test database is really committed to
(``transaction=True``), so the threads see each other's work — and the render queued on commit runs
at once (eager Celery), in the issuing thread.
"""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connections

from core.models import NumberSequence
from documents import services
from documents.models import Document, DocumentStatus, RenderState
from documents.services import document_draft_create, document_issue, document_render
from documents.types import DocumentType
from tests.concurrency import POSTGRES_ONLY, run_together
from tests.disputes.factories import County

pytestmark = POSTGRES_ONLY

NOW = datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def storage(settings):
    settings.STORAGES = {**settings.STORAGES}  # a fresh in-memory storage
    return Document._meta.get_field("file").storage


def stand_in_pdf(html: str) -> tuple[bytes, int]:
    """WeasyPrint in ten threads at once would test WeasyPrint; these tests are about the database."""
    return b"%PDF-1.7 stand-in " + html.encode(), 1


def stored_files(storage, path: str = "") -> list[str]:
    dirs, files = storage.listdir(path)
    found = [f"{path}/{name}".lstrip("/") for name in files]
    for d in dirs:
        found += stored_files(storage, f"{path}/{d}".lstrip("/"))
    return sorted(found)


def test_ten_issues_at_once_get_numbers_one_to_ten(monkeypatch, storage):
    monkeypatch.setattr(services, "render_pdf", stand_in_pdf)
    c = County()
    case = c.register()
    drafts = [
        document_draft_create(actor=c.clerk, subject=case, doc_type=DocumentType.ACCEPTANCE_NOTICE)
        for _ in range(10)
    ]

    results = run_together(*[(lambda d=d: document_issue(document_id=d.pk, actor=c.clerk)) for d in drafts])
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors

    issued = list(Document.objects.filter(pk__in=[d.pk for d in drafts]))
    assert sorted(d.sequence for d in issued) == list(range(1, 11))
    assert {d.number for d in issued} == {f"郧西化受〔2026〕{n}号" for n in range(1, 11)}
    assert all(d.status == DocumentStatus.ISSUED and d.render_state == RenderState.DONE for d in issued)
    assert NumberSequence.objects.get(series="doc:郧西化受", year=2026).last_value == 10
    assert stored_files(storage) == sorted(d.file.name for d in issued)


def test_one_render_delivered_twice_at_once_stores_one_file(monkeypatch, storage):
    c = County()
    draft = document_draft_create(
        actor=c.clerk, subject=c.register(), doc_type=DocumentType.ACCEPTANCE_NOTICE
    )
    monkeypatch.setattr(services, "_queue_render", lambda document_id: None)  # the worker has not run
    document_issue(document_id=draft.pk, actor=c.clerk)
    monkeypatch.setattr(services, "render_pdf", stand_in_pdf)

    results = run_together(
        lambda: document_render(document_id=draft.pk), lambda: document_render(document_id=draft.pk)
    )
    assert all(isinstance(r, Document) and r.status == DocumentStatus.ISSUED for r in results), results
    doc = Document.objects.get(pk=draft.pk)
    assert (doc.status, doc.render_state, doc.render_progress) == (
        DocumentStatus.ISSUED,
        RenderState.DONE,
        100,
    )
    assert stored_files(storage) == [doc.file.name]


def test_the_progress_is_visible_to_others_while_rendering(monkeypatch):
    """The page polling the progress (another connection) sees it while the worker renders."""
    c = County()
    draft = document_draft_create(
        actor=c.clerk, subject=c.register(), doc_type=DocumentType.ACCEPTANCE_NOTICE
    )
    rendering, release = threading.Event(), threading.Event()

    def slow_pdf(html):
        rendering.set()
        assert release.wait(timeout=30)
        return stand_in_pdf(html)

    monkeypatch.setattr(services, "render_pdf", slow_pdf)

    def issue():
        try:
            return document_issue(document_id=draft.pk, actor=c.clerk)  # renders on commit
        finally:
            connections.close_all()

    result: list = []
    worker = threading.Thread(target=lambda: result.append(issue()))
    worker.start()
    try:
        assert rendering.wait(timeout=30)
        seen = Document.objects.values_list("status", "render_state", "render_progress").get(pk=draft.pk)
        assert seen == (DocumentStatus.ISSUING, RenderState.RUNNING, 30)
    finally:
        release.set()
        worker.join(timeout=60)
    assert not worker.is_alive()
    doc = Document.objects.get(pk=draft.pk)
    assert (doc.status, doc.render_state, doc.render_progress) == (
        DocumentStatus.ISSUED,
        RenderState.DONE,
        100,
    )
