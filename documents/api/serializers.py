"""Input and output serializers of the documents API, one pair per operation.

Input serializers check the shape of a request only. What a document may become is decided by
``documents.services`` (a draft is editable, an issued document is not; a draft with a required
field empty is not issued); its refusals reach the client through ``core.api.exceptions``.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import OrganisationRefSerializer, TextField, UserRefSerializer

from ..models import Document, DocumentStatus
from ..types import DRAFTABLE, SPECS, DocumentType


class FieldSpecOutputSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field named like a Field attribute: DRF's metaclass moves it to _declared_fields
    multiline = serializers.BooleanField()
    required = serializers.BooleanField(help_text="The document is not issued while this field is empty.")  # type: ignore[assignment]  # a declared field named like a Field attribute: DRF's metaclass moves it to _declared_fields


# --- output --------------------------------------------------------------------------------------


class DocumentOutputSerializer(serializers.ModelSerializer):
    """A document as a clerk sees it: a draft still editable, or a numbered, stored PDF."""

    doc_type_display = serializers.CharField(source="get_doc_type_display", read_only=True)
    title = serializers.SerializerMethodField(help_text="The printed title (always in Chinese).")
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    editable = serializers.BooleanField(
        source="is_editable", read_only=True, help_text="Only a draft's fields may be changed."
    )
    render_state_display = serializers.CharField(source="get_render_state_display", read_only=True)
    issuer = OrganisationRefSerializer(read_only=True)
    field_specs = serializers.SerializerMethodField(help_text="The editable fields of this document type.")
    created_by = UserRefSerializer(read_only=True, allow_null=True)
    issued_by = UserRefSerializer(read_only=True, allow_null=True)
    supersedes: serializers.PrimaryKeyRelatedField[Document] = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="Id of the version this one corrects."
    )
    superseded_by = serializers.SerializerMethodField(
        help_text="Id of the next version (a re-issue), once one has been drafted."
    )
    download_url = serializers.SerializerMethodField(help_text="Where the PDF is downloaded, once issued.")

    class Meta:
        model = Document
        fields = [
            "id",
            "subject_id",
            "doc_type",
            "doc_type_display",
            "title",
            "issuer",
            "number",
            "version",
            "status",
            "status_display",
            "editable",
            "fields",
            "field_specs",
            "template_version",
            "sha256",
            "size",
            "pages",
            "render_state",
            "render_state_display",
            "render_progress",
            "render_error",
            "created_by",
            "created_at",
            "issued_by",
            "issued_at",
            "superseded_at",
            "supersedes",
            "superseded_by",
            "download_url",
        ]
        read_only_fields = fields
        extra_kwargs = {
            "subject_id": {"help_text": "Id of the case the document is about."},
            "render_state": {
                "help_text": "Of the PDF: empty until issued, then `queued`, `running`, `failed` or `done`."
            },
        }

    def get_title(self, document: Document) -> str:
        return SPECS[document.doc_type].title

    @extend_schema_field(FieldSpecOutputSerializer(many=True))
    def get_field_specs(self, document: Document) -> list[dict[str, Any]]:
        return [
            {"name": f.name, "label": str(f.label), "multiline": f.multiline, "required": f.required}
            for f in SPECS[document.doc_type].fields
        ]

    def get_superseded_by(self, document: Document) -> int | None:
        # Reverse one-to-one: the lists select it, so this is not a query per document.
        try:
            return document.superseded_by.pk
        except Document.superseded_by.RelatedObjectDoesNotExist:
            return None

    def get_download_url(self, document: Document) -> str | None:
        if document.status not in (DocumentStatus.ISSUED, DocumentStatus.SUPERSEDED) or not document.file:
            return None
        return reverse("api-document-pdf", args=[document.pk])


# --- input ---------------------------------------------------------------------------------------


def _fields_input(help_text: str, *, required: bool) -> serializers.DictField:
    return serializers.DictField(
        child=TextField(allow_blank=True, trim_whitespace=False),
        required=required,
        help_text=help_text,
    )


def unknown_fields(doc_type: str, fields: dict[str, str]) -> dict[str, list[str]]:
    """Errors, as ``{"fields.<name>": [...]}``, for the names in ``fields`` that ``doc_type`` lacks."""
    names = {f.name for f in SPECS[doc_type].fields}
    return {f"fields.{name}": [_("This document has no such field.")] for name in fields if name not in names}


class DocumentCreateInputSerializer(serializers.Serializer):
    doc_type = serializers.ChoiceField(choices=[(v, DocumentType(v).label) for v in DRAFTABLE])
    fields = _fields_input(  # type: ignore[assignment]  # a declared field named like Serializer.fields: DRF's metaclass moves it to _declared_fields
        "Editable text by field name (see `field_specs`); what is left out is pre-filled from the case.",
        required=False,
    )

    def validate(self, attrs):
        unknown = unknown_fields(attrs["doc_type"], attrs.get("fields") or {})
        if unknown:
            raise serializers.ValidationError(unknown)
        return attrs


class DocumentUpdateInputSerializer(serializers.Serializer):
    fields = _fields_input(  # type: ignore[assignment]  # a declared field named like Serializer.fields: DRF's metaclass moves it to _declared_fields
        "Editable text by field name (see `field_specs`); fields left out are kept.", required=True
    )
