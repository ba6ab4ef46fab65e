"""The OpenAPI schema says every status an operation can answer, with the body it then has.

drf-spectacular documents the success response of each operation and whatever a view declares with
``@extend_schema(responses=…)``. The errors every operation shares come from the project's exception
handler (``core.api.exceptions``) and are added here, once, rather than by hand on each view:

* 400 ``ValidationError`` where the request has a body or query parameters;
* 401 and 403 ``Error`` where a user must sign in (a bad credential is 401 everywhere);
* 404 ``Error`` where the path names a record, or a page of a list is asked for;
* 415 ``Error`` where the request has a body (a media type the operation does not parse).

A text query parameter has ``minLength: 1``: a filter sent empty is refused (``core.api.filters``).

A view's own declaration of one of these codes (a 409 listing duplicates, say) is kept.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ComponentRegistry
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .serializers import RefusalOutputSerializer

# ``{"detail": "…"}``: the body of every refusal (the component ``RefusalOutput``).
ErrorSerializer = RefusalOutputSerializer


class ValidationErrorSerializer(serializers.Serializer[Any]):
    """Invalid input: ``{field: [messages]}``; ``non_field_errors`` for the request as a whole and
    ``detail`` when the body could not be read at all."""


VALIDATION_ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": ValidationErrorSerializer.__doc__,
    "additionalProperties": {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string"},
            {"type": "object", "additionalProperties": True},
        ]
    },
}

ERROR_DESCRIPTIONS = {
    "400": "Invalid input, by field (`non_field_errors` for the whole request).",
    "401": "Not signed in, or the credential is not valid.",
    "403": "Your role may not do this.",
    "404": "No such record within your reach (or no such page of the list).",
    "415": "The body's media type is not one this operation reads.",
}


class HuajieAutoSchema(AutoSchema):
    def get_operation(
        self, path: str, path_regex: str, path_prefix: str, method: str, registry: ComponentRegistry
    ) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        needed = {"401"}
        if has_body or any(p["in"] == "query" for p in parameters):
            needed.add("400")
        if operation.get("security") and {} not in operation["security"]:
            needed.add("403")
        if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
            needed.add("404")
        if has_body:
            needed.add("415")
        filters = getattr(getattr(self.view, "filterset_class", None), "base_filters", {})
        for parameter in parameters:
            schema = parameter.get("schema", {})
            help_text = (
                filters[parameter["name"]].extra.get("help_text") if parameter["name"] in filters else None
            )
            if parameter["in"] == "query" and help_text and not parameter.get("description"):
                # A filter whose schema is given by hand (extend_schema_field) loses its help text.
                parameter["description"] = str(help_text)
            if (
                parameter["in"] == "query"
                and schema.get("type") == "string"
                and not {"enum", "format"} & set(schema)
            ):
                # A filter sent empty is refused (core.api.filters): say so.
                schema.setdefault("minLength", 1)
        responses = operation["responses"]
        for code in sorted(needed - set(responses)):
            serializer = ValidationErrorSerializer if code == "400" else ErrorSerializer
            # drf-spectacular's AutoSchema is untyped; its helpers return the OpenAPI dicts.
            responses[code] = self._get_response_for_code(  # type: ignore[no-untyped-call]
                OpenApiResponse(serializer, description=ERROR_DESCRIPTIONS[code]), code
            )
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def _map_serializer(
        self, serializer: Any, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        if isinstance(serializer, ValidationErrorSerializer):
            return dict(VALIDATION_ERROR_SCHEMA)
        mapped: dict[str, Any] = super()._map_serializer(  # type: ignore[no-untyped-call]  # untyped library
            serializer, direction, bypass_extensions
        )
        return mapped
