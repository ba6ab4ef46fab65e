"""The hearing page's form: the case's own hearing step (``disputes``' form for ``schedule_hearing``,
which checks the time against the case's earlier events) and what only the hearing records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput
from disputes.actions.forms import HearingForm, YesNoField, not_future

from .models import Attendance, HeadAnswer, MustAttendBasis


class NoticeForm(forms.Form):
    short_notice_reason = forms.CharField(
        label=_("Reason for the short notice"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only when the hearing is too soon for the notice to be served 5 working days before it."
        ),
    )
    notice_served_on = forms.DateField(
        label=_("Notice served on"),
        required=False,
        widget=DateInput,
        validators=[not_future],
        help_text=_(
            "At least 5 working days before the hearing (Administrative Reconsideration Law, Art. 51)."
        ),
    )


class ScheduleHearingForm(HearingForm, NoticeForm):
    """Everything the page asks, in one form; the services validate the two parts again."""


class HeadAnswerForm(forms.Form):
    """The head's answer (the page and the API): principal, a named deputy, or no head with the reason
    and the staff member delegated."""

    answer = forms.ChoiceField(label=_("Answer"), choices=HeadAnswer.Answer.choices, widget=forms.RadioSelect)
    head_name = forms.CharField(
        label=_("Head attending (name and post)"),
        required=False,
        max_length=64,
        help_text=_("E.g. 孙丽（副局长）. Left empty for the principal head, whose name is on record."),
    )
    reason = forms.CharField(
        label=_("Why no head can attend"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    delegate_name = forms.CharField(
        label=_("Staff member authorised to attend (授权委托)"), required=False, max_length=64
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        answer = data.get("answer")
        if answer == HeadAnswer.Answer.DEPUTY and not data.get("head_name"):
            self.add_error("head_name", _("Name the deputy head who will attend."))
        if answer == HeadAnswer.Answer.NONE:
            if not data.get("reason"):
                self.add_error("reason", _("Give the reason no head can attend."))
            if not data.get("delegate_name"):
                self.add_error("delegate_name", _("Name the staff member authorised to attend."))
        return data


class AttendanceForm(forms.Form):
    """The clerk's record of the day (the page and the API); a correction gives its reason."""

    attended = forms.ChoiceField(
        label=_("Attended for the agency"), choices=Attendance.Attended.choices, widget=forms.RadioSelect
    )
    head_name = forms.CharField(label=_("Head who attended (name and post)"), required=False, max_length=64)
    spoke = forms.BooleanField(label=_("The head spoke to the substance of the dispute"), required=False)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), required=False, min_value=1, max_value=1440
    )
    outcome = forms.CharField(
        label=_("Outcome"), required=False, max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    correction_reason = forms.CharField(
        label=_("Reason for the correction"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when correcting an earlier record: what was wrong."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        head = data.get("attended") in (Attendance.Attended.PRINCIPAL, Attendance.Attended.DEPUTY)
        if head and not data.get("head_name"):
            self.add_error("head_name", _("Name the head who attended."))
        if not head:
            data["spoke"] = False  # only a head who attended can have spoken for it
        return data


class MustAttendForm(forms.Form):
    """The centre marks (or unmarks) a hearing the head must attend, on one of seed 003's grounds."""

    must_attend = forms.BooleanField(label=_("The agency's head must attend"), required=False)
    must_attend_basis = forms.ChoiceField(
        label=_("Ground"), choices=[("", "—"), *MustAttendBasis.choices], required=False
    )
    must_attend_note = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("must_attend") and not data.get("must_attend_basis"):
            self.add_error("must_attend_basis", _("Choose the ground the head must attend on."))
        return data


class ReviewForm(forms.Form):
    """The centre's decision on a “no head” answer to a must-attend hearing."""

    approve = YesNoField(  # "yes"/"no" from the page, true/false from the API
        label=_("Decision"),
        choices=[("yes", _("Approve")), ("no", _("Refuse"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    review_note = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
