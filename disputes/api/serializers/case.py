"""The case as the API lists and shows it (the list's filters are ``disputes.filters``).

Input serializers check the shape and types of a request only. The rules of the domain are not
repeated in this package: a registration is checked by the register page's own forms and by
``dispute_register``, a lifecycle action by its form in ``disputes.actions.ACTIONS`` (the same one the
HTML page uses) and by ``dispute_transition``; their refusals reach the client through
``core.api.exceptions``. ``operations.py`` only *describes* the action forms, for the schema.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import OrganisationRefSerializer, UserRefSerializer

from ...models import (
    Attachment,
    Dispute,
    Litigation,
    Note,
    Party,
    Reconsideration,
    Resolution,
    ResolutionSession,
)
from ...selectors import action_label, available_actions, case_actions, declared_transitions

# --- small references --------------------------------------------------------------------------


class RegionRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class SeriesRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _display(field: str) -> serializers.CharField:
    return serializers.CharField(source=f"get_{field}_display", read_only=True)


class ChoiceOrNullField(serializers.ChoiceField):
    """A choice that may not be made yet (a case not closed has no closing reason): ``null`` then,
    never ``""``, which is no value of the choice's enum."""

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)


class OutputModelSerializer(serializers.ModelSerializer):
    """Output of a model: a choice field the model allows to be blank is an enum or ``null``, so
    the schema and the response agree."""

    def build_standard_field(self, field_name, model_field):
        field_class, kwargs = super().build_standard_field(field_name, model_field)
        if (
            getattr(model_field, "choices", None)
            and model_field.blank
            and issubclass(field_class, serializers.ChoiceField)
        ):
            field_class = ChoiceOrNullField
            kwargs["allow_null"] = True
            kwargs.pop("allow_blank", None)
        return field_class, kwargs


# --- the lifecycle: transitions as declared in disputes.transitions -------------------------


# --- list ------------------------------------------------------------------------------------


class DisputeListOutputSerializer(OutputModelSerializer):
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
        return "、".join(party.name for party in dispute.applicants)  # type: ignore[attr-defined]  # dispute_list's Prefetch(to_attr="applicants")


# --- detail ----------------------------------------------------------------------------------


class PartyOutputSerializer(OutputModelSerializer):
    role_display = _display("role")
    kind_display = _display("kind")
    id_number = serializers.CharField(
        source="masked_id_number",
        read_only=True,
        help_text="Masked (420322********1231); the whole number: the party's reveal operation, audited.",
    )
    phone = serializers.CharField(
        source="masked_phone", read_only=True, help_text="Masked (139****2345); see id_number."
    )

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


class PartyNumbersOutputSerializer(serializers.Serializer):
    """A party's numbers in full: answered only to a role whose work needs them, and audited."""

    id = serializers.IntegerField()
    id_number = serializers.CharField()
    phone = serializers.CharField()


class ResolutionSessionOutputSerializer(OutputModelSerializer):
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = ResolutionSession
        fields = ["id", "held_on", "place", "participants", "summary", "intent", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ResolutionOutputSerializer(OutputModelSerializer):
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


class ReconsiderationOutputSerializer(OutputModelSerializer):
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


class LitigationOutputSerializer(OutputModelSerializer):
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


class NoteOutputSerializer(OutputModelSerializer):
    author = UserRefSerializer(read_only=True)

    class Meta:
        model = Note
        fields = ["id", "text", "author", "created_at"]
        read_only_fields = fields


class AttachmentOutputSerializer(OutputModelSerializer):
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
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field named like a Field attribute: DRF's metaclass moves it to _declared_fields
    tone = serializers.ChoiceField(choices=["normal", "primary", "danger"])


class AppActionOutputSerializer(serializers.Serializer):
    action = serializers.CharField(
        help_text="The app's action, as `<app>.<code>` (e.g. `hearings.schedule`)."
    )
    label = serializers.CharField()  # type: ignore[assignment]  # as in AllowedActionOutputSerializer
    tone = serializers.ChoiceField(choices=["normal", "primary", "danger"])
    url = serializers.CharField(help_text="The app's page for it.")
    api_url = serializers.CharField(help_text="The app's endpoint for it (empty if it has none).")


class DisputeDetailOutputSerializer(OutputModelSerializer):
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
    app_actions = serializers.SerializerMethodField(
        help_text="Actions other apps provide on the case (disputes' seam), open to you now: links, not transitions."
    )

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
            "app_actions",
        ]
        read_only_fields = fields

    # The current row of each stage (``Dispute.current_row``): ``dispute_get`` prefetches them all, so
    # it is picked from those without another query.
    @extend_schema_field(UserRefSerializer(many=True))
    def get_mediators(self, dispute: Dispute) -> list[dict[str, Any]]:
        return UserRefSerializer([a.mediator for a in dispute.assignments.all()], many=True).data  # type: ignore[return-value]  # many=True builds a ListSerializer, whose .data is a list; the stub types the class's

    @extend_schema_field(ResolutionOutputSerializer(allow_null=True))
    def get_resolution(self, dispute: Dispute) -> dict[str, Any] | None:
        row = dispute.current_row("resolutions")
        return ResolutionOutputSerializer(row).data if row else None

    @extend_schema_field(ReconsiderationOutputSerializer(allow_null=True))
    def get_reconsideration(self, dispute: Dispute) -> dict[str, Any] | None:
        row = dispute.current_row("reconsiderations")
        return ReconsiderationOutputSerializer(row).data if row else None

    @extend_schema_field(LitigationOutputSerializer(allow_null=True))
    def get_litigation(self, dispute: Dispute) -> dict[str, Any] | None:
        row = dispute.current_row("litigations")
        return LitigationOutputSerializer(row).data if row else None

    @extend_schema_field(AttachmentOutputSerializer(many=True))
    def get_attachments(self, dispute: Dispute) -> list[dict[str, Any]]:
        return AttachmentOutputSerializer(dispute.attachments.all(), many=True).data  # type: ignore[return-value]  # many=True builds a ListSerializer, whose .data is a list; the stub types the class's

    @extend_schema_field(NoteOutputSerializer(many=True))
    def get_notes(self, dispute: Dispute) -> list[dict[str, Any]]:
        return NoteOutputSerializer(dispute.notes.all(), many=True).data  # type: ignore[return-value]  # many=True builds a ListSerializer, whose .data is a list; the stub types the class's

    @extend_schema_field(AllowedActionOutputSerializer(many=True))
    def get_allowed_actions(self, dispute: Dispute) -> list[dict[str, str]]:
        transitions = declared_transitions()
        return [
            {
                "action": name,
                "label": action_label(name),
                "tone": transitions[name].custom.get("tone", "normal"),
            }
            for name in available_actions(dispute, self.context["request"].user)
        ]

    @extend_schema_field(AppActionOutputSerializer(many=True))
    def get_app_actions(self, dispute: Dispute) -> list[dict[str, str]]:
        return [
            {"action": a.name, "label": a.label, "tone": a.tone, "url": a.url, "api_url": a.api_url}
            for a in case_actions(dispute, self.context["request"].user)
            if a.app
        ]
