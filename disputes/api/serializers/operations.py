"""Serializers of the operations on a case: registration, lifecycle transitions, timeline, notes,
attachments and field history."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from rest_framework import serializers

from core.api.serializers import UserRefSerializer
from core.models import Organisation
from core.validators import normalise_resident_id, normalise_uscc

from ... import seam
from ...actions import ACTIONS
from ...choices import Status
from ...forms import REGISTER_FIELDS
from ...models import (
    Dispute,
    DisputeEvent,
    Party,
)
from .case import action_label

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
        assert field.queryset is not None  # every action form gives its model fields a queryset
        return f"list of ids ({field.queryset.model.__name__})"
    if isinstance(field, forms.ModelChoiceField):
        assert field.queryset is not None
        return f"id ({field.queryset.model.__name__})"
    if isinstance(field, forms.ChoiceField):
        # Django normalises choices to a list of pairs when they are set; the stub types the setter's input.
        choices: list[tuple[Any, Any]] = field.choices  # type: ignore[assignment]
        return "one of: " + ", ".join(f"`{value}` {label}" for value, label in choices)
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
        label = action_label(action)
        lines += [f"#### `{action}` — {label}", ""]
        if seam.performing_action(action) is not None:
            # Taken over by an app above disputes (docs/seam.md): its endpoint records the step.
            lines += [
                "Taken through another app's endpoint (the `api_url` of the case's `app_actions`); here: 409.",
                "",
            ]
        lines += ["| field | type | required |", "|---|---|---|"]
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
    label = serializers.CharField()  # type: ignore[assignment]  # a declared field named like a Field attribute: DRF's metaclass moves it to _declared_fields
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
