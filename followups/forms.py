"""The visit's form (the page and, with JSON data, the API): an outcome is all of it or nothing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from disputes.actions.forms import YesNoField, not_future

from .models import Visit


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DateInput, validators=[not_future])
    method = forms.ChoiceField(label=_("Method"), choices=Visit.Method.choices, widget=forms.RadioSelect)
    reached_applicant = YesNoField(
        label=_("Reached the applicant?"),
        choices=[("yes", _("Yes")), ("no", _("No: could not reach the applicant"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    reached = forms.CharField(
        label=_("Whom it reached"),
        required=False,
        max_length=128,
        help_text=_("E.g. 申请人本人, 申请人之子."),
    )
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=[("", "—"), *Visit.Satisfaction.choices], required=False
    )
    performed = forms.ChoiceField(
        label=_("Has the decision been performed?"),
        choices=[("", "—"), *Visit.Performed.choices],
        required=False,
    )
    remaining = forms.CharField(
        label=_("What remains in dispute"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resolvable = YesNoField(
        label=_("Can the dispute still be resolved in substance?"),
        choices=[("yes", _("Yes: reopen resolution")), ("no", _("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        required=False,
        empty_value=None,
    )
    attempt_note = forms.CharField(
        label=_("What was tried"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("When the applicant could not be reached, e.g. 两次拨打登记电话无人接听."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reached_applicant") is True:
            for name, message in (
                ("reached", _("Say whom the visit reached.")),
                ("satisfaction", _("Record the applicant's satisfaction.")),
                ("performed", _("Record whether the decision has been performed.")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
            if data.get("resolvable") is None:
                self.add_error("resolvable", _("Say whether the dispute can still be resolved."))
            if data.get("resolvable") and not data.get("remaining"):
                self.add_error("remaining", _("Say what remains to be resolved."))
        elif data.get("reached_applicant") is False and not data.get("attempt_note"):
            self.add_error("attempt_note", _("Say what was tried to reach the applicant."))
        return data
