"""One exception handler for the whole API: Django's and the domain's errors become JSON with a
message in the user's language, and nothing half-done survives (views run in transactions).

Every error body is an object: ``{"detail": "…"}`` for a refusal, ``{"<field>": ["…"]}`` for invalid
input (``non_field_errors`` for the request as a whole). The handlers at the end answer what never
reaches a DRF view — an ``/api/`` address that matches no route, a crash — in the same shape, so a
client never has to parse an HTML page.
"""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import csrf
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"

# Django's get_object_or_404 says "No User matches the given query." in English whatever the
# language; it names a model, which an API must not echo anyway.
_DJANGO_NOT_FOUND = re.compile(r"^No .+ matches the given query\.$")


class Conflict(Exception):
    """The request is well formed but the record's state does not allow it (HTTP 409)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def not_found_message() -> str:
    return _("Not found, or not within what you may see.")


def _chinese_first(exc: Exception) -> Exception:
    """Replace the few messages DRF and Django raise untranslated (or with English detail from a
    parser inside) by ours, which the catalogue translates."""
    if isinstance(exc, Http404):
        message = str(exc.args[0]) if exc.args else ""
        if not message or _DJANGO_NOT_FOUND.match(message):
            return exceptions.NotFound(not_found_message())
        return exceptions.NotFound(message)
    if isinstance(exc, exceptions.ParseError):
        # "JSON parse error - Expecting value: line 1 column 1 (char 0)": the parser's English detail
        # helps no clerk and no client.
        return exceptions.ParseError(
            _("The request body could not be read: it is not well-formed JSON or form data.")
        )
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        general = exc.detail.get(api_settings.NON_FIELD_ERRORS_KEY)
        if isinstance(general, list) and any(getattr(e, "code", None) == "null" for e in general):
            # A serializer given no data at all (a JSON body of `null`) says "No data provided".
            exc.detail[api_settings.NON_FIELD_ERRORS_KEY] = [
                exceptions.ErrorDetail(_("No data was sent."), code="null")
                if getattr(e, "code", None) == "null"
                else e
                for e in general
            ]
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        detail = (
            exc.message_dict
            if hasattr(exc, "error_dict")
            else {api_settings.NON_FIELD_ERRORS_KEY: exc.messages}
        )
        exc = exceptions.ValidationError(detail=detail)
    if isinstance(exc, Conflict):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, ObjectDoesNotExist):
        # A service that finds its record out of the caller's reach (``Model.DoesNotExist``): not found,
        # as every view answers for a record out of reach.
        exc = Http404()
    response = drf_exception_handler(_chinese_first(exc), context)
    if response is not None and isinstance(response.data, list):
        # ValidationError("…") or ValidationError(["…"]): still an object, as the schema says.
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response


# --- errors that never reach a DRF view --------------------------------------------------------------


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


@csrf_exempt  # nothing is done here; a CSRF refusal would answer 403 instead of 404
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Every ``/api/`` address no route matches (a malformed id, an unknown path): JSON 404."""
    return JsonResponse({"detail": not_found_message()}, status=status.HTTP_404_NOT_FOUND)


def api_error(request: HttpRequest, code: int) -> JsonResponse:
    """The JSON twin of Django's 400/403/404/500 pages, for requests under ``/api/``."""
    messages = {
        400: _("The request is malformed."),
        403: _("You may not do this."),
        404: not_found_message(),
        500: _("The server failed to complete the request. It has been logged; try again later."),
    }
    return JsonResponse({"detail": messages[code]}, status=code)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A request refused for CSRF (a session cookie without its token): JSON under ``/api/``."""
    if is_api(request):
        message = _("The request was refused: a signed-in browser session must send its CSRF token.")
        return JsonResponse({"detail": message}, status=status.HTTP_403_FORBIDDEN)
    return csrf.csrf_failure(request, reason=reason)
