"""The legal-aid forms (the pages and, with JSON data, the API's services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from disputes.actions.forms import YesNoField, not_future

from .models import Application, Art31Matter, Art32Situation, Art42Group, Lawyer, Result


class ScreeningForm(forms.Form):
    """The legal conditions as a checklist, and the clerk's override of the result with its reason."""

    matter = forms.ChoiceField(
        label=_("Matter of Art. 31"), choices=Art31Matter.choices, required=False, widget=forms.RadioSelect
    )
    situation = forms.ChoiceField(
        label=_("Situation of Art. 32 (no means test)"),
        choices=Art32Situation.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    group = forms.ChoiceField(
        label=_("Group of Art. 42 (means check waived on proof)"),
        choices=Art42Group.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    group_proof = forms.CharField(
        label=_("Proof of the group"),
        required=False,
        max_length=200,
        help_text=_("The certificate shown, e.g. 低保证号 or 残疾证号."),
    )
    hardship_declared = forms.BooleanField(
        label=_("The applicant declared economic hardship in writing"), required=False
    )
    result = forms.ChoiceField(
        label=_("Override the result"),
        choices=[("", _("No: keep the result of the conditions")), *Result.choices],
        required=False,
        help_text=_("Only with a written reason, which is kept and shown."),
    )
    override_reason = forms.CharField(
        label=_("Reason for the override"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


MATERIALS = [
    ("identity", _("Proof of identity")),
    ("hardship", _("Hardship declaration or proof of the group")),
    ("case_papers", _("The case's papers (the act, the application or the complaint)")),
    ("power_of_attorney", _("Power of attorney, for an agent applying")),
]


class ApplicationForm(forms.Form):
    received_on = forms.DateField(label=_("Received on"), widget=DateInput, validators=[not_future])
    materials = forms.MultipleChoiceField(
        label=_("Materials supplied"), choices=MATERIALS, required=False, widget=forms.CheckboxSelectMultiple
    )
    limitation_ends_on = forms.DateField(
        label=_("A limitation period ends on"),
        required=False,
        widget=DateInput,
        help_text=_(
            "If the party faces one soon: fewer than 7 days left grants provisional aid at once (Art. 44)."
        ),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "identity" not in (data.get("materials") or []):
            self.add_error("materials", _("An application needs the applicant's proof of identity."))
        return data


class DecisionForm(forms.Form):
    grant = YesNoField(
        label=_("Decision"),
        choices=[("yes", _("Grant legal aid")), ("no", _("Refuse legal aid"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput, validators=[not_future])
    refusal_reasons = forms.CharField(
        label=_("Reasons for the refusal"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a refusal: they are given to the applicant in writing."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("grant") is False and not data.get("refusal_reasons"):
            self.add_error("refusal_reasons", _("Give the reasons for the refusal."))
        return data


class ObjectionForm(forms.Form):
    objected_on = forms.DateField(label=_("Objected on"), widget=DateInput, validators=[not_future])
    objection = forms.CharField(
        label=_("Objection"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ObjectionReviewForm(forms.Form):
    upheld = YesNoField(
        label=_("Review"),
        choices=[("yes", _("Uphold: grant legal aid")), ("no", _("Dismiss: the refusal stands"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reviewed_on = forms.DateField(label=_("Reviewed on"), widget=DateInput, validators=[not_future])


class AssignmentForm(forms.Form):
    lawyer = forms.ModelChoiceField(label=_("Lawyer"), queryset=Lawyer.objects.filter(is_active=True))
    assigned_on = forms.DateField(label=_("Assigned on"), widget=DateInput, validators=[not_future])


class EndForm(forms.Form):
    end_reason = forms.ChoiceField(label=_("Ground (Art. 48)"), choices=Application.EndReason.choices)
    ended_on = forms.DateField(label=_("Ended on"), widget=DateInput, validators=[not_future])
    end_note = forms.CharField(
        label=_("Facts of the ground"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
