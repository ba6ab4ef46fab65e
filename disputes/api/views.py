"""The disputes API: one class per operation, each calling one service or read.

Every case is fetched through ``core.access`` (a case out of the user's reach is 404, never 403).
Nothing here writes a case: registrations, transitions, notes and uploads go through
``disputes.services``, whose refusals the project's exception handler turns into 400 (field
errors), 403 (the role may not) and 409 (the case's state does not allow it). The status is never
an input: there is no PUT or PATCH of a case.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from django.core.exceptions import NON_FIELD_ERRORS
from django.http import Http404, QueryDict
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.generics import GenericAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.access import get_scoped_or_404
from core.api.permissions import capability
from core.api.schema import ValidationErrorSerializer
from core.api.serializers import RefusalOutputSerializer
from core.models import User
from core.roles import Capability
from deadlines.api.serializers import DeadlineSerializer
from deadlines.selectors import deadlines_for_subject

from .. import seam
from ..choices import PartyRole
from ..filters import DisputeFilterSet
from ..forms import DisputeRegisterForm, PartyForm, centre_for
from ..models import Dispute, Party
from ..selectors import (
    declared_transitions,
    dispute_get,
    dispute_history,
    dispute_list,
    dispute_possible_duplicates,
)
from ..services import (
    PartyInput,
    attachment_add,
    dispute_register,
    dispute_transition,
    note_add,
    party_numbers_reveal,
)
from .serializers import (
    TRANSITION_DESCRIPTION,
    AttachmentInputSerializer,
    AttachmentOutputSerializer,
    DisputeDetailOutputSerializer,
    DisputeListOutputSerializer,
    DisputeRegisterInputSerializer,
    DuplicatesOutputSerializer,
    EventOutputSerializer,
    HistoryEntryOutputSerializer,
    NoteInputSerializer,
    NoteOutputSerializer,
    PartyNumbersOutputSerializer,
    transition_input_serializer,
)

TAG = "disputes"

ERRORS = {
    400: OpenApiResponse(
        ValidationErrorSerializer,
        description="Invalid input: `{field: [messages]}`, parties' fields as `parties.<position>.<field>`.",
    ),
    403: OpenApiResponse(RefusalOutputSerializer, description="Your role may not do this."),
    404: OpenApiResponse(RefusalOutputSerializer, description="No such case within your reach."),
}
CONFLICT = {
    409: OpenApiResponse(
        RefusalOutputSerializer,
        description="The case's status does not allow this now (a message for the user).",
    )
}


# --- reads ---------------------------------------------------------------------------------------


def _detail(request, dispute_id: int) -> dict[str, Any]:
    dispute = dispute_get(user=request.user, pk=dispute_id)
    return DisputeDetailOutputSerializer(dispute, context={"request": request}).data


# --- helpers -------------------------------------------------------------------------------------


def _flatten(errors: Any, prefix: str = "") -> dict[str, Any]:
    """Nested errors as ``{"parties.0.id_number": [...]}``, the form the services use, so that a
    client reads every field error the same way. Django's ``__all__`` becomes ``non_field_errors``."""
    if isinstance(errors, dict):
        out: dict[str, Any] = {}
        for key, value in errors.items():
            key = "non_field_errors" if key == NON_FIELD_ERRORS else str(key)
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else key))
        return out
    if isinstance(errors, list) and any(isinstance(e, dict | list) for e in errors):
        out = {}
        for position, value in enumerate(errors):
            out.update(_flatten(value, f"{prefix}.{position}"))
        return out
    return {prefix or "non_field_errors": errors}


def _valid(serializer) -> dict[str, Any]:
    if not serializer.is_valid():
        raise exceptions.ValidationError(_flatten(serializer.errors))
    return serializer.validated_data


def _register_input(user: User, data: dict[str, Any]) -> tuple[dict[str, Any], list[PartyInput]]:
    """The intake rules of the register page (``DisputeRegisterForm``, ``PartyForm``) applied to the
    serializer's typed data, so that a case is refused for the same reasons, in the same words,
    whichever way it is registered. Returns what ``dispute_register`` takes."""
    form = DisputeRegisterForm(data=data, user=user)
    party_forms = [PartyForm(data=party) for party in data["parties"]]
    errors: dict[str, list[Any]] = {}
    if not form.is_valid():
        errors.update({name: list(messages) for name, messages in form.errors.items()})
    for position, party_form in enumerate(party_forms):
        if not party_form.is_valid():
            for name, messages in party_form.errors.items():
                name = "non_field_errors" if name == NON_FIELD_ERRORS else name
                errors[f"parties.{position}.{name}"] = list(messages)
    if not any(party.get("role") == PartyRole.APPLICANT for party in data["parties"]):
        errors["parties"] = [_("Name at least one applicant.")]
    if errors:
        raise exceptions.ValidationError(_flatten(errors))
    parties = [
        replace(party_form.party_input(), represents_index=party.get("represents_index"))
        for party_form, party in zip(party_forms, data["parties"], strict=True)
    ]
    return form.service_data(), parties


def _transition_data(data) -> QueryDict | dict[str, Any]:
    """The request's fields for the action's form, without ``expected_status``. Form data keeps all
    values of a repeated field (several mediators); JSON is passed as it came."""
    if isinstance(data, QueryDict):
        out = QueryDict(mutable=True)
        for key in data:
            if key != "expected_status":
                out.setlist(key, data.getlist(key))
        return out
    return {key: value for key, value in data.items() if key != "expected_status"}


# --- the collection ------------------------------------------------------------------------------


class DisputeCollectionApi(GenericAPIView):
    """``GET``: the cases the user may see. ``POST``: register a case."""

    # The list page's and the export's filters (``disputes.filters``), checked by the project's
    # filter backend: a bad or empty value is 400 by parameter.
    filterset_class = DisputeFilterSet
    serializer_class = DisputeListOutputSerializer

    def get_permissions(self):
        needed = Capability.REGISTER_DISPUTE if self.request.method == "POST" else Capability.VIEW_CASES
        return [capability(needed)()]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is drawn without a user
            return Dispute.objects.none()
        return dispute_list(user=cast(User, self.request.user))  # IsAuthenticated has run

    @extend_schema(
        tags=[TAG],
        operation_id="disputes_list",
        summary="List cases",
        responses={200: DisputeListOutputSerializer(many=True), **ERRORS},
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(DisputeListOutputSerializer(page, many=True).data)

    @extend_schema(
        tags=[TAG],
        operation_id="disputes_register",
        summary="Register a case",
        description=(
            "Registers a case and gives it its number, with the checks of the register page. The centre "
            "is the user's own centre or justice bureau, else the centre of the user's region. Field "
            "errors name the field, for parties as `parties.<position>.<field>`; on any error nothing is "
            "written. Possible duplicates within your reach are answered 409 with the list, unless "
            "`confirm_duplicate` is true."
        ),
        request=DisputeRegisterInputSerializer,
        responses={
            201: DisputeDetailOutputSerializer,
            **ERRORS,
            409: OpenApiResponse(DuplicatesOutputSerializer, description="Possible duplicates."),
        },
    )
    def post(self, request):
        user = request.user
        typed = _valid(DisputeRegisterInputSerializer(data=request.data))
        centre = centre_for(user)
        if centre is None:
            raise exceptions.ValidationError(
                {
                    "centre": [
                        _("There is no resolution centre or justice bureau in your region to register at.")
                    ]
                }
            )
        data, parties = _register_input(user, typed)
        if not typed["confirm_duplicate"]:
            duplicates = dispute_possible_duplicates(
                user=user, respondent=data["respondent"], act_date=data["act_date"], parties=parties
            )
            if duplicates:
                body = {
                    "detail": _(
                        "Cases of the same applicant against the same agency about an act of the same date "
                        "exist already. Check them; to register anyway, send confirm_duplicate=true."
                    ),
                    "duplicates": [
                        {
                            "id": d.pk,
                            "number": d.number,
                            "status_display": d.get_status_display(),
                            "applicants": d.applicant_names,
                        }
                        for d in duplicates
                    ],
                }
                return Response(DuplicatesOutputSerializer(body).data, status=status.HTTP_409_CONFLICT)
        dispute = dispute_register(actor=user, centre=centre, data=data, parties=parties)
        return Response(_detail(request, dispute.pk), status=status.HTTP_201_CREATED)


# --- one case ------------------------------------------------------------------------------------
# Reach, not capability, decides access to a single case: out of reach is 404 for every role, so a
# 403 never confirms that a case exists.


class DisputeDetailApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="disputes_detail",
        summary="A case",
        description="The case with its parties, current stage records and the actions open to you now.",
        responses={200: DisputeDetailOutputSerializer, 404: ERRORS[404]},
    )
    def get(self, request, pk: int):
        return Response(_detail(request, pk))


class DisputeTransitionApi(APIView):
    """``POST …/transitions/<action>/``: one route, and one documented operation, per action (see
    ``transition_view``), so that a client reads in the schema what each action takes."""

    action_name = ""

    def post(self, request, pk: int, action: str):
        dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
        # The body's shape and types first (the action's schema), then the action's own form, in
        # ``dispute_transition``, checks what the case allows.
        expected = _valid(transition_input_serializer(action)(data=request.data))["expected_status"]
        dispute_transition(
            dispute_id=dispute.pk,
            action=action,
            actor=request.user,
            data=_transition_data(request.data),
            expected_status=expected,
            # A client that may retry sends one Idempotency-Key per intended action.
            request_key=request.headers.get("Idempotency-Key", ""),
        )
        return Response(_detail(request, dispute.pk))


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="One key per intended action: a request repeated with the same key is carried out once.",
)


def transition_view(action: str):
    """The view of ``POST …/transitions/<action>/``, documented with that action's input."""
    transition = declared_transitions().get(action)
    label = transition.custom.get("label", action) if transition else action
    schema = extend_schema(
        tags=[TAG],
        operation_id=f"disputes_transition_{action}",
        summary=label,
        description=TRANSITION_DESCRIPTION
        + (
            "\n\nThis step is taken through another app's endpoint (the `api_url` of the case's "
            "`app_actions`, see docs/seam.md); here it answers 409."
            if seam.performing_action(action) is not None
            else ""
        ),
        parameters=[IDEMPOTENCY_KEY],
        request=transition_input_serializer(action),
        responses={200: DisputeDetailOutputSerializer, **ERRORS, **CONFLICT},
    )

    def post(self, request, pk: int, action: str):
        return DisputeTransitionApi.post(self, request, pk, action)

    view: type[DisputeTransitionApi] = type(
        f"DisputeTransition{''.join(p.capitalize() for p in action.split('_'))}Api",
        (DisputeTransitionApi,),
        {"action_name": action, "post": schema(post), "__module__": __name__},
    )
    return view.as_view()


class DisputeEventsApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="disputes_events",
        summary="The case's timeline",
        responses={200: EventOutputSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request, pk: int):
        dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
        events = dispute.events.select_related("actor").order_by("at", "pk")
        return Response(EventOutputSerializer(events, many=True).data)


class DisputeDeadlinesApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="disputes_deadlines",
        summary="The case's deadlines",
        description=(
            "Every deadline of the case, soonest first: running (open, paused), met, missed and cancelled, "
            "each with its rule, basis and how its last day was counted (docs/deadlines.md)."
        ),
        responses={200: DeadlineSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request, pk: int):
        dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
        # The case's own scoping let the user in: every clock of the case is shown, as on its page.
        deadlines = deadlines_for_subject(user=request.user, subject=dispute, subject_reached=True)
        return Response(DeadlineSerializer(deadlines, many=True).data)


class DisputeNoteAddApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="disputes_note_add",
        summary="Add a note",
        request=NoteInputSerializer,
        responses={201: NoteOutputSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
        data = _valid(NoteInputSerializer(data=request.data))
        note = note_add(dispute_id=dispute.pk, actor=request.user, text=data["text"])
        return Response(NoteOutputSerializer(note).data, status=status.HTTP_201_CREATED)


class DisputeAttachmentAddApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=[TAG],
        operation_id="disputes_attachment_add",
        summary="Attach a file",
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={201: AttachmentOutputSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
        data = _valid(AttachmentInputSerializer(data=request.data))
        attachment = attachment_add(
            dispute_id=dispute.pk,
            actor=request.user,
            upload=data["file"],
            description=data.get("description", ""),
        )
        return Response(AttachmentOutputSerializer(attachment).data, status=status.HTTP_201_CREATED)


class DisputeHistoryApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="disputes_history",
        summary="Changes to the case's record",
        description="Every saved change of the case and its parties: who, when, which fields, why.",
        responses={200: HistoryEntryOutputSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request, pk: int):
        dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
        history = dispute_history(user=request.user, dispute=dispute)
        return Response(HistoryEntryOutputSerializer(history, many=True).data)


class PartyRevealApi(APIView):
    @extend_schema(
        tags=[TAG],
        operation_id="disputes_party_reveal",
        summary="A party's ID and phone numbers in full",
        description=(
            "Elsewhere the numbers are masked (420322********1231). Answered only to a role whose work "
            "needs them (centre and court clerks, mediators, legal-aid staff, the assigned lawyer); each answer, and each "
            "refusal, is written to the audit log."
        ),
        request=None,
        responses={200: PartyNumbersOutputSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    )
    def post(self, request, pk: int, party_pk: int):
        dispute = get_scoped_or_404(Dispute.objects.all(), request.user, pk=pk)
        try:
            party = party_numbers_reveal(user=request.user, dispute=dispute, party_id=party_pk)
        except Party.DoesNotExist as exc:
            raise Http404 from exc
        return Response(PartyNumbersOutputSerializer(party).data)
