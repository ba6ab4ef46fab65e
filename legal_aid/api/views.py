"""The legal-aid API: a case's parties and their aid, screening and the application from the case; the
applications with their decision, objection, lawyer and end; the roster; the coverage figure.

Every case and application is fetched through ``core.access`` (out of reach: 404, never 403). Nothing
here writes: each step calls one service of ``legal_aid.services``, whose refusals the project's
exception handler turns into 400 (by field) and 403 (the role may not)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import django_filters
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import exceptions, generics, status
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from core.access import get_scoped_or_404, scoped
from core.api.permissions import capability
from core.api.serializers import RefusalOutputSerializer
from core.models import User
from core.roles import Capability
from disputes.models import Dispute, Party

from .. import services
from ..models import Application, Lawyer
from ..panels import case_panel
from ..selectors import aid_coverage, applications_reachable
from .serializers import (
    AidApplicationDetailSerializer,
    AidApplicationInputSerializer,
    AidApplicationSerializer,
    AidAssignmentInputSerializer,
    AidCoverageSerializer,
    AidDecisionInputSerializer,
    AidEndInputSerializer,
    AidLawyerSerializer,
    AidObjectionInputSerializer,
    AidObjectionReviewInputSerializer,
    AidScreeningInputSerializer,
    AidScreeningSerializer,
    CaseLegalAidSerializer,
)

TAG = "legal-aid"

_INVALID = OpenApiResponse(OpenApiTypes.OBJECT, description="Invalid input: `{field: [messages]}`.")


def _user(request: Request) -> User:
    # The API's default permission admits signed-in users only (config/settings: IsAuthenticated).
    return cast(User, request.user)


def _validated(request: Request, input_class: type[Serializer[Any]]) -> dict[str, Any]:
    """The request's body checked by ``input_class`` (400 by field), as the plain dict a service takes."""
    serializer = input_class(data=request.data)
    if not serializer.is_valid():
        raise exceptions.ValidationError(serializer.errors)
    return dict(serializer.validated_data)


# --- the case ------------------------------------------------------------------------------------------


class CaseLegalAidApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="legal_aid_case",
        summary="The case's parties without a representative and their legal aid",
        description=(
            "Each party taking part on their own behalf with nobody acting for them: the latest screening "
            "(with the reason for each criterion and any override), the latest application and the lawyer "
            "acting now. For the centre's clerks, the legal-aid staff and the case's assigned lawyer; "
            "**403** for anyone else within reach (the agency, the court); **404** case out of reach."
        ),
        responses={200: CaseLegalAidSerializer, 403: RefusalOutputSerializer, 404: RefusalOutputSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
        panel = case_panel(dispute, _user(request))
        if panel is None:
            # The case page's rule (``panels.case_panel``): the agency and the court do not see it.
            raise exceptions.PermissionDenied(_("You may not do this."))
        return Response(CaseLegalAidSerializer(panel).data)


def _party(request: Request, pk: int, party_pk: int) -> tuple[Dispute, Party]:
    """The case (404 out of reach) and one of its parties (404 if not one of the case's)."""
    dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
    return dispute, get_object_or_404(dispute.parties.all(), pk=party_pk)


class ScreeningApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @extend_schema(
        tags=[TAG],
        operation_id="legal_aid_screen",
        summary="Screen a party against the conditions of legal aid",
        description=(
            "By the centre's clerk or the legal-aid staff, for a party without a representative: the "
            "conditions of Art. 31, 32 and 42 give the result, with the reason for each criterion. A "
            "`result` other than theirs is an override and needs `override_reason`. A party screened again "
            "has a new screening; the latest counts. **201** with the screening; **400** errors by field "
            "(nothing is written); **403** your role may not; **404** case or party out of reach."
        ),
        request=AidScreeningInputSerializer,
        responses={
            201: AidScreeningSerializer,
            400: _INVALID,
            403: RefusalOutputSerializer,
            404: RefusalOutputSerializer,
        },
    )
    def post(self, request: Request, pk: int, party_pk: int) -> Response:
        dispute, party = _party(request, pk, party_pk)
        data = _validated(request, AidScreeningInputSerializer)
        screening = services.screening_record(
            dispute_id=dispute.pk,
            party_id=party.pk,
            actor=_user(request),
            data=data,
        )
        return Response(AidScreeningSerializer(screening).data, status=status.HTTP_201_CREATED)


class ApplicationFileApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @extend_schema(
        tags=[TAG],
        operation_id="legal_aid_apply",
        summary="File a party's application for legal aid",
        description=(
            "By the centre's clerk or the legal-aid staff, for a party without a representative and "
            "without an open application. The decision is due in 7 days; with fewer than 7 days left "
            "before `limitation_ends_on`, aid is granted provisionally at once (Art. 44) and a lawyer is "
            "due in 3 days. The legal-aid staff are told. **201** with the application; **400** errors by "
            "field; **403** your role may not; **404** case or party out of reach."
        ),
        request=AidApplicationInputSerializer,
        responses={
            201: AidApplicationDetailSerializer,
            400: _INVALID,
            403: RefusalOutputSerializer,
            404: RefusalOutputSerializer,
        },
    )
    def post(self, request: Request, pk: int, party_pk: int) -> Response:
        dispute, party = _party(request, pk, party_pk)
        data = _validated(request, AidApplicationInputSerializer)
        application = services.application_file(
            dispute_id=dispute.pk,
            party_id=party.pk,
            actor=_user(request),
            data=data,
        )
        return Response(_detail(request, application.pk), status=status.HTTP_201_CREATED)


# --- the applications ----------------------------------------------------------------------------------


# django-filter ships no types (FilterSet is Any to mypy).
class ApplicationFilter(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.ChoiceFilter(
        choices=Application.Status.choices, help_text="Only the applications in this state."
    )

    class Meta:
        model = Application
        fields = ["status"]


class MayListApplications(BasePermission):
    """The list page's rule: the centre's clerks, the legal-aid staff and the lawyers on the roster."""

    message = gettext_lazy("You may not do this.")

    def has_permission(self, request: Request, view: APIView) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return services.may_screen(user) or hasattr(user, "aid_lawyer")


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        operation_id="legal_aid_applications_list",
        summary="The legal-aid applications within reach",
        description=(
            "Newest first. For the centre's clerks, the legal-aid staff and the roster's lawyers (each "
            "sees the applications of the cases they reach); **403** for anyone else."
        ),
    )
)
class ApplicationListApi(generics.ListAPIView[Application]):
    serializer_class = AidApplicationSerializer
    filterset_class = ApplicationFilter
    permission_classes = [IsAuthenticated, MayListApplications]

    def get_queryset(self) -> QuerySet[Application]:
        return applications_reachable(user=_user(self.request)).select_related("decided_by", "created_by")


def _application(request: Request, pk: int) -> Application:
    return get_scoped_or_404(applications_reachable(user=_user(request)), request.user, pk=pk)


def _detail(request: Request, pk: int) -> dict[str, Any]:
    application = (
        Application.objects.select_related("dispute", "party", "decided_by", "created_by")
        .prefetch_related(
            "assignments__lawyer__user", "assignments__lawyer__firm", "assignments__assigned_by"
        )
        .get(pk=pk)
    )
    data: dict[str, Any] = AidApplicationDetailSerializer(application, context={"request": request}).data
    return data


class ApplicationDetailApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="legal_aid_application_read",
        summary="An application for legal aid",
        description=(
            "With the screening behind it, the decision, the objection, every lawyer assigned and, for the "
            "legal-aid staff once aid is granted, the roster as proposed (`candidates`, with each lawyer's "
            "reasons and any conflict of interest). **404** out of reach."
        ),
        responses={200: AidApplicationDetailSerializer, 404: RefusalOutputSerializer},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(_detail(request, _application(request, pk).pk))


def _step(request: Request, pk: int, input_class: type[Serializer[Any]], service: Callable[..., Any]) -> int:
    """Run ``service`` on the application (404 out of reach) with the checked body; the application's id."""
    application = _application(request, pk)
    data = _validated(request, input_class)
    service(application_id=application.pk, actor=_user(request), data=data)
    return application.pk


_View = TypeVar("_View", bound=Callable[..., Response])


def _step_schema(
    operation_id: str, summary: str, description: str, request: Any, done: int = 200
) -> Callable[[_View], _View]:
    """The schema of a step on an application: its body, and the application as it is afterwards."""
    decorator: Callable[[_View], _View] = extend_schema(
        tags=[TAG],
        operation_id=operation_id,
        summary=summary,
        description=description,
        request=request,
        responses={
            done: AidApplicationDetailSerializer,
            400: _INVALID,
            403: RefusalOutputSerializer,
            404: RefusalOutputSerializer,
        },
    )
    return decorator


class DecisionApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @_step_schema(
        "legal_aid_decide",
        "Grant or refuse legal aid",
        "By the legal-aid staff, for an application awaiting the decision; a refusal needs its written "
        "reasons (Art. 43); granting starts the 3 days to assign a lawyer. **200** with the application; "
        "**400** errors by field, or not awaiting a decision; **403** not the legal-aid staff; **404** out "
        "of reach.",
        AidDecisionInputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return Response(
            _detail(request, _step(request, pk, AidDecisionInputSerializer, services.application_decide))
        )


class ObjectionApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @_step_schema(
        "legal_aid_object",
        "Record the applicant's objection to a refusal",
        "By the centre's clerk or the legal-aid staff, once, for a refused application (Art. 49): the "
        "review is due in 5 days. **200** with the application; **400** errors by field, or not a refusal "
        "open to objection; **403** your role may not; **404** out of reach.",
        AidObjectionInputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return Response(
            _detail(request, _step(request, pk, AidObjectionInputSerializer, services.objection_record))
        )


class ObjectionReviewApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @_step_schema(
        "legal_aid_objection_review",
        "Uphold or dismiss the objection",
        "By the legal-aid staff: upheld, aid is granted and a lawyer is due in 3 days; dismissed, the "
        "refusal stands. **200** with the application; **400** errors by field, or no objection awaiting "
        "review; **403** not the legal-aid staff; **404** out of reach.",
        AidObjectionReviewInputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return Response(
            _detail(request, _step(request, pk, AidObjectionReviewInputSerializer, services.objection_review))
        )


class AssignmentApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @_step_schema(
        "legal_aid_assign",
        "Assign a lawyer (or another lawyer in place of the one acting)",
        "By the legal-aid staff, once aid is granted: the lawyer then reaches the case, its documents and "
        "its hearings, and is told. **201** with the application and its assignments; **400** errors by "
        "field (`lawyer`: a conflict of interest, a full caseload, already assigned, not on the roster); "
        "**403** not the legal-aid staff; **404** out of reach.",
        AidAssignmentInputSerializer,
        done=201,
    )
    def post(self, request: Request, pk: int) -> Response:
        application_id = _step(request, pk, AidAssignmentInputSerializer, services.assignment_make)
        return Response(_detail(request, application_id), status=status.HTTP_201_CREATED)


class EndApi(APIView):
    parser_classes = [JSONParser]  # a JSON body: a missing field is missing, not an unticked box

    @_step_schema(
        "legal_aid_end",
        "End the legal aid",
        "By the legal-aid staff, on a ground of Art. 48 with its facts: the lawyer no longer reaches the "
        "case. **200** with the application; **400** errors by field, or no aid running; **403** not the "
        "legal-aid staff; **404** out of reach.",
        AidEndInputSerializer,
    )
    def post(self, request: Request, pk: int) -> Response:
        return Response(_detail(request, _step(request, pk, AidEndInputSerializer, services.aid_end)))


# --- the roster and the coverage -----------------------------------------------------------------------


@extend_schema_view(
    get=extend_schema(
        tags=[TAG],
        operation_id="legal_aid_lawyers",
        summary="The roster of legal-aid lawyers",
        description=(
            "Every lawyer, those on the roster first: firm, regions, expertise, capacity and the aid cases "
            "they have now. For the legal-aid staff; **403** for anyone else."
        ),
    )
)
class LawyerListApi(generics.ListAPIView[Lawyer]):
    serializer_class = AidLawyerSerializer
    permission_classes = [capability(Capability.MANAGE_LEGAL_AID)]

    def get_queryset(self) -> QuerySet[Lawyer]:
        return (
            Lawyer.objects.select_related("user", "firm")
            .prefetch_related("regions")
            .annotate(load=Count("assignments", filter=Q(assignments__ended_on__isnull=True)))
            .order_by("-is_active", "user__name", "pk")
        )


class CoverageApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="legal_aid_coverage",
        summary="The legal-aid coverage within reach",
        description=(
            "符合条件的行政案件提供法律援助: of the eligible applicants (granted, or awaiting the decision "
            "with the latest screening eligible) of the cases you reach, those assigned a lawyer; the gaps, "
            "longest waiting first; the parties screened eligible who never applied. For the centre's "
            "clerks and the legal-aid staff; **403** for anyone else."
        ),
        responses={200: AidCoverageSerializer, 403: RefusalOutputSerializer},
    )
    def get(self, request: Request) -> Response:
        user = _user(request)
        if not services.may_screen(user):
            raise exceptions.PermissionDenied(_("You may not do this."))
        return Response(AidCoverageSerializer(aid_coverage(scoped(Dispute.objects.all(), user))).data)
