from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..arithmetic import explain
from ..models import Deadline, Remedy
from ..subjects import shown


class DeadlineSerializer(serializers.ModelSerializer[Deadline]):
    """One deadline as the API lists it; reused by the per-subject lists of the apps above."""

    rule: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, help_text="The rule's stable code."
    )
    # The API's field is called "label"; to mypy that shadows Field.label (a serializer is a field).
    label = serializers.SerializerMethodField(  # type: ignore[assignment]
        help_text="The rule's name in the request's language."
    )
    basis = serializers.SerializerMethodField(help_text="Law and article the limit comes from.")
    explanation = serializers.SerializerMethodField(help_text="How the last day was counted.")
    days_left = serializers.IntegerField(
        read_only=True,
        allow_null=True,
        help_text="Calendar days to the last day (0 on it, negative when overdue); units left when paused.",
    )
    subject_type = serializers.SerializerMethodField(help_text="The subject's model, e.g. disputes.dispute.")
    responsible_organisation_name = serializers.CharField(
        source="responsible_organisation.name", read_only=True, help_text="The responsible body's name."
    )

    class Meta:
        model = Deadline
        fields = [
            "id",
            "rule",
            "label",
            "basis",
            "start_event",
            "starts_on",
            "length",
            "unit",
            "due_on",
            "status",
            "met_on",
            "days_left",
            "provisional",
            "explanation",
            "subject_type",
            "subject_id",
            "responsible_organisation",
            "responsible_organisation_name",
        ]
        read_only_fields = fields

    def get_label(self, obj: Deadline) -> str:
        return obj.rule.label

    def get_subject_type(self, obj: Deadline) -> str:
        return f"{obj.subject_type.app_label}.{obj.subject_type.model}"

    def get_basis(self, obj: Deadline) -> str:
        return obj.rule.basis

    def get_explanation(self, obj: Deadline) -> str:
        return explain(
            start=obj.count_from,
            length=obj.count_length,
            unit=obj.count_unit,
            rolls_over=obj.rolls_over,
            due_on=obj.due_on,
            fixed=obj.due_fixed,
            resumed=obj.count_from != obj.starts_on,
        )


class RemedySerializer(serializers.ModelSerializer[Remedy]):
    """One remedy task (补救): the missed clock, the body, the problem it counts as, and how it ended."""

    rule = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        source="deadline.rule", slug_field="code", read_only=True, help_text="The missed rule's code."
    )
    rule_label = serializers.CharField(
        source="deadline.rule.label", read_only=True, help_text="The missed rule's name."
    )
    subject = serializers.SerializerMethodField(
        help_text="The subject as its app names it, e.g. a case number."
    )
    subject_url = serializers.SerializerMethodField(
        help_text="Where the remedy is recorded (the page's path)."
    )
    organisation_name = serializers.CharField(
        source="organisation.name", read_only=True, help_text="The body that must remedy the miss."
    )
    problem_label = serializers.CharField(
        source="get_problem_display", read_only=True, help_text="The problem in the request's language."
    )
    remedied_by_name = serializers.CharField(
        source="remedied_by.name", read_only=True, default="", help_text="Who recorded the remedy."
    )

    class Meta:
        model = Remedy
        fields = [
            "id",
            "deadline",
            "rule",
            "rule_label",
            "subject",
            "subject_url",
            "organisation",
            "organisation_name",
            "problem",
            "problem_label",
            "missed_on",
            "opened_at",
            "status",
            "remedied_on",
            "measures",
            "remedied_by_name",
            "remedied_at",
        ]
        read_only_fields = fields

    def get_subject(self, obj: Remedy) -> str:
        return shown(obj.deadline)[0]

    def get_subject_url(self, obj: Remedy) -> str:
        return shown(obj.deadline, act="remedy")[1]
