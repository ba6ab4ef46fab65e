"""Reads of documents. Views, the API and the services reach documents only through these.

A document is visible exactly when its subject (a case) is: the subject is reached through the
adapter its app registered (``documents.subjects``), with that app's own scoping, so a document of a
case out of the user's reach is not found (404), never forbidden.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.http import Http404

from core.access import can
from core.roles import Capability

from .models import Document, DocumentStatus
from .subjects import SubjectAdapter, adapter_for

# The capabilities of the roles that run a case, and so draft and issue its documents (the legal-aid
# staff issue the legal-aid notices and refusals).
DRAFTING = (Capability.MANAGE_CASES, Capability.REGISTER_DISPUTE, Capability.MANAGE_LEGAL_AID)


def user_may_draft(user) -> bool:
    """Whether ``user`` may draft and issue documents at all (which cases: the subject's scoping)."""
    return any(can(user, capability) for capability in DRAFTING)


def subject_label(subject: Model) -> str:
    return subject._meta.label_lower


def subject_get(*, user, label: str, pk: int) -> tuple[SubjectAdapter, Model]:
    """The adapter and the subject if ``user`` may see it, else ``Http404`` (also for an unknown kind
    of subject)."""
    try:
        adapter = adapter_for(label)
    except LookupError:
        raise Http404 from None
    return adapter, adapter.resolve(user, pk)


def _label_of(subject_type_id: int) -> str:
    ct = ContentType.objects.get_for_id(subject_type_id)
    return f"{ct.app_label}.{ct.model}"


def document_get(
    *, user, pk: int, queryset: QuerySet | None = None
) -> tuple[Document, SubjectAdapter, Model]:
    """The document, its subject's adapter and the subject, or ``Http404`` when either is out of
    ``user``'s reach (a document of a case the user cannot see does not exist for them)."""
    queryset = (
        queryset
        if queryset is not None
        else Document.objects.select_related(
            "issuer", "created_by", "issued_by", "supersedes", "superseded_by"
        )
    )
    document = queryset.filter(pk=pk).first()
    if document is None:
        raise Http404
    adapter, subject = subject_get(
        user=user, label=_label_of(document.subject_type_id), pk=document.subject_id
    )
    return document, adapter, subject


def document_list(*, subject: Model, doc_type: str = "") -> QuerySet:
    """Every document of ``subject`` (reached by the caller), each version, oldest first."""
    documents = Document.objects.filter(
        subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
    )
    if doc_type:
        documents = documents.filter(doc_type=doc_type)
    return documents.select_related(
        "issuer", "created_by", "issued_by", "supersedes", "superseded_by"
    ).order_by("created_at", "pk")


def document_versions(*, document: Document) -> list[Document]:
    """The other versions of an issued document (same number), oldest first."""
    if not document.number:
        return []
    return list(
        Document.objects.filter(
            subject_type_id=document.subject_type_id,
            subject_id=document.subject_id,
            doc_type=document.doc_type,
            number=document.number,
        )
        .exclude(pk=document.pk)
        .order_by("version", "pk")
    )


def document_replaced_by(*, document: Document) -> Document | None:
    """The re-issue that corrects ``document``, if one was started."""
    if document.status not in (DocumentStatus.ISSUED, DocumentStatus.SUPERSEDED):
        return None
    return Document.objects.filter(supersedes=document).select_related("issued_by").first()


def document_pending_correction(*, document: Document) -> Document | None:
    """The draft correcting ``document``, if one is being drafted."""
    return Document.objects.filter(supersedes=document, status=DocumentStatus.DRAFT).first()
