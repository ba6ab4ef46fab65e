"""The hearings API: the case's hearings, and the hearing step (the case's ``schedule_hearing``
transition, which only this app runs: the case's generic transition endpoint refuses it with 409)."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import get_scoped_or_404
from core.api.serializers import RefusalOutputSerializer
from core.models import User
from disputes.models import Dispute

from ..models import Hearing
from ..selectors import hearing_list, hearings_reachable
from ..services import (
    attendance_record,
    court_session_record,
    head_answer_give,
    head_answer_review,
    hearing_cancel,
    hearing_mark_must_attend,
    hearing_schedule,
    meeting_schedule,
)
from .serializers import (
    AttendanceInputSerializer,
    AttendanceSerializer,
    CancelInputSerializer,
    CourtSessionInputSerializer,
    HeadAnswerInputSerializer,
    HeadAnswerSerializer,
    HearingDetailSerializer,
    HearingOutputSerializer,
    HearingScheduleInputSerializer,
    MeetingInputSerializer,
    MustAttendInputSerializer,
    ReviewInputSerializer,
)

TAG = "hearings"


def _user(request: Request) -> User:
    # The API's default permission admits signed-in users only (config/settings: IsAuthenticated).
    return cast(User, request.user)


class HearingCollectionApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="hearings_list",
        summary="The case's hearings",
        responses={200: HearingOutputSerializer(many=True), 404: RefusalOutputSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
        return Response(
            HearingOutputSerializer(hearing_list(user=_user(request), dispute=dispute), many=True).data
        )

    @extend_schema(
        tags=[TAG],
        operation_id="hearings_schedule",
        summary="Schedule (or reschedule) the hearing",
        description=(
            "Records the hearing and moves the reconsideration to “hearing scheduled” (the case's "
            "`schedule_hearing` step, offered in the case's `app_actions`). A rescheduled hearing cancels "
            "the one it replaces. Answers **201** with the hearing (**200** with the same hearing when the "
            "request is repeated: send an `Idempotency-Key` or `expected_status`); **400** errors by field; "
            "**403** your role may not; **404** case out of reach; **409** the case's status does not allow it."
        ),
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description="One key per intended step: a request repeated with the same key is carried out once.",
            )
        ],
        request=HearingScheduleInputSerializer,
        responses={
            201: HearingOutputSerializer,
            200: HearingOutputSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: `{field: [messages]}`."),
            403: RefusalOutputSerializer,
            404: RefusalOutputSerializer,
            409: RefusalOutputSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
        serializer = HearingScheduleInputSerializer(data=request.data)
        if not serializer.is_valid():
            raise exceptions.ValidationError(serializer.errors)
        data = dict(serializer.validated_data)
        expected = data.pop("expected_status", None)
        before = set(Hearing.objects.filter(dispute=dispute).values_list("pk", flat=True))
        hearing = hearing_schedule(
            dispute_id=dispute.pk,
            actor=_user(request),
            data=data,
            expected_status=expected,
            request_key=request.headers.get("Idempotency-Key", ""),
        )
        created = hearing.pk not in before
        return Response(
            HearingOutputSerializer(hearing).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


@extend_schema_view(get=extend_schema(tags=[TAG], operation_id="hearings_reachable"))
class HearingListApi(generics.ListAPIView[Hearing]):
    """Every hearing within your reach (its case within your reach), soonest first, with the agency's
    answer and the attendance that count."""

    serializer_class = HearingDetailSerializer

    def get_queryset(self) -> QuerySet[Hearing]:
        return hearings_reachable(user=_user(self.request))


@extend_schema_view(get=extend_schema(tags=[TAG], operation_id="hearings_read"))
class HearingDetailApi(generics.RetrieveAPIView[Hearing]):
    """One hearing; 404 when its case is out of your reach."""

    serializer_class = HearingDetailSerializer

    def get_queryset(self) -> QuerySet[Hearing]:
        return hearings_reachable(user=_user(self.request))


class HeadAnswerApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @extend_schema(
        tags=[TAG],
        operation_id="hearings_answer",
        summary="The agency's answer: will its head attend?",
        description=(
            "By the respondent agency's head or liaison. **201** with the answer; **400** errors by field "
            "(a deputy needs `head_name`; none needs `reason` and `delegate_name`; a hearing no longer "
            "scheduled); **403** not the respondent agency's head or liaison; **404** out of reach."
        ),
        request=HeadAnswerInputSerializer,
        responses={
            201: HeadAnswerSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: `{field: [messages]}`."),
            403: RefusalOutputSerializer,
            404: RefusalOutputSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        hearing, data = _validated(request, pk, HeadAnswerInputSerializer)
        answer = head_answer_give(hearing_id=hearing.pk, actor=_user(request), data=data)
        return Response(HeadAnswerSerializer(answer).data, status=status.HTTP_201_CREATED)


class AttendanceApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @extend_schema(
        tags=[TAG],
        operation_id="hearings_attendance",
        summary="Record who attended for the agency",
        description=(
            "By the centre's clerk, once the hearing has taken place. A record is fixed: another one "
            "corrects it and must give `correction_reason`. **201** with the record; **400** errors by "
            "field; **403** not the centre's clerk; **404** out of reach."
        ),
        request=AttendanceInputSerializer,
        responses={
            201: AttendanceSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: `{field: [messages]}`."),
            403: RefusalOutputSerializer,
            404: RefusalOutputSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        hearing, data = _validated(request, pk, AttendanceInputSerializer)
        record = attendance_record(hearing_id=hearing.pk, actor=_user(request), data=data)
        return Response(AttendanceSerializer(record).data, status=status.HTTP_201_CREATED)


def _validated(request: Request, pk: int, input_class: Any) -> tuple[Hearing, Any]:
    """The hearing (404 out of reach) and the request's body, checked by ``input_class`` (400 by field)."""
    hearing = get_scoped_or_404(hearings_reachable(user=_user(request)), request.user, pk=pk)
    serializer = input_class(data=request.data)
    if not serializer.is_valid():
        raise exceptions.ValidationError(serializer.errors)
    return hearing, serializer.validated_data


def _step(request: Request, pk: int, input_class: Any, service: Any) -> Hearing:
    """Run ``service`` on the hearing with the checked body; the hearing as it is afterwards."""
    hearing, data = _validated(request, pk, input_class)
    service(hearing_id=hearing.pk, actor=_user(request), data=data)
    return Hearing.objects.get(pk=hearing.pk)


class MustAttendApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @extend_schema(
        tags=[TAG],
        operation_id="hearings_must_attend",
        summary="Mark (or unmark) a hearing the head must attend",
        description=(
            "By the centre's clerk, on one of seed 003's grounds; the agency is told. **200** with the "
            "hearing; **400** errors by field; **403** not the centre; **404** out of reach."
        ),
        request=MustAttendInputSerializer,
        responses={
            200: HearingDetailSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: `{field: [messages]}`."),
            403: RefusalOutputSerializer,
            404: RefusalOutputSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        hearing = _step(request, pk, MustAttendInputSerializer, hearing_mark_must_attend)
        return Response(HearingDetailSerializer(hearing).data)


class ReviewApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @extend_schema(
        tags=[TAG],
        operation_id="hearings_answer_review",
        summary="Approve or refuse the agency's “no head” for a must-attend hearing",
        description=(
            "By the centre's clerk, with the reason; refused, the agency is told to answer again. **200** "
            "with the hearing; **400** nothing awaits approval, or errors by field; **403** not the centre; "
            "**404** out of reach."
        ),
        request=ReviewInputSerializer,
        responses={
            200: HearingDetailSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: `{field: [messages]}`."),
            403: RefusalOutputSerializer,
            404: RefusalOutputSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        hearing = _step(request, pk, ReviewInputSerializer, head_answer_review)
        return Response(HearingDetailSerializer(hearing).data)


def _arranged(request: Request, pk: int, input_class: Any, service: Any) -> Response:
    dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
    serializer = input_class(data=request.data)
    if not serializer.is_valid():
        raise exceptions.ValidationError(serializer.errors)
    hearing = service(dispute_id=dispute.pk, actor=_user(request), data=dict(serializer.validated_data))
    return Response(HearingDetailSerializer(hearing).data, status=status.HTTP_201_CREATED)


_ARRANGED_ERRORS = {
    201: HearingDetailSerializer,
    400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: `{field: [messages]}`."),
    403: RefusalOutputSerializer,
    404: RefusalOutputSerializer,
}


class CourtSessionApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @extend_schema(
        tags=[TAG],
        operation_id="hearings_court_session",
        summary="Record a court session from the court's notice",
        description=(
            "By the court's or the centre's clerk, or the agency's liaison, while the case is in court. The "
            "instance's session still open is replaced (rescheduled). The agency is asked whether its head "
            "appears; its first first-instance case of the year is marked as one its head must attend. "
            "**201** with the hearing; **400** errors by field (a notice reaching the agency less than 3 "
            "days before needs `short_notice_reason`; a clash names the other hearing); **403** your role "
            "may not; **404** case out of reach."
        ),
        request=CourtSessionInputSerializer,
        responses=_ARRANGED_ERRORS,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _arranged(request, pk, CourtSessionInputSerializer, court_session_record)


class MeetingApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @extend_schema(
        tags=[TAG],
        operation_id="hearings_meeting",
        summary="Schedule a resolution meeting (化解会)",
        description=(
            "By the centre's clerk or mediator while the dispute is being resolved; the case's meeting "
            "still open is replaced (rescheduled). The agency is asked whether its head attends. **201** "
            "with the hearing; **400** errors by field (a clash names the other hearing); **403** your "
            "role may not; **404** case out of reach."
        ),
        request=MeetingInputSerializer,
        responses=_ARRANGED_ERRORS,
    )
    def post(self, request: Request, pk: int) -> Response:
        return _arranged(request, pk, MeetingInputSerializer, meeting_schedule)


class CancelApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @extend_schema(
        tags=[TAG],
        operation_id="hearings_cancel",
        summary="Call off a court session or a resolution meeting",
        description=(
            "With the reason; the request to the head and its reminders end, the agency is told. A "
            "reconsideration hearing is rescheduled instead, or ends with the case's withdrawal (403). "
            "**200** with the hearing; **400** errors by field, or no longer scheduled; **404** out of reach."
        ),
        request=CancelInputSerializer,
        responses={
            200: HearingDetailSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: `{field: [messages]}`."),
            403: RefusalOutputSerializer,
            404: RefusalOutputSerializer,
        },
    )
    def post(self, request: Request, pk: int) -> Response:
        hearing = _step(request, pk, CancelInputSerializer, hearing_cancel)
        return Response(HearingDetailSerializer(hearing).data)
