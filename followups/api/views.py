"""The follow-ups API: the visits within reach, recording one, and the figures."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import get_scoped_or_404, scoped
from core.api.serializers import RefusalOutputSerializer
from core.models import User
from core.roles import Capability
from disputes.models import Dispute

from ..models import Visit
from ..selectors import followup_figures
from ..services import visit_record
from .serializers import FiguresSerializer, VisitInputSerializer, VisitSerializer

TAG = "followups"


def _user(request: Request) -> User:
    return cast(User, request.user)


def _visits(user: User) -> QuerySet[Visit]:
    return scoped(Visit.objects.all(), user).select_related("dispute", "assigned_to").order_by("due_on", "pk")


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        operation_id="followups_visits",
        parameters=[
            OpenApiParameter("mine", OpenApiTypes.BOOL, description="Only the visits assigned to you."),
            OpenApiParameter(
                "status", OpenApiTypes.STR, enum=Visit.Status.values, description="Only of this status."
            ),
        ],
    )
)
class VisitListApi(generics.ListAPIView[Visit]):
    """The follow-up visits within your reach, soonest due first."""

    serializer_class = VisitSerializer

    def get_queryset(self) -> QuerySet[Visit]:
        rows = _visits(_user(self.request))
        mine = self.request.query_params.getlist("mine")
        if mine:
            if len(mine) > 1 or mine[0] not in ("true", "false"):
                raise exceptions.ValidationError({"mine": ["true or false."]})
            if mine[0] == "true":
                rows = rows.filter(assigned_to=_user(self.request))
        statuses = self.request.query_params.getlist("status")
        status = statuses[0] if statuses else ""
        if statuses:
            if len(statuses) > 1 or status not in Visit.Status.values:
                raise exceptions.ValidationError({"status": ["Unknown status."]})
            rows = rows.filter(status=status)
        return rows


@extend_schema_view(get=extend_schema(tags=[TAG], operation_id="followups_visit"))
class VisitDetailApi(generics.RetrieveAPIView[Visit]):
    """One visit; 404 when its case is out of your reach."""

    serializer_class = VisitSerializer

    def get_queryset(self) -> QuerySet[Visit]:
        return _visits(_user(self.request))


class VisitRecordApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @extend_schema(
        tags=[TAG],
        operation_id="followups_visit_record",
        summary="Record a planned visit with its outcome",
        description=(
            "By the centre's clerk. Reached: `reached`, `satisfaction`, `performed` and `resolvable` are "
            "required (and `remaining` when resolvable, which reopens resolution on the case). Not reached: "
            "`attempt_note` is required, and the next attempt is planned a week later. **200** with the "
            "visit; **400** errors by field (nothing written); **403** not the centre; **404** out of reach."
        ),
        request=VisitInputSerializer,
        responses={
            200: VisitSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: `{field: [messages]}`."),
            403: RefusalOutputSerializer,
            404: RefusalOutputSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        visit = get_scoped_or_404(_visits(_user(request)), request.user, pk=pk)
        serializer = VisitInputSerializer(data=request.data)
        if not serializer.is_valid():
            raise exceptions.ValidationError(serializer.errors)
        data: dict[str, Any] = dict(serializer.validated_data)
        if data.get("resolvable") is None:
            data.pop("resolvable", None)
        visit_record(visit_id=visit.pk, actor=_user(request), data=data)
        return Response(
            VisitSerializer(Visit.objects.select_related("dispute", "assigned_to").get(pk=visit.pk)).data
        )


class FiguresApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="followups_figures",
        summary="The follow-up figures within your reach (决定后回访率)",
        responses={200: FiguresSerializer, 403: RefusalOutputSerializer},
    )
    def get(self, request: Request) -> Response:
        if not _user(request).can(Capability.MANAGE_CASES):
            raise exceptions.PermissionDenied
        figures = followup_figures(scoped(Dispute.objects.all(), request.user))
        return Response(
            FiguresSerializer(
                {
                    "rate": str(figures.rate) if figures.rate is not None else None,
                    "due": figures.due,
                    "followed_up": figures.followed_up,
                    "missed": figures.missed,
                    "not_yet_due": figures.not_yet_due,
                    "satisfaction_rate": (
                        str(figures.satisfaction_rate) if figures.satisfaction_rate is not None else None
                    ),
                    "reopened": figures.reopened,
                    "reopened_resolved": figures.reopened_resolved,
                }
            ).data
        )
