"""The reports API: every figure for a period, region and agency, and the cases behind each part of one."""

from __future__ import annotations

from typing import Any, cast

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core import workdays
from core.access import scoped
from core.api.serializers import RefusalOutputSerializer
from core.models import User
from core.roles import Capability
from disputes.models import Dispute

from .. import periods
from ..metrics import BY_CODE, METRICS, Metric, Scope, change_in_points, figure_table, year_before
from .serializers import CasesQuerySerializer, MetricCaseSerializer, MetricsSerializer, PeriodQuerySerializer

TAG = "reports"
INVALID = OpenApiResponse(
    OpenApiTypes.OBJECT, description="A bad period, region, agency or part: `{field: [messages]}`."
)
PERIOD_PARAMETERS = [
    OpenApiParameter(
        "from", OpenApiTypes.DATE, description="First day (YYYY-MM-DD); 1 January of this year by default."
    ),
    OpenApiParameter(
        "to",
        OpenApiTypes.DATE,
        description="Last day (YYYY-MM-DD); 31 December of the first day's year by default.",
    ),
    OpenApiParameter("region", int, description="Only this region of yours and those below it."),
    OpenApiParameter("agency", int, description="Only the cases of this agency."),
]


def _scope(request: Request, serializer: PeriodQuerySerializer) -> Scope:
    user = cast(User, request.user)
    if not user.can(Capability.VIEW_REPORTS):
        raise exceptions.PermissionDenied
    serializer.is_valid(raise_exception=True)
    query = serializer.validated_data
    narrowed, notes = periods.narrowing(user, {k: str(query[k]) for k in ("region", "agency") if k in query})
    if notes:
        raise exceptions.ValidationError({"detail": notes})
    return Scope(user, query["from"], query["to"], **narrowed)


def _decimal(value: Any) -> str | None:
    return None if value is None else str(value)


class MetricsApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="reports_metrics",
        summary="Every figure for a period, region and agency, with the same period a year earlier",
        parameters=PERIOD_PARAMETERS,
        responses={
            200: MetricsSerializer,
            400: INVALID,
            403: RefusalOutputSerializer,
        },  # fmt: skip
    )
    def get(self, request: Request) -> Response:
        scope = _scope(
            request, PeriodQuerySerializer(data=request.query_params, context={"today": workdays.today()})
        )
        now, before = figure_table(scope).totals, figure_table(year_before(scope)).totals
        rows = []
        for metric in METRICS:
            counts, earlier = now[metric.code], before[metric.code]
            rows.append(
                {
                    "code": metric.code,
                    "label": str(metric.label),
                    "definition": str(metric.definition),
                    "four": metric.four,
                    "numerator": counts.numerator,
                    "denominator": counts.denominator,
                    "beside": counts.beside,
                    "value": _decimal(counts.value),
                    "target": _decimal(metric.target),
                    "ceiling": _decimal(metric.ceiling),
                    "alarm": metric.alarm(counts.value),
                    "previous_value": _decimal(earlier.value),
                    "change": _decimal(change_in_points(counts, earlier)),
                }
            )
        return Response(MetricsSerializer({"first": scope.first, "last": scope.last, "metrics": rows}).data)


class MetricCasesApi(generics.GenericAPIView[Dispute]):
    serializer_class = MetricCaseSerializer
    queryset = Dispute.objects.none()  # the rows come from the figure (``get``); this names the model

    def _metric(self) -> Metric:
        metric = BY_CODE.get(self.kwargs["code"])
        if metric is None:
            raise Http404
        return metric

    @extend_schema(
        tags=[TAG],
        operation_id="reports_metric_cases",
        summary="The cases behind one part of a figure (its numerator, its denominator or what is beside)",
        parameters=[
            OpenApiParameter(
                "part", str, required=True, description="numerator, denominator or a name beside."
            ),
            *PERIOD_PARAMETERS,
        ],
        responses={
            200: MetricCaseSerializer(many=True),
            400: INVALID,
            403: RefusalOutputSerializer,
            404: RefusalOutputSerializer,
        },  # fmt: skip
    )
    def get(self, request: Request, code: str) -> Response:
        metric = self._metric()
        query = CasesQuerySerializer(
            data=request.query_params, context={"today": workdays.today(), "parts": metric.part_names()}
        )
        scope = _scope(request, query)
        part = query.validated_data["part"]
        page = self.paginate_queryset(metric.cases_behind(scope, part).select_related("respondent"))
        assert page is not None  # every list is paged
        ids = [d.pk for d in page]
        times = metric.times_counted(scope, part, ids)
        user = cast(User, request.user)
        openable = set(scoped(Dispute.objects.filter(pk__in=ids), user).values_list("pk", flat=True))
        data = [
            {
                "id": d.pk,
                "number": d.number,
                "respondent": d.respondent.name,
                "counted": times.get(d.pk, 0),
                "can_open": d.pk in openable,
            }  # fmt: skip
            for d in page
        ]
        return self.get_paginated_response(MetricCaseSerializer(data, many=True).data)
