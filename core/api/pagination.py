"""Pages of every API list."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.core.paginator import Paginator
from rest_framework import pagination
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.paginator import CAP, SEARCH_CAP, CappedPaginator


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, without reading ``?page=`` (sent empty) as the first page: a ``page``
    that is not a positive whole number is 404 "invalid page", as the schema's ``minimum: 1`` says.

    Counts stop at 10,000 rows (1,000 for a search) or the end of the requested page and one row more
    (``core.paginator.CappedPaginator``): ``count`` is then a lower bound and ``count_capped`` true,
    and ``next`` is there while rows follow."""

    def get_page_number(self, request: Request, paginator: Paginator[Any]) -> int | str:
        value = request.query_params.get(self.page_query_param)
        if value is not None and not (value.isascii() and value.isdigit() and int(value) >= 1):
            raise NotFound(self.invalid_page_message)
        return super().get_page_number(request, paginator)

    def paginate_queryset(self, queryset: Any, request: Request, view: APIView | None = None) -> Any:
        number = request.query_params.get(self.page_query_param)
        size = self.get_page_size(request)
        cap = SEARCH_CAP if request.query_params.get("q") else CAP
        self.django_paginator_class = partial(CappedPaginator, page=number, cap=cap)  # type: ignore[assignment]  # a Paginator class, bound to the page asked for
        if size is None:
            return None
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data: Any) -> Response:
        assert self.page is not None  # paginate_queryset ran
        paginator = self.page.paginator
        return Response(
            {
                "count": paginator.count,
                "count_capped": getattr(paginator, "capped", False),
                "next": self.get_next_link(),
                "previous": self.get_previous_link(),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        response = super().get_paginated_response_schema(schema)
        response["properties"]["count"]["description"] = (
            "Rows in all, counted up to 10,000 or to the end of the page asked for and one row more."
        )
        response["properties"]["count_capped"] = {
            "type": "boolean",
            "description": "True when the list goes on beyond `count` (which is then a lower bound).",
        }
        response["required"] = [*response.get("required", []), "count_capped"]
        return response

    def get_schema_operation_parameters(self, view: APIView) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
