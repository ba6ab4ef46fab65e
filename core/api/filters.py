"""Query-parameter filters of every API list (django-filter), checked strictly.

django-filter's own backend treats ``?kind=`` (or ``?is_active=null``) as "no filter": a client that
sends an empty value (by mistake, or from an unset variable) silently gets everything. Here such a
value is refused like any other bad value, with a 400 naming the parameter, and the schema says so
(``minLength``/enums without a blank): leave a parameter out to not filter by it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext as _
from django_filters import FilterSet, NumberFilter, utils
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

# The largest id a database key holds (a signed 64-bit integer): a larger one would overflow the driver
# rather than simply match nothing.
MAX_ID = 2**63 - 1


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": MAX_ID})
class IdFilter(NumberFilter):  # type: ignore[misc]  # django-filter ships no types
    """A record's id: a whole number from 1, refused with a 400 otherwise (never a float read as a
    decimal, never a number too large for the database)."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def ignored_parameters(filterset: FilterSet, params: QueryDict) -> dict[str, list[str]]:
    """Errors for each filter of ``filterset`` sent in ``params`` that would not filter: an empty
    value, or one its field reads as "no value" (``?is_active=null``). Call after validation."""
    errors: dict[str, list[str]] = {}
    cleaned = getattr(filterset.form, "cleaned_data", {})
    for name in filterset.filters:
        if name not in params or name in filterset.form.errors:
            continue
        if any(not value.strip() for value in params.getlist(name)):
            errors[name] = [_("Give a value, or leave this parameter out.")]
        elif cleaned.get(name) in (None, "", [], ()):
            errors[name] = [_("This value is not valid here.")]
    return errors


class FilterBackend(DjangoFilterBackend):  # type: ignore[misc]  # django-filter ships no types
    def filter_queryset(self, request: Request, queryset: QuerySet[Any], view: APIView) -> QuerySet[Any]:
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        valid = filterset.is_valid()
        ignored = ignored_parameters(filterset, request.query_params)
        if ignored or not valid:
            errors = utils.translate_validation(filterset.errors).detail if filterset.errors else {}
            raise ValidationError({**errors, **ignored})
        filtered: QuerySet[Any] = filterset.qs
        return filtered
