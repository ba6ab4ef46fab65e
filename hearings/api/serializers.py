from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.api.serializers import TextField
from disputes.choices import Status

from ..models import Hearing


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
            "status",
            "status_display",
            "held_at",
            "closed_reason",
            "created_at",
            "dispute_status",
        ]
        read_only_fields = fields
