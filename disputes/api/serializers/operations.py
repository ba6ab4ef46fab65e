"""Serializers of the operations on a case: registration, lifecycle transitions, timeline, notes,
attachments and field history."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import TextField, TextInputModelSerializer, UserRefSerializer
from core.models import Organisation
from core.validators import normalise_resident_id, normalise_uscc

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


class PartyInputSerializer(TextInputModelSerializer):
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


class DisputeRegisterInputSerializer(TextInputModelSerializer):
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
    """The part of a transition request common to every action; ``transition_input_serializer``
    adds each action's own fields."""

    EXPECTED_STATUS_HELP = (
        "The status the case had when the action was chosen. If the case has moved on since, the "
        "request is refused (409) — unless the last thing that happened is this very action from "
        "that status, in which case the request succeeds without doing anything (a safe retry)."
    )
    expected_status = serializers.ChoiceField(choices=Status.choices, help_text=EXPECTED_STATUS_HELP)
    reason = TextField(required=False, allow_blank=True, help_text=("Reason / remarks"))


# --- one input schema per action, derived from the action's form ---------------------------------


@extend_schema_field({"oneOf": [{"type": "boolean"}, {"type": "string", "enum": ["yes", "no"]}]})
class YesNoInputField(serializers.ChoiceField):
    """A yes/no question of a form: ``true``/``false`` from JSON, ``yes``/``no`` from form data."""

    def __init__(self, **kwargs):
        super().__init__(choices=[("yes", "yes"), ("no", "no")], **kwargs)

    def to_internal_value(self, data):
        if data is True or data is False:
            return "yes" if data else "no"
        return super().to_internal_value(data)


def _choices(field: forms.ChoiceField) -> list[tuple[Any, Any]]:
    # Django normalises choices to a list of pairs when they are set; the stub types the setter's input.
    choices: list[tuple[Any, Any]] = field.choices  # type: ignore[assignment]
    return [(value, label) for value, label in choices if value not in ("", None)]


def input_field(field: forms.Field, *, required: bool) -> serializers.Field:
    """The serializer field that checks the JSON shape of one form field (the form then checks the
    domain rules). Optional fields may be left out or sent as ``null``."""
    # The label stays lazy: the schema is drawn in the language of its request.
    kwargs: dict[str, Any] = {"required": required, "help_text": field.label or ""}
    if not required:
        kwargs["allow_null"] = True
    if isinstance(field, forms.ModelMultipleChoiceField):
        return serializers.ListField(
            child=serializers.IntegerField(min_value=1), allow_empty=not required, **kwargs
        )
    if isinstance(field, forms.ModelChoiceField):
        return serializers.IntegerField(min_value=1, **kwargs)
    if isinstance(field, forms.ChoiceField):
        values = {value for value, _label in _choices(field)}
        if values == {"yes", "no"}:
            return YesNoInputField(**kwargs)
        return serializers.ChoiceField(choices=_choices(field), **kwargs)
    if isinstance(field, forms.BooleanField):
        kwargs.pop("allow_null", None)
        return serializers.BooleanField(**{**kwargs, "required": False})
    if isinstance(field, forms.IntegerField):
        # Bounds are plain numbers on the action forms (a callable bound would be a form of its own).
        bounds = {"min_value": field.min_value, "max_value": field.max_value}
        assert not any(callable(v) for v in bounds.values())
        return serializers.IntegerField(**bounds, **kwargs)  # type: ignore[arg-type]
    if isinstance(field, forms.DecimalField):
        return serializers.DecimalField(
            max_digits=field.max_digits, decimal_places=field.decimal_places, **kwargs
        )
    if isinstance(field, forms.DateTimeField):
        return serializers.DateTimeField(**kwargs)
    if isinstance(field, forms.DateField):
        return serializers.DateField(**kwargs)
    if isinstance(field, forms.CharField):
        return TextField(max_length=field.max_length, allow_blank=not required, **kwargs)
    raise TypeError(f"No API input for form field {type(field).__name__}: add it to input_field().")


def _camel(action: str) -> str:
    return "".join(part.capitalize() for part in action.split("_"))


@cache
def transition_input_serializer(action: str) -> type[serializers.Serializer]:
    """The body of ``POST …/transitions/<action>/``: ``expected_status`` and the action's form fields
    (``reason`` included), each typed as the form reads it; one OpenAPI component per action."""
    form_class = ACTIONS[action].form
    fields: dict[str, serializers.Field] = {}
    for name, field in form_class.base_fields.items():
        required = field.required or (name == "reason" and form_class.reason_required)
        fields[name] = input_field(field, required=required)
    attrs = {
        **fields,
        "expected_status": serializers.ChoiceField(
            choices=Status.choices, help_text=TransitionInputSerializer.EXPECTED_STATUS_HELP
        ),
        "__doc__": f"The input of the `{action}` action (form `{form_class.__name__}`).",
        "__module__": __name__,
    }
    return type(f"{_camel(action)}TransitionInputSerializer", (serializers.Serializer,), attrs)


TRANSITION_DESCRIPTION = (
    "Takes this lifecycle action on the case. The body holds `expected_status` (the status the client "
    "saw), `reason` and the action's own fields, as the request schema lists them (JSON or form data; "
    "repeat a form field, or send a JSON list, for several ids). The action's form then checks what the "
    "case allows (dates in order, the records it refers to), with the same messages as the case page.\n\n"
    "Answers: **200** with the updated case (also when the same request is repeated after it "
    "succeeded: nothing is done twice); **400** with the errors by field; **403** when your role may "
    "not take the action; **404** when the case is out of your reach; **409** `{detail}` when the "
    "case's status does not allow the action now or has changed since `expected_status`."
)


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
    text = TextField()


class AttachmentInputSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=("At most 20 MB; PDF, OFD, images, Word, Excel or text."))
    description = TextField(required=False, allow_blank=True, max_length=255)


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
