from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import StrictBooleanField, TextField
from disputes.choices import Status

from ..models import Attendance, HeadAnswer, Hearing, MustAttendBasis, Participant
from ..selectors import current_answer, current_attendance


class ArrangementInputSerializer(serializers.Serializer[Any]):
    """Where, by whom, with whom and on what (every kind of hearing); rooms and panel members are the
    hosting organisation's (the reconsideration body, the court or the centre)."""

    room = serializers.IntegerField(
        required=False, allow_null=True, help_text="One of the hosting organisation's rooms (its id)."
    )
    online_link = TextField(required=False, allow_blank=True, help_text="The link to join online.")
    presiding = serializers.IntegerField(
        required=False, allow_null=True, help_text="The presiding officer (a user of the host, by id)."
    )
    officers = serializers.ListField(
        child=serializers.IntegerField(),
        required=False,
        max_length=20,
        help_text="The other panel members (users of the host, by id).",
    )
    clerk = serializers.IntegerField(
        required=False, allow_null=True, help_text="The clerk who keeps the record (by id)."
    )
    issues = TextField(required=False, allow_blank=True, help_text="The issues to be heard, one a line.")
    procuratorate_invited = StrictBooleanField(
        required=False, default=False, help_text="Whether the procuratorate is invited."
    )
    legal_aid_lawyer = TextField(
        required=False, allow_blank=True, help_text="A legal-aid lawyer taking part (name and firm)."
    )


class CourtSessionInputSerializer(ArrangementInputSerializer):
    session_at = TextField(
        help_text="When the session is held (ISO 8601 date and time), as the court's notice says."
    )
    place = TextField(help_text="The courtroom, as the court's notice gives it.")
    notice_served_on = serializers.DateField(
        required=False, allow_null=True, help_text="The day the court's notice reached the agency (ISO date)."
    )
    short_notice_reason = TextField(
        required=False,
        allow_blank=True,
        help_text="Why the notice reached the agency less than 3 days before the session (required then).",
    )
    court_suggests_head = StrictBooleanField(
        required=False, default=False, help_text="The court suggested in writing that the head appear."
    )
    reason = TextField(required=False, allow_blank=True, help_text="A note.")


class MeetingInputSerializer(ArrangementInputSerializer):
    meeting_at = TextField(help_text="When the meeting is held (ISO 8601 date and time).")
    place = TextField(
        required=False, allow_blank=True, help_text="Where (the room's name when a room is given)."
    )
    reason = TextField(required=False, allow_blank=True, help_text="A note.")


class CancelInputSerializer(serializers.Serializer[Any]):
    reason = TextField(help_text="Why it is called off.")


class HearingScheduleInputSerializer(ArrangementInputSerializer):
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


class ParticipantSerializer(serializers.ModelSerializer[Participant]):
    class Meta:
        model = Participant
        fields = ["role", "name", "party", "organisation"]
        read_only_fields = fields


class HearingOutputSerializer(serializers.ModelSerializer[Hearing]):
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    participants = ParticipantSerializer(many=True, read_only=True)
    online_link = serializers.CharField(
        read_only=True, help_text="The link to join online (a URL), empty when held in person."
    )
    dispute_status = serializers.CharField(
        source="dispute.status", read_only=True, help_text="The case's status after the step."
    )

    class Meta:
        model = Hearing
        fields = [
            "id",
            "dispute",
            "kind",
            "kind_display",
            "litigation",
            "replaces",
            "scheduled_at",
            "place",
            "room",
            "online_link",
            "presiding",
            "officers",
            "clerk",
            "issues",
            "procuratorate_invited",
            "participants",
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
