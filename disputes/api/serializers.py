"""Input and output serializers of the disputes API, one pair per operation.

Input serializers check the shape and types of a request. The rules of the domain are not repeated
here: a registration is checked by the register page's own forms and by ``dispute_register``, a
lifecycle action by its form in ``disputes.actions.ACTIONS`` (the same one the HTML page uses) and
by ``dispute_transition``; their refusals reach the client through ``core.api.exceptions``. The
action forms are only *described* here (``action_fields``, ``actions_description``), for the schema.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django import forms
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import OrganisationRefSerializer, UserRefSerializer
from core.models import Organisation
from core.validators import normalise_resident_id, normalise_uscc

from ..actions import ACTIONS
from ..choices import CaseKind, Source, Stage, Status
from ..forms import REGISTER_FIELDS
from ..models import (
    Attachment,
    Dispute,
    DisputeEvent,
    Litigation,
    Note,
    Party,
    Reconsideration,
    Resolution,
    ResolutionSession,
)
from ..selectors import OPEN, SORTS
from ..services import available_actions

# --- small references --------------------------------------------------------------------------


class RegionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SeriesRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _display(field: str) -> serializers.CharField:
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


# --- the lifecycle: transitions as declared in disputes.transitions -------------------------


@cache
def _transitions() -> dict[str, Any]:
    """Every declared transition by name (django-fsm lists one per source state)."""
    field = Dispute._meta.get_field("status")
    return {t.name: t for t in field.get_all_transitions(Dispute)}


# Entries of the timeline that are not lifecycle transitions.
EVENT_LABELS = {
    "register": gettext_lazy("Registered"),
    "note": gettext_lazy("Note added"),
    "attach": gettext_lazy("File attached"),
    "join_series": gettext_lazy("Joined a series"),
}


def action_label(action: str) -> str:
    transition = _transitions().get(action)
    if transition is not None:
        return str(transition.custom.get("label", action))
    return str(EVENT_LABELS.get(action, action))


# --- list ------------------------------------------------------------------------------------


class DisputeListFilterSerializer(serializers.Serializer):
    """Query parameters of the case list: what a clerk narrows the register by (the same filters as
    the list page, ``disputes.selectors.dispute_list``)."""

    stage = serializers.ChoiceField(
        choices=[(OPEN, "open (not closed)"), *Stage.choices], required=False, help_text="A stage, or `open`."
    )
    status = serializers.MultipleChoiceField(
        choices=Status.choices, required=False, help_text="Repeat the parameter to allow several statuses."
    )
    source = serializers.ChoiceField(choices=Source.choices, required=False)
    kind = serializers.ChoiceField(choices=CaseKind.choices, required=False)
    respondent = serializers.IntegerField(required=False, help_text="Id of the respondent agency.")
    region = serializers.IntegerField(
        required=False, help_text="Id of a region: the region and everything below."
    )
    mediator = serializers.IntegerField(required=False, help_text="Id of a user assigned as mediator.")
    received_from = serializers.DateField(required=False, help_text="Received on or after (inclusive).")
    received_to = serializers.DateField(required=False, help_text="Received on or before (inclusive).")
    overdue = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: only cases whose statutory clock has run out; false: only those within time.",
    )
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Names, ID numbers, case numbers, words of the act or claims.",
    )
    sort = serializers.ChoiceField(
        choices=list(SORTS), required=False, help_text="Newest received first by default."
    )

    def validate(self, attrs):
        start, end = attrs.get("received_from"), attrs.get("received_to")
        if start and end and start > end:
            raise serializers.ValidationError({"received_to": _("The end of the period precedes its start.")})
        return attrs


class DisputeListOutputSerializer(serializers.ModelSerializer):
    kind_display = _display("kind")
    source_display = _display("source")
    status_display = _display("status")
    stage = serializers.CharField(read_only=True)
    stage_display = _display("stage")
    matter_display = _display("matter")
    respondent = OrganisationRefSerializer(read_only=True)
    centre = OrganisationRefSerializer(read_only=True)
    applicants = serializers.SerializerMethodField()
    is_overdue = serializers.BooleanField(
        read_only=True, help_text="The current statutory clock has run out."
    )

    class Meta:
        model = Dispute
        fields = [
            "id",
            "number",
            "kind",
            "kind_display",
            "source",
            "source_display",
            "status",
            "status_display",
            "stage",
            "stage_display",
            "status_changed_at",
            "received_on",
            "centre",
            "respondent",
            "applicants",
            "act_summary",
            "matter",
            "matter_display",
            "is_overdue",
            "created_at",
        ]
        read_only_fields = fields

    def get_applicants(self, dispute: Dispute) -> str:
        # ``dispute_list`` prefetches the applicant parties into ``applicants``.
        return "、".join(party.name for party in dispute.applicants)


class DisputeListPageOutputSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = DisputeListOutputSerializer(many=True)


# --- detail ----------------------------------------------------------------------------------


class PartyOutputSerializer(serializers.ModelSerializer):
    role_display = _display("role")
    kind_display = _display("kind")

    class Meta:
        model = Party
        fields = [
            "id",
            "role",
            "role_display",
            "kind",
            "kind_display",
            "name",
            "id_number",
            "credit_code",
            "legal_representative",
            "phone",
            "address",
            "represents",
            "law_firm",
        ]
        read_only_fields = fields


class ResolutionSessionOutputSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = ResolutionSession
        fields = ["id", "held_on", "place", "participants", "summary", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ResolutionOutputSerializer(serializers.ModelSerializer):
    confirmation_court = OrganisationRefSerializer(read_only=True, allow_null=True)
    transfer_to = OrganisationRefSerializer(read_only=True, allow_null=True)
    transfer_target_display = _display("transfer_target")
    sessions = ResolutionSessionOutputSerializer(many=True, read_only=True)

    class Meta:
        model = Resolution
        fields = [
            "id",
            "opened_at",
            "due_on",
            "agreement_terms",
            "agreement_signed_on",
            "agreement_perform_by",
            "confirmation_court",
            "confirmation_requested_on",
            "confirmed_on",
            "confirmation_number",
            "failure_reason",
            "transfer_target",
            "transfer_target_display",
            "transfer_to",
            "transferred_on",
            "feedback_on",
            "feedback_note",
            "sessions",
        ]
        read_only_fields = fields


class ReconsiderationOutputSerializer(serializers.ModelSerializer):
    decision_type_display = _display("decision_type")

    class Meta:
        model = Reconsideration
        fields = [
            "id",
            "accepted_on",
            "simplified",
            "reply_due",
            "reply_received_on",
            "hearing_at",
            "hearing_place",
            "suspended_on",
            "suspension_reason",
            "suspended_days",
            "extension_days",
            "extension_reason",
            "extension_approved_by",
            "decision_type",
            "decision_type_display",
            "decided_on",
            "decision_number",
        ]
        read_only_fields = fields


class LitigationOutputSerializer(serializers.ModelSerializer):
    court = OrganisationRefSerializer(read_only=True)
    trial_level_display = _display("trial_level")
    outcome_display = _display("outcome")

    class Meta:
        model = Litigation
        fields = [
            "id",
            "court",
            "court_case_number",
            "trial_level",
            "trial_level_display",
            "filed_on",
            "notice_received_on",
            "answer_due",
            "answered_on",
            "session_at",
            "outcome",
            "outcome_display",
            "decided_on",
            "agency_lost",
            "appealed_on",
            "effective_on",
        ]
        read_only_fields = fields


class NoteOutputSerializer(serializers.ModelSerializer):
    author = UserRefSerializer(read_only=True)

    class Meta:
        model = Note
        fields = ["id", "text", "author", "created_at"]
        read_only_fields = fields


class AttachmentOutputSerializer(serializers.ModelSerializer):
    uploaded_by = UserRefSerializer(read_only=True)
    url = serializers.SerializerMethodField(
        help_text="Where the file is downloaded (signed-in users within reach)."
    )

    class Meta:
        model = Attachment
        fields = [
            "id",
            "original_name",
            "size",
            "content_type",
            "description",
            "uploaded_by",
            "uploaded_at",
            "url",
        ]
        read_only_fields = fields

    def get_url(self, attachment: Attachment) -> str:
        return reverse("disputes:attachment-download", args=[attachment.dispute_id, attachment.pk])


class AllowedActionOutputSerializer(serializers.Serializer):
    action = serializers.CharField(help_text=("POST to transitions/<action>/ to take it."))
    label = serializers.CharField()
    tone = serializers.ChoiceField(choices=["normal", "primary", "danger"])


class DisputeDetailOutputSerializer(serializers.ModelSerializer):
    """A case as a clerk sees it on its page; ``allowed_actions`` depend on who asks."""

    kind_display = _display("kind")
    source_display = _display("source")
    consent_display = _display("consent")
    act_kind_display = _display("act_kind")
    matter_display = _display("matter")
    status_display = _display("status")
    stage = serializers.CharField(read_only=True)
    stage_display = _display("stage")
    closing_reason_display = _display("closing_reason")
    centre = OrganisationRefSerializer(read_only=True)
    region = RegionRefSerializer(read_only=True)
    court = OrganisationRefSerializer(read_only=True, allow_null=True)
    respondent = OrganisationRefSerializer(read_only=True)
    registered_by = UserRefSerializer(read_only=True)
    series = SeriesRefSerializer(read_only=True, allow_null=True)
    parties = PartyOutputSerializer(many=True, read_only=True)
    mediators = serializers.SerializerMethodField()
    resolution = serializers.SerializerMethodField(help_text="The current resolution attempt at the centre.")
    reconsideration = serializers.SerializerMethodField(help_text="The current reconsideration.")
    litigation = serializers.SerializerMethodField(help_text="The current litigation (latest instance).")
    attachments = serializers.SerializerMethodField()
    notes = serializers.SerializerMethodField()
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Dispute
        fields = [
            "id",
            "number",
            "kind",
            "kind_display",
            "year",
            "sequence",
            "centre",
            "region",
            "source",
            "source_display",
            "received_on",
            "consent",
            "consent_display",
            "consent_note",
            "court",
            "court_case_number",
            "respondent",
            "act_kind",
            "act_kind_display",
            "act_date",
            "act_document_number",
            "act_summary",
            "matter",
            "matter_display",
            "amount",
            "claims",
            "facts",
            "status",
            "status_display",
            "stage",
            "stage_display",
            "status_changed_at",
            "series",
            "parties",
            "mediators",
            "resolution",
            "reconsideration",
            "litigation",
            "attachments",
            "notes",
            "duty_to_perform",
            "perform_by",
            "performed_on",
            "performance_note",
            "agency_lost",
            "loss_report_on",
            "loss_report_summary",
            "closing_reason",
            "closing_reason_display",
            "closing_note",
            "closed_at",
            "registered_by",
            "created_at",
            "updated_at",
            "allowed_actions",
        ]
        read_only_fields = fields

    # The current row of each stage is the latest one; ``dispute_get`` prefetches them all, so it is
    # picked here rather than queried again (``Dispute.current_*`` would).
    @extend_schema_field(UserRefSerializer(many=True))
    def get_mediators(self, dispute: Dispute) -> list[dict[str, Any]]:
        return UserRefSerializer([a.mediator for a in dispute.assignments.all()], many=True).data

    @extend_schema_field(ResolutionOutputSerializer(allow_null=True))
    def get_resolution(self, dispute: Dispute) -> dict[str, Any] | None:
        row = max(dispute.resolutions.all(), key=lambda r: (r.opened_at, r.pk), default=None)
        return ResolutionOutputSerializer(row).data if row else None

    @extend_schema_field(ReconsiderationOutputSerializer(allow_null=True))
    def get_reconsideration(self, dispute: Dispute) -> dict[str, Any] | None:
        row = max(dispute.reconsiderations.all(), key=lambda r: (r.accepted_on, r.pk), default=None)
        return ReconsiderationOutputSerializer(row).data if row else None

    @extend_schema_field(LitigationOutputSerializer(allow_null=True))
    def get_litigation(self, dispute: Dispute) -> dict[str, Any] | None:
        row = max(dispute.litigations.all(), key=lambda r: (r.filed_on, r.pk), default=None)
        return LitigationOutputSerializer(row).data if row else None

    @extend_schema_field(AttachmentOutputSerializer(many=True))
    def get_attachments(self, dispute: Dispute) -> list[dict[str, Any]]:
        return AttachmentOutputSerializer(dispute.attachments.all(), many=True).data

    @extend_schema_field(NoteOutputSerializer(many=True))
    def get_notes(self, dispute: Dispute) -> list[dict[str, Any]]:
        return NoteOutputSerializer(dispute.notes.all(), many=True).data

    @extend_schema_field(AllowedActionOutputSerializer(many=True))
    def get_allowed_actions(self, dispute: Dispute) -> list[dict[str, str]]:
        transitions = _transitions()
        return [
            {
                "action": name,
                "label": str(transitions[name].custom.get("label", name)),
                "tone": transitions[name].custom.get("tone", "normal"),
            }
            for name in available_actions(dispute, self.context["request"].user)
        ]


# --- register --------------------------------------------------------------------------------


class PartyInputSerializer(serializers.ModelSerializer):
    """One party of a new case. ID numbers and credit codes are normalised (full-width digits from
    Chinese input methods, spaces, a lower-case x) before they are checked."""

    represents_index = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=0,
        help_text=("For a representative or lawyer: position (from 0) of the party they act for."),
    )

    NORMALISERS = {
        "id_number": normalise_resident_id,
        "credit_code": normalise_uscc,
        "phone": lambda value: "".join(value.split()),
    }

    class Meta:
        model = Party
        fields = [
            "role",
            "kind",
            "name",
            "id_number",
            "credit_code",
            "legal_representative",
            "phone",
            "address",
            "law_firm",
            "represents_index",
        ]

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            data = dict(data.items())
            for name, normalise in self.NORMALISERS.items():
                if isinstance(data.get(name), str):
                    data[name] = normalise(data[name])
        return super().to_internal_value(data)


class DisputeRegisterInputSerializer(serializers.ModelSerializer):
    """A new case as the intake form has it. The centre is not chosen here: it is the user's own
    centre or justice bureau, or else the centre of the user's region (as on the register page).
    ``status`` is not an input: a case starts as registered and moves by transitions only."""

    parties = PartyInputSerializer(many=True, allow_empty=False)
    confirm_duplicate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Register even though cases of the same applicant against the same agency about an act of "
        "the same date exist (without it such a request is answered 409, listing them).",
    )

    class Meta:
        model = Dispute
        fields = [*REGISTER_FIELDS, "parties", "confirm_duplicate"]  # the register page's fields
        extra_kwargs = {
            "court": {"queryset": Organisation.objects.filter(kind=Organisation.Kind.COURT, is_active=True)},
            "respondent": {
                "queryset": Organisation.objects.filter(kind=Organisation.Kind.AGENCY, is_active=True)
            },
        }

    def validate(self, attrs):
        for position, party in enumerate(attrs["parties"]):
            index = party.get("represents_index")
            if index is not None and index >= position:
                raise serializers.ValidationError(
                    {f"parties.{position}.represents_index": _("Refer to a party listed before this one.")}
                )
        return attrs


class DuplicateRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    status_display = serializers.CharField()
    applicants = serializers.CharField()


class DuplicatesOutputSerializer(serializers.Serializer):
    detail = serializers.CharField()
    duplicates = DuplicateRefSerializer(many=True)


# --- transitions -----------------------------------------------------------------------------


class TransitionInputSerializer(serializers.Serializer):
    """The part of a transition request common to every action; the action's own fields are listed
    in the operation's description and checked by the action's form."""

    expected_status = serializers.ChoiceField(
        choices=Status.choices,
        help_text=(
            "The status the case had when the action was chosen. If the case has moved on since, the "
            "request is refused (409) — unless the last thing that happened is this very action from "
            "that status, in which case the request succeeds without doing anything (a safe retry)."
        ),
    )
    reason = serializers.CharField(required=False, allow_blank=True, help_text=("Reason / remarks"))


def _field_type(field: forms.Field) -> str:
    """How a form field is filled in JSON, for the description of an action."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        return f"list of ids ({field.queryset.model.__name__})"
    if isinstance(field, forms.ModelChoiceField):
        return f"id ({field.queryset.model.__name__})"
    if isinstance(field, forms.ChoiceField):
        return "one of: " + ", ".join(f"`{value}` {label}" for value, label in field.choices)
    if isinstance(field, forms.BooleanField):
        return "boolean"
    if isinstance(field, forms.IntegerField):
        return "integer" + (f" {field.min_value}–{field.max_value}" if field.min_value is not None else "")
    if isinstance(field, forms.DateTimeField):
        return "date-time (YYYY-MM-DDTHH:MM)"
    if isinstance(field, forms.DateField):
        return "date (YYYY-MM-DD)"
    if isinstance(field, forms.CharField) and field.max_length:
        return f"string (max. {field.max_length})"
    return "string"


def action_fields(action: str) -> list[dict[str, Any]]:
    """The input fields of ``action`` as its form declares them (name, label, type, required)."""
    form_class = ACTIONS[action].form
    # The action's own fields first, then the reason every action takes.
    names = [name for name in form_class.base_fields if name != "reason"] + ["reason"]
    return [
        {
            "name": name,
            "label": str(form_class.base_fields[name].label or name),
            "type": _field_type(form_class.base_fields[name]),
            "required": form_class.base_fields[name].required
            or (name == "reason" and form_class.reason_required),
        }
        for name in names
    ]


def _actions_description() -> str:
    transitions = _transitions()
    lines = [
        "Takes one lifecycle action on the case. The body holds `expected_status` (the status the client "
        "saw), `reason` and the action's own fields, listed below per action (JSON or form data; repeat a "
        "form field, or send a JSON list, for several ids).",
        "",
        "Answers: **200** with the updated case (also when the same request is repeated after it "
        "succeeded: nothing is done twice); **400** with the errors by field; **403** when your role may "
        "not take the action; **404** when the case is out of your reach or the action unknown; "
        "**409** `{detail}` when the case's status does not allow the action now or has changed since "
        "`expected_status`.",
        "",
    ]
    for action in ACTIONS:
        label = transitions[action].custom.get("label", action) if action in transitions else action
        lines += [f"#### `{action}` — {label}", "", "| field | type | required |", "|---|---|---|"]
        lines += [
            f"| `{f['name']}` {f['label']} | {f['type']} | {'yes' if f['required'] else 'no'} |"
            for f in action_fields(action)
        ]
        lines.append("")
    return "\n".join(lines)


# Built when the schema is rendered, in the language of the request.
actions_description = lazy(_actions_description, str)()


# --- timeline, notes, attachments, history ---------------------------------------------------


class EventOutputSerializer(serializers.ModelSerializer):
    action_label = serializers.SerializerMethodField()
    from_status_display = serializers.CharField(source="get_from_status_display", read_only=True)
    to_status_display = serializers.CharField(source="get_to_status_display", read_only=True)
    actor = UserRefSerializer(read_only=True)

    class Meta:
        model = DisputeEvent
        fields = [
            "id",
            "action",
            "action_label",
            "from_status",
            "from_status_display",
            "to_status",
            "to_status_display",
            "actor",
            "at",
            "reason",
            "data",
            "document",
        ]
        read_only_fields = fields

    def get_action_label(self, event: DisputeEvent) -> str:
        return action_label(event.action)


class NoteInputSerializer(serializers.Serializer):
    text = serializers.CharField()


class AttachmentInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=("At most 20 MB; PDF, OFD, images, Word, Excel or text."))
    description = serializers.CharField(required=False, allow_blank=True, max_length=255)


class FieldChangeOutputSerializer(serializers.Serializer):
    field = serializers.CharField()
    label = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)
    old_display = serializers.CharField(allow_null=True)
    new_display = serializers.CharField(allow_null=True)


class HistoryEntryOutputSerializer(serializers.Serializer):
    record = serializers.ChoiceField(choices=["dispute", "party"], help_text=("What changed."))
    record_id = serializers.IntegerField()
    record_label = serializers.CharField()
    at = serializers.DateTimeField()
    type = serializers.ChoiceField(choices=["+", "~", "-"])
    type_display = serializers.CharField()
    user = UserRefSerializer(allow_null=True)
    reason = serializers.CharField(allow_null=True)
    changes = FieldChangeOutputSerializer(many=True)
