"""Writes to documents. Nothing else creates, issues or supersedes one.

Issuing is two steps: ``document_issue`` takes the number (文号) in the issuing transaction and queues
the rendering; ``document_render`` (a Celery task's body) builds the PDF in memory and only then
stores it, with its SHA-256, and marks the document issued. A failed render leaves the document
"being issued" with the error recorded and no file; ``document_retry`` queues it again with the same
number. An issued document is never changed: a correction is ``document_reissue``.

Every service taking an ``actor`` checks, as disputes' services do, that the actor reaches the
document's subject (else ``Http404``: the same answer the pages and the API give for a case out of
reach) and that the actor's role drafts documents (else ``PermissionDenied``), so no caller can act
on a document by skipping a view's check.

The rendering runs in a Celery task (``documents.tasks``), which calls ``document_render``. The
dependency runs one way: the task module imports this one and registers itself as the render queue
(``register_render_queue``, done when the app is ready); this module never imports the task.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from core.api.exceptions import Conflict
from core.models import Organisation, User
from core.sequences import sequence_next
from security import audit
from security.models import AuditAction

from .models import Document, DocumentStatus, RenderState
from .render import render_html, render_pdf, template_version
from .selectors import document_get, subject_get, subject_label, user_may_draft
from .types import DRAFTABLE, SPECS, clean_field

log = logging.getLogger(__name__)


class DocumentLocked(Conflict):
    """The document is issued (or being issued): it cannot change (the API answers 409)."""


def _check_actor(actor: User, document_id: int) -> None:
    """``Http404`` if ``actor`` cannot see the document's subject; ``PermissionDenied`` if the
    actor's role does not draft documents. Read before the row lock: a refusal locks nothing."""
    document_get(user=actor, pk=document_id, queryset=Document.objects.all())
    _require_drafter(actor)


def _require_drafter(actor: User) -> None:
    if not user_may_draft(actor):
        raise PermissionDenied(_("Your role may not draft or issue documents."))


def _valid_fields(doc_type: str, fields: dict, *, for_issue: bool = False) -> dict:
    """The type's fields as stored (a date validated); on issue, a required field may not be empty."""
    cleaned, errors = {}, {}
    for f in SPECS[doc_type].fields:
        if f.name not in fields:
            continue
        try:
            value = clean_field(f, fields[f.name])
        except ValidationError as exc:
            errors[f.name] = exc.messages
            continue
        if for_issue and f.required and not value.strip():
            errors[f.name] = [_("This field is required.")]
        cleaned[f.name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _clean_fields(doc_type: str, fields: dict) -> dict:
    return _valid_fields(
        doc_type, {f.name: fields.get(f.name, "") for f in SPECS[doc_type].fields}, for_issue=True
    )


def document_number(*, issuer: Organisation, doc_type: str, year: int, sequence: int) -> str:
    return f"{issuer.short_name or issuer.name}化{SPECS[doc_type].code}〔{year}〕{sequence}号"


@transaction.atomic
def document_draft_create(
    *, actor: User, subject: Model, doc_type: str, fields: dict | None = None
) -> Document:
    """A new draft about ``subject``, pre-filled from it; ``fields`` override the pre-filled text."""
    # Reached again as the actor (not as passed in): the subject's own scoping decides.
    adapter, subject = subject_get(user=actor, label=subject_label(subject), pk=subject.pk)
    _require_drafter(actor)
    if doc_type not in DRAFTABLE:
        raise ValidationError({"doc_type": _("Unknown document type.")})
    initial = {**adapter.initial(subject, doc_type), **(fields or {})}
    values = _valid_fields(doc_type, {f.name: initial.get(f.name, "") or "" for f in SPECS[doc_type].fields})
    return Document.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        doc_type=doc_type,
        issuer=adapter.issuer(subject, doc_type),
        fields=values,
        context=adapter.context(subject, doc_type),
        created_by=actor,
    )


@transaction.atomic
def document_draft_update(*, document_id: int, actor: User, fields: dict) -> Document:
    _check_actor(actor, document_id)
    document = Document.objects.select_for_update().get(pk=document_id)
    if not document.is_editable:
        raise DocumentLocked(_("An issued document cannot be changed. Re-issue it to correct it."))
    # Only the type's own fields, as text (the same shape as document_draft_create stores).
    changes = _valid_fields(document.doc_type, {k: v for k, v in fields.items() if k in document.fields})
    document.fields = {**document.fields, **changes}
    document.save(update_fields=["fields"])
    return document


def document_preview_html(*, document: Document, font_url: str = "") -> str:
    """The draft as it would print, with the number still to be assigned."""
    return render_html(
        doc_type=document.doc_type,
        number=document.number or _("(number assigned on issue)"),
        fields=document.fields,
        context=document.context,
        issuer_name=document.issuer.name,
        issued_on=document.issued_at or timezone.now(),
        preview=not document.number,
        font_url=font_url,
    )


@transaction.atomic
def document_issue(*, document_id: int, actor: User) -> Document:
    """Number the draft and queue its rendering. Running it again on a document already being issued
    or issued changes nothing."""
    _check_actor(actor, document_id)
    document = Document.objects.select_for_update().select_related("issuer").get(pk=document_id)
    if document.status != DocumentStatus.DRAFT:
        return document
    _clean_fields(document.doc_type, document.fields)  # a draft with a required field empty is refused
    _number_and_queue(document, actor)
    return document


def _number_and_queue(document: Document, actor: User | None) -> None:
    """Number ``document`` (locked, a draft) in its issuer's series, or as the version it supersedes,
    and queue its rendering."""
    now = timezone.now()
    year = timezone.localdate(now).year
    if document.supersedes_id:
        previous = document.supersedes
        assert previous is not None  # supersedes_id is set
        document.number, document.year, document.sequence = previous.number, previous.year, previous.sequence
    else:
        code = SPECS[document.doc_type].code
        series = f"doc:{document.issuer.short_name or document.issuer.name}化{code}"
        document.sequence = sequence_next(series=series, year=year)
        document.year = year
        document.number = document_number(
            issuer=document.issuer, doc_type=document.doc_type, year=year, sequence=document.sequence
        )
    document.start_issue()
    document.issued_by, document.issued_at = actor, now
    document.template_version = template_version(document.doc_type)
    document.render_state, document.render_progress, document.render_error = RenderState.QUEUED, 0, ""
    document.save()
    audit.record(
        AuditAction.DOCUMENT_ISSUED,
        user=actor,
        obj=document,
        label=document.number,
        detail={"doc_type": document.doc_type, "version": document.version},
    )
    _queue_render(document.pk)


@transaction.atomic
def document_generate(
    *, subject: Model, doc_type: str, issuer: Organisation, context: dict, fields: dict | None = None,
    actor: User | None = None,
) -> Document:  # fmt: skip
    """Issue at once a document the system writes from data (a bulletin from the figures of its period):
    numbered, its ``context`` the data it prints, rendered by the queue like any other. ``actor`` is the
    person who asked for it, none when it was built on schedule; who may ask is the caller's to decide."""
    values = _clean_fields(doc_type, {f.name: (fields or {}).get(f.name, "") for f in SPECS[doc_type].fields})
    document = Document.objects.create(
        subject_type=ContentType.objects.get_for_model(subject),
        subject_id=subject.pk,
        doc_type=doc_type,
        issuer=issuer,
        fields=values,
        context=context,
        created_by=actor,
    )
    document = Document.objects.select_for_update().select_related("issuer").get(pk=document.pk)
    _number_and_queue(document, actor)
    return document


# How a render is queued: set by ``documents.tasks`` (the Celery task), imported when the app is ready.
_render_queue: Callable[[int], None] | None = None


def register_render_queue(queue: Callable[[int], None]) -> None:
    """Set what queues the rendering of a document (``queue(document_id)``, called after commit)."""
    global _render_queue
    _render_queue = queue


def _queue_render(document_id: int) -> None:
    queue = _render_queue
    if queue is None:
        raise ImproperlyConfigured("No render queue: documents.tasks registers it when the app is ready.")
    transaction.on_commit(lambda: queue(document_id))


def _progress(document_id: int, percent: int) -> None:
    # A single autocommitted UPDATE, outside the transaction that stores the file, so a page polling
    # the progress sees it at once. Only a document still being issued is touched: a late duplicate
    # run must not mark an issued document "rendering" again.
    Document.objects.filter(pk=document_id, status=DocumentStatus.ISSUING).update(
        render_progress=percent, render_state=RenderState.RUNNING
    )


def _fail(document_id: int, exc: Exception) -> Document:
    """Record a failed render on a document still being issued (its number is kept for the retry)."""
    log.error("Rendering document %s failed", document_id, exc_info=exc)
    message = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    Document.objects.filter(pk=document_id, status=DocumentStatus.ISSUING).update(
        render_state=RenderState.FAILED, render_error=message[:2000]
    )
    return Document.objects.select_related("issuer").get(pk=document_id)


class StoredFileMismatch(Exception):
    """The bytes read back from the storage are not the bytes rendered."""


def _delete_quietly(storage, name: str) -> None:
    try:
        if storage.exists(name):
            storage.delete(name)
    except Exception:  # noqa: BLE001 - the original failure is the one to report
        log.exception("Could not delete the partial file %s", name)


def _store(document: Document, pdf: bytes, digest: str, written: list[str]) -> str:
    """Write the PDF under a name nobody uses yet and read it back. ``written`` gets the name *before*
    the write starts, so the caller can delete a partial file whatever happens."""
    field, storage = document.file.field, document.file.storage
    # 郧西化受〔2026〕3号 v2 → 郧西化受-2026-3号-v2.pdf (the storage would drop the brackets: 郧西化受20263号).
    stem = document.number.replace("〔", "-").replace("〕", "-").replace("/", "-")
    filename = f"{stem}-v{document.version}.pdf"
    # A fresh name: a stored file is never overwritten. The caller holds the document's row lock, so no
    # other run can write this document's file meanwhile: whatever appears under the name is ours.
    name = storage.get_available_name(
        field.generate_filename(document, filename), max_length=field.max_length
    )
    written.append(name)
    stored = storage.save(name, ContentFile(pdf, name=filename), max_length=field.max_length)
    written[:] = [stored]  # the storage may have picked another name (a concurrent writer took ours)
    with storage.open(stored, "rb") as f:
        data = f.read()
    if hashlib.sha256(data).hexdigest() != digest:
        raise StoredFileMismatch(
            f"The stored file {stored} ({len(data)} bytes) differs from the rendered PDF ({len(pdf)} bytes)."
        )
    return stored


def document_render(*, document_id: int) -> Document:
    """Render and store the PDF of a document being issued, then mark it issued.

    Safe to run twice (a Celery redelivery): an issued document is left as it is. Never leaves a file
    half written or a row pointing at a missing file: the PDF is built whole in memory, written, read
    back and checked against its SHA-256, and only then does the row point at it, in the same
    transaction. If anything fails, a file written by this run is deleted and the document stays
    "being issued" with the error recorded, for ``document_retry``.

    Meant to run outside any transaction (the Celery worker): the progress updates are then visible at
    once, and a file is never left behind by a rollback that happens after this returns.
    """
    document = Document.objects.select_related("issuer").get(pk=document_id)
    if document.status != DocumentStatus.ISSUING:
        return document
    _progress(document_id, 10)
    try:
        html = render_html(
            doc_type=document.doc_type,
            number=document.number,
            fields=document.fields,
            context=document.context,
            issuer_name=document.issuer.name,
            issued_on=document.issued_at,
        )
        _progress(document_id, 30)
        pdf, pages = render_pdf(html)
    except Exception as exc:  # noqa: BLE001 - any failure is reported to the user and can be retried
        return _fail(document_id, exc)
    _progress(document_id, 80)

    digest = hashlib.sha256(pdf).hexdigest()
    storage = document.file.storage
    written: list[str] = []
    try:
        with transaction.atomic():
            document = Document.objects.select_for_update().select_related("issuer").get(pk=document_id)
            if document.status != DocumentStatus.ISSUING:  # another run finished first
                return document
            document.file.name = _store(document, pdf, digest, written)
            document.sha256, document.size, document.pages = digest, len(pdf), pages
            document.finish_issue()
            document.render_state, document.render_progress, document.render_error = RenderState.DONE, 100, ""
            document.save()
            if document.supersedes_id:
                previous = Document.objects.select_for_update().get(pk=document.supersedes_id)
                if previous.status == DocumentStatus.ISSUED:
                    previous.supersede()
                    previous.save()
    except Exception as exc:  # noqa: BLE001 - storage or database: the same clean-up, then retry
        # The transaction rolled back (the row points at nothing): delete what this run wrote.
        for name in written:
            _delete_quietly(storage, name)
        return _fail(document_id, exc)
    return document


@transaction.atomic
def document_retry(*, document_id: int, actor: User) -> Document:
    _check_actor(actor, document_id)
    document = Document.objects.select_for_update().get(pk=document_id)
    if document.status != DocumentStatus.ISSUING or document.render_state != RenderState.FAILED:
        raise Conflict(_("Only a document whose rendering failed can be retried."))
    document.render_state, document.render_progress, document.render_error = RenderState.QUEUED, 0, ""
    document.save(update_fields=["render_state", "render_progress", "render_error"])
    _queue_render(document.pk)
    return document


@transaction.atomic
def document_reissue(*, document_id: int, actor: User) -> Document:
    """A new draft version of an issued document, to correct it. The issued one stays as it is until
    the new version is issued, then it is marked superseded — never overwritten."""
    _check_actor(actor, document_id)
    document = Document.objects.select_for_update().get(pk=document_id)
    if document.status != DocumentStatus.ISSUED:
        raise Conflict(_("Only an issued document can be re-issued."))
    if Document.objects.filter(supersedes=document).exists():
        raise Conflict(_("A re-issue of this document is already in progress."))
    return Document.objects.create(
        subject_type_id=document.subject_type_id,
        subject_id=document.subject_id,
        doc_type=document.doc_type,
        issuer=document.issuer,
        fields=dict(document.fields),
        context=document.context,
        version=document.version + 1,
        supersedes=document,
        created_by=actor,
    )
