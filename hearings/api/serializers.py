from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import StrictBooleanField, TextField
from disputes.choices import Status

from ..models import Attendance, HeadAnswer, Hearing, MustAttendBasis
from ..selectors import current_answer, current_attendance


class HearingScheduleInputSerializer(serializers.Serializer[Any]):
    expected_status = serializers.ChoiceField(
        choices=Status.choices,
        required=False,
        help_text="The status the case had when the step was chosen (as for a lifecycle action: 409 if it moved on).",
    )
    hearing_at = TextField(help_text="When the hearing is held (ISO 8601 date and time).")
    hearing_place = TextField(required=False, allow_blank=True, help_text="Where it is held.")
    notice_served_on = serializers.DateField(
        required=False, allow_null=True, help_text="The day the parties were given notice (ISO date)."
    )
    short_notice_reason = TextField(
        required=False,
        allow_blank=True,
        help_text="Why the hearing is too soon for its 5-working-day notice (required then).",
    )
    reason = TextField(required=False, allow_blank=True, help_text="Reason / remarks.")


class HearingOutputSerializer(serializers.ModelSerializer[Hearing]):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    dispute_status = serializers.CharField(
        source="dispute.status", read_only=True, help_text="The case's status after the step."
    )

    class Meta:
        model = Hearing
        fields = [
            "id",
            "dispute",
            "scheduled_at",
            "place",
            "notice_served_on",
            "short_notice_reason",
            "status",
            "status_display",
            "held_at",
            "closed_reason",
            "created_at",
            "dispute_status",
        ]
        read_only_fields = fields


class HeadAnswerSerializer(serializers.ModelSerializer[HeadAnswer]):
    answer_display = serializers.CharField(
        source="get_answer_display", read_only=True, help_text="The answer, in words."
    )
    answered_by_name = serializers.CharField(
        source="answered_by.name", read_only=True, help_text="Who answered."
    )

    class Meta:
        model = HeadAnswer
        fields = ["id", "hearing", "answer", "answer_display", "head_name", "reason", "delegate_name",
                  "approval", "review_note", "answered_by_name", "answered_at"]  # fmt: skip
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer[Attendance]):
    attended_display = serializers.CharField(
        source="get_attended_display", read_only=True, help_text="Who attended, in words."
    )
    recorded_by_name = serializers.CharField(
        source="recorded_by.name", read_only=True, help_text="Who recorded it."
    )

    class Meta:
        model = Attendance
        fields = ["id", "hearing", "attended", "attended_display", "head_name", "spoke", "duration_minutes",
                  "outcome", "corrects", "correction_reason", "recorded_by_name", "recorded_at"]  # fmt: skip
        read_only_fields = fields


class HearingDetailSerializer(HearingOutputSerializer):
    """A hearing with the agency's answer and the attendance that count (the latest of each)."""

    must_attend_basis = serializers.CharField(
        read_only=True,
        help_text="Why the head must attend: first_of_year, helps_resolution or court_suggestion; empty if not.",
    )

    case_number = serializers.CharField(
        source="dispute.number", read_only=True, help_text="The case's number."
    )
    respondent = serializers.IntegerField(
        source="dispute.respondent_id", read_only=True, help_text="The agency."
    )
    answer = serializers.SerializerMethodField(
        help_text="The agency's answer that counts (its latest), or null."
    )
    attendance = serializers.SerializerMethodField(help_text="The attendance record that counts, or null.")

    class Meta(HearingOutputSerializer.Meta):
        fields = [
            *HearingOutputSerializer.Meta.fields,
            "case_number",
            "respondent",
            "must_attend",
            "must_attend_basis",
            "must_attend_note",
            "answer",
            "attendance",
        ]
        read_only_fields = fields

    @extend_schema_field(HeadAnswerSerializer(allow_null=True))
    def get_answer(self, obj: Hearing) -> dict[str, Any] | None:
        answer = current_answer(obj)
        return HeadAnswerSerializer(answer).data if answer else None

    @extend_schema_field(AttendanceSerializer(allow_null=True))
    def get_attendance(self, obj: Hearing) -> dict[str, Any] | None:
        record = current_attendance(obj)
        return AttendanceSerializer(record).data if record else None


class HeadAnswerInputSerializer(serializers.Serializer[Any]):
    answer = serializers.ChoiceField(
        choices=HeadAnswer.Answer.choices, help_text="principal, deputy or none."
    )
    head_name = TextField(
        required=False, allow_blank=True, help_text="The deputy head attending (name and post)."
    )
    reason = TextField(required=False, allow_blank=True, help_text="Why no head can attend (for none).")
    delegate_name = TextField(
        required=False, allow_blank=True, help_text="The staff member authorised to attend (for none)."
    )


class AttendanceInputSerializer(serializers.Serializer[Any]):
    attended = serializers.ChoiceField(
        choices=Attendance.Attended.choices, help_text="principal, deputy, staff or nobody."
    )
    head_name = TextField(
        required=False, allow_blank=True, help_text="The head who attended (name and post)."
    )
    spoke = StrictBooleanField(required=False, default=False, help_text="The head spoke to the substance.")
    duration_minutes = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=1440, help_text="How long it lasted."
    )
    outcome = TextField(required=False, allow_blank=True, help_text="What the hearing came to.")
    correction_reason = TextField(
        required=False,
        allow_blank=True,
        help_text="Why an earlier record is corrected (required to correct).",
    )


class MustAttendInputSerializer(serializers.Serializer[Any]):
    must_attend = StrictBooleanField(help_text="Whether the agency's head must attend.")
    must_attend_basis = serializers.ChoiceField(
        choices=MustAttendBasis.choices,
        required=False,
        allow_blank=True,
        help_text="The ground (when marked).",
    )
    must_attend_note = TextField(
        required=False, allow_blank=True, help_text="A note, e.g. the court's letter."
    )


class ReviewInputSerializer(serializers.Serializer[Any]):
    approve = StrictBooleanField(help_text="true approves the agency's “no head”; false refuses it.")
    review_note = TextField(help_text="The centre's reason.")
