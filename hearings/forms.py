"""The hearing page's form: the case's own hearing step (``disputes``' form for ``schedule_hearing``,
which checks the time against the case's earlier events) and what only the hearing records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, User
from core.widgets import DateInput, DateTimeInput
from disputes.actions.forms import HearingForm, YesNoField, not_future

from .models import Attendance, HeadAnswer, MustAttendBasis, Room


class PanelMemberField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.name}（{obj.title}）" if obj.title else obj.name


class PanelMembersField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.name}（{obj.title}）" if obj.title else obj.name


class ArrangementForm(forms.Form):
    """Where a hearing is held, by whom, with whom and on what (every kind): the rooms and the panel are
    the hosting organisations' (``hosts``: the reconsideration body, the court or the centre, and the
    organisation of the clerk arranging it)."""

    room = forms.ModelChoiceField(
        label=_("Room"),
        queryset=Room.objects.none(),
        required=False,
        help_text=_("One of the organisation's rooms: the calendar checks it is free."),
    )
    online_link = forms.URLField(
        assume_scheme="https",
        label=_("Online link"),
        required=False,
        max_length=200,
        help_text=_("For a hearing held online (or partly online): the link to join it."),
    )
    presiding = PanelMemberField(label=_("Presiding officer"), queryset=User.objects.none(), required=False)
    officers = PanelMembersField(
        label=_("Hearing officers"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    clerk = PanelMemberField(label=_("Clerk"), queryset=User.objects.none(), required=False)
    issues = forms.CharField(
        label=_("Issues to be heard"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The points in dispute (争议焦点), one a line."),
    )
    procuratorate_invited = forms.BooleanField(label=_("Invite the procuratorate"), required=False)
    legal_aid_lawyer = forms.CharField(
        label=_("Legal-aid lawyer"),
        required=False,
        max_length=128,
        help_text=_("The lawyer assigned to a party, if any (name and law firm)."),
    )

    def __init__(self, *args: Any, hosts: list[Organisation] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [org.pk for org in hosts or [] if org is not None]
        rooms = Room.objects.filter(organisation_id__in=ids, is_active=True).order_by("organisation", "name")
        people = User.objects.filter(organisation_id__in=ids, is_active=True).order_by("name", "pk")
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]
        for name in ("presiding", "officers", "clerk"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        officers = list(data.get("officers") or [])
        chair, clerk = data.get("presiding"), data.get("clerk")
        if chair is not None and chair in officers:
            self.add_error("officers", _("The presiding officer is not also a hearing officer."))
        if clerk is not None and (clerk == chair or clerk in officers):
            self.add_error("clerk", _("The clerk is not also a member of the panel."))
        return data


class CourtSessionForm(forms.Form):
    """The court's notice of a session, as the centre or the agency records it: when and where, and the
    day the notice reached the agency (at least 3 days before, SPC 2020 rules Art. 5)."""

    session_at = forms.DateTimeField(label=_("Court session at"), widget=DateTimeInput)
    place = forms.CharField(
        label=_("Courtroom"), max_length=128, help_text=_("As the court's notice gives it, e.g. 第三法庭.")
    )
    notice_served_on = forms.DateField(
        label=_("Notice reached the agency on"),
        required=False,
        widget=DateInput,
        validators=[not_future],
        help_text=_(
            "At least 3 days before the session (SPC rules on agency heads appearing in court, Art. 5)."
        ),
    )
    short_notice_reason = forms.CharField(
        label=_("Reason for the short notice"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only when the notice reaches the agency less than 3 days before the session."),
    )
    court_suggests_head = forms.BooleanField(
        label=_("The court suggested in writing that the head appear"), required=False
    )
    reason = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class MeetingForm(forms.Form):
    """A resolution meeting at the centre (化解会): when and where."""

    meeting_at = forms.DateTimeField(label=_("Meeting at"), widget=DateTimeInput)
    place = forms.CharField(
        label=_("Place"),
        required=False,
        max_length=128,
        help_text=_("Filled from the room when one is chosen."),
    )
    reason = forms.CharField(
        label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is called off"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


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


class ScheduleHearingForm(HearingForm, NoticeForm, ArrangementForm):
    """The reconsideration hearing's page: the case's step, the notice, and the arrangement."""


class CourtSessionPageForm(CourtSessionForm, ArrangementForm):
    """The court session's page: the court's notice and the arrangement."""


class MeetingPageForm(MeetingForm, ArrangementForm):
    """The resolution meeting's page: when and where, and the arrangement."""
