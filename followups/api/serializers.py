from __future__ import annotations

from typing import Any

from rest_framework import serializers

from core.api.serializers import StrictBooleanField, TextField

from ..models import Visit


class VisitSerializer(serializers.ModelSerializer[Visit]):
    case_number = serializers.CharField(
        source="dispute.number", read_only=True, help_text="The case's number."
    )
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="In words.")
    method = serializers.CharField(
        read_only=True, help_text="phone, visit, letter or online; empty until visited."
    )
    satisfaction = serializers.CharField(
        read_only=True, help_text="very_satisfied, satisfied, neutral or dissatisfied; empty unless reached."
    )
    performed = serializers.CharField(
        read_only=True, help_text="yes, partly, no or not_applicable; empty unless reached."
    )
    assigned_to_name = serializers.CharField(
        source="assigned_to.name", read_only=True, help_text="The clerk."
    )

    class Meta:
        model = Visit
        fields = ["id", "dispute", "case_number", "follows", "due_on", "assigned_to", "assigned_to_name",
                  "status", "status_display", "visited_on", "method", "reached", "satisfaction", "performed",
                  "remaining", "resolvable", "attempt_note", "reopened_by", "recorded_at"]  # fmt: skip
        read_only_fields = fields


class VisitInputSerializer(serializers.Serializer[Any]):
    visited_on = serializers.DateField(help_text="The day of the visit (ISO date).")
    method = serializers.ChoiceField(
        choices=Visit.Method.choices, help_text="phone, visit, letter or online."
    )
    reached_applicant = StrictBooleanField(help_text="Whether the visit reached the applicant.")
    reached = TextField(
        required=False, allow_blank=True, help_text="Whom it reached (required when reached)."
    )
    satisfaction = serializers.ChoiceField(
        choices=[("", ""), *Visit.Satisfaction.choices],
        required=False,
        allow_blank=True,
        help_text="When reached.",
    )
    performed = serializers.ChoiceField(
        choices=[("", ""), *Visit.Performed.choices],
        required=False,
        allow_blank=True,
        help_text="When reached.",
    )
    remaining = TextField(required=False, allow_blank=True, help_text="What remains in dispute.")
    resolvable = StrictBooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Whether it can still be resolved (reopens it).",
    )
    attempt_note = TextField(required=False, allow_blank=True, help_text="What was tried, when not reached.")


class FiguresSerializer(serializers.Serializer[Any]):
    rate = serializers.CharField(allow_null=True, help_text="Followed up ÷ due, a percentage to two places.")
    due = serializers.ListField(
        child=serializers.IntegerField(), help_text="Decisions (timeline entries) due."
    )
    followed_up = serializers.ListField(child=serializers.IntegerField(), help_text="Of them, visited.")
    missed = serializers.ListField(child=serializers.IntegerField(), help_text="Due and not visited.")
    not_yet_due = serializers.ListField(child=serializers.IntegerField(), help_text="Shown apart.")
    satisfaction_rate = serializers.CharField(allow_null=True, help_text="Satisfied ÷ reached.")
    reopened = serializers.ListField(
        child=serializers.IntegerField(), help_text="Cases reopened after a visit."
    )
    reopened_resolved = serializers.ListField(
        child=serializers.IntegerField(), help_text="Of them, resolved."
    )
