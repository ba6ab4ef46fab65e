"""The legal-aid API's shapes. Input serializers check the shape and types of a request only; the rules
(an override needs its reason, a refusal its reasons, a lawyer in conflict is refused …) are the forms'
and the services' (``legal_aid.forms``, ``legal_aid.services``), whose refusals reach the client through
``core.api.exceptions``.

A choice the model allows to be blank (the matter of Art. 31, the ground of the end) is given as text
with its ``_display``: ``""`` is then a value, not a member the enum would have to list."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.filters import MAX_ID
from core.api.serializers import StrictBooleanField, TextField

from ..forms import MATERIALS
from ..models import (
    Application,
    Art31Matter,
    Art32Situation,
    Art42Group,
    Assignment,
    Lawyer,
    Result,
    Screening,
)
from ..services import candidates, may_decide

# --- output --------------------------------------------------------------------------------------------


def _display(field: str, help_text: str) -> serializers.CharField:
    return serializers.CharField(source=f"get_{field}_display", read_only=True, help_text=help_text)


def _name_or_null(source: str, help_text: str) -> serializers.CharField:
    """The name of a related record that may be missing: ``null`` then (not left out)."""
    return serializers.CharField(
        source=source, read_only=True, allow_null=True, default=None, help_text=help_text
    )


class AidScreeningSerializer(serializers.ModelSerializer[Screening]):
    """A screening against the conditions: the answers, what the conditions give (``computed``) with the
    reason for each criterion, and the result that counts (``result``: an override when it differs, with
    ``override_reason``)."""

    matter = serializers.CharField(
        read_only=True,
        help_text="The matter of Art. 31: "
        + ", ".join(v for v in Art31Matter.values if v)
        + "; empty if none.",
    )
    matter_display = _display("matter", "The matter, in words.")
    situation = serializers.CharField(
        read_only=True,
        help_text="The situation of Art. 32: "
        + ", ".join(v for v in Art32Situation.values if v)
        + "; empty if none.",
    )
    situation_display = _display("situation", "The situation, in words.")
    group = serializers.CharField(
        read_only=True,
        help_text="The group of Art. 42: "
        + ", ".join(v for v in Art42Group.values if v)
        + "; empty if none.",
    )
    group_display = _display("group", "The group, in words.")
    computed_display = _display("computed", "What the conditions give, in words.")
    result_display = _display("result", "The result that counts, in words.")
    reasons = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="The reason for each criterion."
    )
    overridden = serializers.BooleanField(
        read_only=True, help_text="The result was set by the clerk, other than the conditions give."
    )
    screened_by_name = serializers.CharField(source="screened_by.name", read_only=True, help_text="Who.")

    class Meta:
        model = Screening
        fields = ["id", "dispute", "party", "matter", "matter_display", "situation", "situation_display",
                  "group", "group_display", "group_proof", "hardship_declared", "computed", "computed_display",
                  "reasons", "result", "result_display", "overridden", "override_reason", "screened_by_name",
                  "screened_at"]  # fmt: skip
        read_only_fields = fields


class AidAssignmentSerializer(serializers.ModelSerializer[Assignment]):
    lawyer_name = serializers.CharField(source="lawyer.user.name", read_only=True, help_text="The lawyer.")
    firm_name = _name_or_null("lawyer.firm.name", "The lawyer's firm (null for a centre's own lawyer).")
    proposal = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Why the lawyer was proposed, as shown."
    )
    running = serializers.SerializerMethodField(
        help_text="The assignment runs (the lawyer reaches the case)."
    )
    assigned_by_name = serializers.CharField(source="assigned_by.name", read_only=True, help_text="Who.")

    class Meta:
        model = Assignment
        fields = ["id", "lawyer", "lawyer_name", "firm_name", "proposal", "assigned_on", "assigned_by_name",
                  "running", "ended_on", "end_note"]  # fmt: skip
        read_only_fields = fields

    def get_running(self, obj: Assignment) -> bool:
        return obj.ended_on is None


class AidCandidateSerializer(serializers.Serializer[Any]):
    """A lawyer on the roster as proposed for an application."""

    lawyer = serializers.IntegerField(source="lawyer.pk", read_only=True, help_text="The lawyer's id.")
    name = serializers.CharField(source="lawyer.user.name", read_only=True, help_text="The lawyer's name.")
    firm = _name_or_null("lawyer.firm.name", "The lawyer's firm (null for a centre's own lawyer).")
    load = serializers.IntegerField(read_only=True, help_text="Aid cases the lawyer has now.")
    capacity = serializers.IntegerField(
        source="lawyer.capacity", read_only=True, help_text="Aid cases the lawyer takes at once."
    )
    reasons = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Expertise, region and load, in words."
    )
    conflict = serializers.CharField(
        read_only=True, help_text="Why the lawyer may not act for the party (a conflict), or empty."
    )
    available = serializers.BooleanField(
        read_only=True, help_text="Free to act: no conflict and room in the caseload."
    )


class AidApplicationSerializer(serializers.ModelSerializer[Application]):
    """An application for legal aid and what became of it."""

    case_number = serializers.CharField(
        source="dispute.number", read_only=True, help_text="The case's number."
    )
    party_name = serializers.CharField(source="party.name", read_only=True, help_text="The applicant.")
    materials = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The materials supplied: " + ", ".join(code for code, _label in MATERIALS) + ".",
    )
    status_display = _display("status", "Where it stands, in words.")
    decided_by_name = _name_or_null("decided_by.name", "Who decided (null before the decision).")
    end_reason = serializers.CharField(
        read_only=True,
        help_text="The ground of Art. 48: "
        + ", ".join(Application.EndReason.values)
        + "; empty while the aid has not ended.",
    )
    end_reason_display = _display("end_reason", "The ground, in words (empty while the aid runs).")
    created_by_name = serializers.CharField(
        source="created_by.name", read_only=True, help_text="Who filed it."
    )

    class Meta:
        model = Application
        fields = ["id", "dispute", "case_number", "party", "party_name", "screening", "received_on", "materials",
                  "limitation_ends_on", "provisional", "status", "status_display", "decided_on",
                  "decided_by_name", "refusal_reasons", "objected_on", "objection", "objection_upheld",
                  "objection_reviewed_on", "ended_on", "end_reason", "end_reason_display", "end_note",
                  "created_by_name", "created_at"]  # fmt: skip
        read_only_fields = fields


class AidApplicationDetailSerializer(AidApplicationSerializer):
    """An application with its lawyers and, for the legal-aid staff while it awaits (or has) a lawyer,
    every lawyer on the roster as proposed: free to act first, then expertise, region and load.
    Needs the request in its context."""

    assignments = AidAssignmentSerializer(
        many=True, read_only=True, help_text="Every lawyer assigned, first first."
    )
    candidates = serializers.SerializerMethodField(
        help_text="The roster as proposed (the first available one is the proposal); empty unless you are "
        "the legal-aid staff and aid is granted or a lawyer assigned."
    )

    class Meta(AidApplicationSerializer.Meta):
        fields = [*AidApplicationSerializer.Meta.fields, "assignments", "candidates"]
        read_only_fields = fields

    @extend_schema_field(AidCandidateSerializer(many=True))
    def get_candidates(self, obj: Application) -> list[dict[str, Any]]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not may_decide(user):
            return []
        if obj.status not in (Application.Status.GRANTED, Application.Status.ASSIGNED):
            return []
        return list(AidCandidateSerializer(candidates(obj), many=True).data)


class AidApplicationRefSerializer(serializers.ModelSerializer[Application]):
    status_display = _display("status", "Where it stands, in words.")

    class Meta:
        model = Application
        fields = ["id", "status", "status_display", "provisional", "received_on"]
        read_only_fields = fields


class AidLawyerRefSerializer(serializers.Serializer[Lawyer]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(source="user.name", read_only=True, help_text="The lawyer's name.")
    firm = _name_or_null("firm.name", "The lawyer's firm (null for a centre's own lawyer).")


class CaseAidPartySerializer(serializers.Serializer[dict[str, Any]]):
    """A party of the case without a representative, and where their legal aid stands."""

    party = serializers.IntegerField(source="party.pk", read_only=True, help_text="The party's id.")
    name = serializers.CharField(source="party.name", read_only=True, help_text="The party's name.")
    role = serializers.CharField(source="party.role", read_only=True, help_text="applicant or third_party.")
    screening = AidScreeningSerializer(
        read_only=True, allow_null=True, help_text="The latest screening, or null."
    )
    application = AidApplicationRefSerializer(
        read_only=True, allow_null=True, help_text="The latest application, or null."
    )
    lawyer = AidLawyerRefSerializer(
        read_only=True, allow_null=True, help_text="The lawyer acting now, or null."
    )
    may_apply = serializers.BooleanField(
        read_only=True, help_text="No application is open: one may be filed (by the centre or the staff)."
    )


class CaseLegalAidSerializer(serializers.Serializer[dict[str, Any]]):
    may_act = serializers.BooleanField(
        read_only=True,
        help_text="You may screen parties and file applications (the centre's clerks, the staff).",
    )
    parties = CaseAidPartySerializer(many=True, read_only=True, source="rows")


class AidLawyerRegionSerializer(serializers.Serializer[Any]):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class AidLawyerSerializer(serializers.ModelSerializer[Lawyer]):
    """A lawyer on the roster, with the aid cases they have now."""

    name = serializers.CharField(source="user.name", read_only=True, help_text="The lawyer's name.")
    firm_name = _name_or_null("firm.name", "The lawyer's firm (null for a centre's own lawyer).")
    regions = AidLawyerRegionSerializer(
        many=True, read_only=True, help_text="The regions the lawyer takes cases in."
    )
    expertise = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text="Matter categories the lawyer knows best."
    )
    load = serializers.IntegerField(read_only=True, help_text="Aid cases the lawyer has now.")

    class Meta:
        model = Lawyer
        fields = ["id", "user", "name", "firm", "firm_name", "licence_number", "regions", "expertise",
                  "capacity", "load", "is_active"]  # fmt: skip
        read_only_fields = fields


class AidGapSerializer(serializers.Serializer[Any]):
    """An eligible applicant still without a lawyer."""

    application_id = serializers.IntegerField(read_only=True)
    dispute_id = serializers.IntegerField(read_only=True)
    case_number = serializers.CharField(read_only=True)
    party = serializers.CharField(read_only=True, help_text="The applicant's name.")
    status_display = serializers.CharField(source="status", read_only=True, help_text="Where it stands.")
    waiting_since = serializers.DateField(read_only=True, help_text="The day the application was received.")
    days_waiting = serializers.IntegerField(read_only=True)


class AidCoverageSerializer(serializers.Serializer[Any]):
    """符合条件的行政案件提供法律援助: eligible applicants who were assigned a lawyer, within your reach."""

    rate = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        read_only=True,
        allow_null=True,
        coerce_to_string=True,
        help_text='Assigned of applied, in per cent (e.g. "50.00"); null when nobody eligible applied.',
    )
    applied = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="The eligible applications (ids)."
    )
    assigned = serializers.ListField(
        child=serializers.IntegerField(), read_only=True, help_text="Of them, those assigned a lawyer (ids)."
    )
    gaps = AidGapSerializer(
        many=True, read_only=True, help_text="Eligible without a lawyer, longest waiting first."
    )
    not_applied = serializers.ListField(
        child=serializers.IntegerField(),
        read_only=True,
        help_text="Parties screened eligible, without a representative, who never applied (ids).",
    )


# --- input ---------------------------------------------------------------------------------------------


def _day(help_text: str, **kwargs: Any) -> serializers.DateField:
    return serializers.DateField(help_text=help_text + " (ISO date, not in the future).", **kwargs)


class AidScreeningInputSerializer(serializers.Serializer[Any]):
    matter = serializers.ChoiceField(
        choices=Art31Matter.choices,
        required=False,
        allow_blank=True,
        help_text="The matter of Art. 31 the dispute concerns (empty: none).",
    )
    situation = serializers.ChoiceField(
        choices=Art32Situation.choices,
        required=False,
        allow_blank=True,
        help_text="A situation of Art. 32: aid without a means test (empty: none).",
    )
    group = serializers.ChoiceField(
        choices=Art42Group.choices,
        required=False,
        allow_blank=True,
        help_text="A group of Art. 42: the means check is waived on proof (empty: none).",
    )
    group_proof = TextField(
        required=False, allow_blank=True, max_length=200, help_text="The proof of the group, e.g. 低保证号."
    )
    hardship_declared = StrictBooleanField(
        required=False, default=False, help_text="The applicant declared economic hardship in writing."
    )
    result = serializers.ChoiceField(
        choices=Result.choices,
        required=False,
        allow_blank=True,
        help_text="Override the result of the conditions (empty or left out: keep it).",
    )
    override_reason = TextField(
        required=False,
        allow_blank=True,
        max_length=2000,
        help_text="Why the result differs from the conditions' (required then).",
    )


class AidApplicationInputSerializer(serializers.Serializer[Any]):
    received_on = _day("The day the application was received")
    materials = serializers.ListField(
        child=serializers.ChoiceField(choices=MATERIALS),
        required=False,
        max_length=len(MATERIALS),
        help_text="The materials supplied; the proof of identity (identity) is required.",
    )
    limitation_ends_on = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="The last day of a limitation period the party faces, if near: fewer than 7 days after "
        "the application grant provisional aid at once (Art. 44).",
    )


class AidDecisionInputSerializer(serializers.Serializer[Any]):
    grant = StrictBooleanField(help_text="true grants legal aid; false refuses it.")
    decided_on = _day("The day of the decision")
    refusal_reasons = TextField(
        required=False,
        allow_blank=True,
        max_length=4000,
        help_text="The written reasons, required for a refusal (Art. 43).",
    )


class AidObjectionInputSerializer(serializers.Serializer[Any]):
    objected_on = _day("The day the applicant objected")
    objection = TextField(max_length=4000, help_text="What the applicant objects.")


class AidObjectionReviewInputSerializer(serializers.Serializer[Any]):
    upheld = StrictBooleanField(help_text="true upholds the objection (aid granted); false dismisses it.")
    reviewed_on = _day("The day of the review")


class AidAssignmentInputSerializer(serializers.Serializer[Any]):
    lawyer = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="A lawyer on the roster (its id, as in `candidates`)."
    )
    assigned_on = _day("The day the lawyer was assigned")


class AidEndInputSerializer(serializers.Serializer[Any]):
    end_reason = serializers.ChoiceField(
        choices=Application.EndReason.choices, help_text="The ground of Art. 48."
    )
    ended_on = _day("The day the aid ended")
    end_note = TextField(max_length=4000, help_text="The facts of the ground.")
