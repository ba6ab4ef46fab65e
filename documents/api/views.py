"""The documents API: one class per operation, each calling one service of ``documents.services``.

A document is visible exactly when its case is: the case is reached through the subject adapter
(``documents.subjects``), with the case's own scoping, so a document of a case out of the user's
reach is 404, never 403. Drafting, editing, issuing, retrying and re-issuing also need a role that
runs cases (403 otherwise). An issued document never changes: a PATCH of it is 409 and a
correction is a re-issue. There is no PUT or DELETE.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model
from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.serializers import RefusalOutputSerializer

from .. import selectors
from ..models import Document, DocumentStatus
from ..services import (
    document_draft_create,
    document_draft_update,
    document_issue,
    document_reissue,
    document_retry,
)
from ..types import SPECS
from .serializers import (
    DocumentCreateInputSerializer,
    DocumentOutputSerializer,
    DocumentUpdateInputSerializer,
    unknown_fields,
)

TAG = "documents"

# The subject of the documents under /api/disputes/<id>/documents/.
CASE = "disputes.dispute"

ERRORS = {
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: `{field: [messages]}`."),
    403: OpenApiResponse(RefusalOutputSerializer, description="Your role may not draft or issue documents."),
    404: OpenApiResponse(RefusalOutputSerializer, description="No such case or document within your reach."),
}
NOT_FOUND = {404: ERRORS[404]}
CONFLICT = {
    409: OpenApiResponse(
        RefusalOutputSerializer,
        description="The document's status does not allow this (a message for the user).",
    )
}


# --- reach ---------------------------------------------------------------------------------------


def _case(user, subject_id: int) -> Model:
    """The case if ``user`` may see it, else 404 (the case's own scoping)."""
    return selectors.subject_get(user=user, label=CASE, pk=subject_id)[1]


def _document(user, pk: int) -> Document:
    """The document if ``user`` may see its case, else 404."""
    return selectors.document_get(user=user, pk=pk)[0]


def _may_draft(user) -> None:
    # Refused before the input is read (403 before 400); the services check it again.
    if not selectors.user_may_draft(user):
        raise exceptions.PermissionDenied(_("Your role may not draft or issue documents."))


def _detail(user, pk: int) -> dict[str, Any]:
    # Read again after the service: the render may have run on commit and moved the document on.
    return DocumentOutputSerializer(selectors.document_get(user=user, pk=pk)[0]).data


def _valid(serializer) -> dict[str, Any]:
    if not serializer.is_valid():
        raise exceptions.ValidationError(serializer.errors)
    return serializer.validated_data


# --- the documents of a case ---------------------------------------------------------------------


class CaseDocumentsApi(APIView):
    """``GET``: every document of a case, each version listed. ``POST``: draft a new one."""

    # ``fields`` is an object of texts: JSON only (form data cannot say it; a part would be ignored).
    parser_classes = [JSONParser]

    @extend_schema(
        tags=[TAG],
        operation_id="documents_list",
        summary="The documents of a case",
        description="Every document of the case, drafts and every version of a re-issued one, oldest first.",
        responses={200: DocumentOutputSerializer(many=True), **NOT_FOUND},
    )
    def get(self, request, subject_id: int):
        case = _case(request.user, subject_id)
        return Response(DocumentOutputSerializer(selectors.document_list(subject=case), many=True).data)

    @extend_schema(
        tags=[TAG],
        operation_id="documents_create",
        summary="Draft a document",
        description=(
            "A new draft of the given type, pre-filled from the case: its facts are taken as they are "
            "now and kept with the document. `fields` override the pre-filled text. A draft may be "
            "edited until it is issued."
        ),
        request=DocumentCreateInputSerializer,
        responses={201: DocumentOutputSerializer, **ERRORS},
    )
    def post(self, request, subject_id: int):
        case = _case(request.user, subject_id)
        _may_draft(request.user)
        data = _valid(DocumentCreateInputSerializer(data=request.data))
        document = document_draft_create(
            actor=request.user, subject=case, doc_type=data["doc_type"], fields=data.get("fields")
        )
        return Response(_detail(request.user, document.pk), status=status.HTTP_201_CREATED)


# --- one document --------------------------------------------------------------------------------


class DocumentDetailApi(APIView):
    parser_classes = [JSONParser]  # as above: ``fields`` is an object

    @extend_schema(
        tags=[TAG],
        operation_id="documents_detail",
        summary="A document",
        description="The document with its text, number, status, and once issued its PDF's checksum and link.",
        responses={200: DocumentOutputSerializer, **NOT_FOUND},
    )
    def get(self, request, pk: int):
        document = _document(request.user, pk)
        return Response(_detail(request.user, document.pk))

    @extend_schema(
        tags=[TAG],
        operation_id="documents_update",
        summary="Edit a draft",
        description=(
            "Changes the editable text of a draft; fields left out are kept. A document being issued, "
            "issued or superseded is never changed: the request is refused with 409 (correct an issued "
            "document by re-issuing it)."
        ),
        request=DocumentUpdateInputSerializer,
        responses={200: DocumentOutputSerializer, **ERRORS, **CONFLICT},
    )
    def patch(self, request, pk: int):
        document = _document(request.user, pk)
        _may_draft(request.user)
        data = _valid(DocumentUpdateInputSerializer(data=request.data))
        unknown = unknown_fields(document.doc_type, data["fields"])
        if unknown:
            raise exceptions.ValidationError(unknown)
        document_draft_update(document_id=document.pk, actor=request.user, fields=data["fields"])
        return Response(_detail(request.user, document.pk))


class DocumentIssueApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="documents_issue",
        summary="Issue a draft",
        description=(
            "Gives the draft its number (文号) and queues the rendering of its PDF; the answer is the "
            "document being issued. Follow `render_state`/`render_progress` until the status is "
            "`issued`. Repeating the request changes nothing. A draft with a required field empty is "
            "refused (400)."
        ),
        request=None,
        responses={202: DocumentOutputSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        document = _document(request.user, pk)
        _may_draft(request.user)
        document_issue(document_id=document.pk, actor=request.user)
        return Response(_detail(request.user, document.pk), status=status.HTTP_202_ACCEPTED)


class DocumentRetryApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="documents_retry",
        summary="Retry a failed rendering",
        description="Queues the rendering again, with the same number, after it failed (`render_state` `failed`).",
        request=None,
        responses={202: DocumentOutputSerializer, **ERRORS, **CONFLICT},
    )
    def post(self, request, pk: int):
        document = _document(request.user, pk)
        _may_draft(request.user)
        document_retry(document_id=document.pk, actor=request.user)
        return Response(_detail(request.user, document.pk), status=status.HTTP_202_ACCEPTED)


class DocumentReissueApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="documents_reissue",
        summary="Re-issue (correct) an issued document",
        description=(
            "A new draft version of an issued document, with its text, to be corrected and issued under "
            "the same number. The issued version stays as it is until the new one is issued; it is then "
            "marked superseded, and both remain listed."
        ),
        request=None,
        responses={201: DocumentOutputSerializer, **ERRORS, **CONFLICT},
    )
    def post(self, request, pk: int):
        document = _document(request.user, pk)
        _may_draft(request.user)
        draft = document_reissue(document_id=document.pk, actor=request.user)
        return Response(_detail(request.user, draft.pk), status=status.HTTP_201_CREATED)


class PdfRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: application/pdf``; the PDF itself is sent as a file."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class DocumentPdfApi(APIView):
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        tags=[TAG],
        operation_id="documents_pdf",
        summary="The issued PDF",
        description=(
            "The PDF as stored when the document was issued; its SHA-256 is the document's `sha256` "
            "(also sent as the ETag). Not found until the document is issued."
        ),
        # ``?format=`` picks a renderer; it changes nothing here (the PDF is sent as a file).
        parameters=[OpenApiParameter("format", exclude=True)],
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The PDF."),
            (404, "application/json"): ERRORS[404],
        },
    )
    def get(self, request, pk: int):
        document = _document(request.user, pk)
        if document.status not in (DocumentStatus.ISSUED, DocumentStatus.SUPERSEDED) or not document.file:
            raise NotFound(_("The document has not been issued yet."))
        # Named as a clerk files it: title and number, in Chinese whatever the interface language.
        filename = f"{SPECS[document.doc_type].title}{document.number}"
        if document.version > 1:
            filename += f"-{document.version}"
        response = FileResponse(
            document.file.open("rb"),
            as_attachment=True,
            filename=f"{filename}.pdf",
            content_type="application/pdf",
        )
        response["ETag"] = f'"{document.sha256}"'  # the checksum, for the client to verify what it got
        # An official document prints ID numbers in full: never kept by a browser or a proxy.
        response["Cache-Control"] = "no-store"
        return response

    def handle_exception(self, exc):
        # A refusal is JSON whatever the client asked for.
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)
