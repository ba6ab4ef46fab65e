"""The input form of each lifecycle action. The HTML page and the API validate with the same form,
so a refusal names the same field with the same message everywhere. Every form checks its dates
against the case's earlier events by the one table in ``dates.py`` (in ``ActionForm.full_clean``)."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import Organisation, User
from core.roles import Role
from core.widgets import DateInput, DateTimeInput

from ..choices import (
    AfterRefusal,
    ClosingReason,
    ConfirmationResult,
    DecisionType,
    LitigationOutcome,
    Status,
    TransferTarget,
)
from ..models import Dispute
from .dates import check_dates


def not_future(value: date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("This date is in the future."), code="future")


def not_future_moment(value) -> None:
    if value and value > timezone.now():
        raise ValidationError(_("This date is in the future."), code="future")


class YesNoField(forms.TypedChoiceField):
    """“yes”/“no” from a form, but also true/false from JSON (the API posts booleans)."""

    def to_python(self, value):
        if value is True or value is False:
            return "yes" if value else "no"
        return super().to_python(value)


def past_date(label, required=True, **kwargs):
    return forms.DateField(
        label=label,
        required=required,
        validators=[not_future],
        widget=DateInput,
        initial=timezone.localdate,
        **kwargs,
    )


class ActionForm(forms.Form):
    reason_required = False
    reason = forms.CharField(
        label=_("Reason / remarks"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, dispute: Dispute, action: str, **kwargs):
        self.dispute = dispute
        self.action = action  # several actions share a form; the date rules are the action's
        super().__init__(*args, **kwargs)
        if self.reason_required:
            self.fields["reason"].required = True
            self.fields["reason"].label = _("Reason")

    def full_clean(self):
        super().full_clean()
        # After every form's own clean (so a date another check refused is not reported twice, and a
        # date a form fills in is checked too): the dates against the case's earlier events.
        if self.is_bound and hasattr(self, "cleaned_data"):
            for field, message in check_dates(self.action, self.dispute, self.cleaned_data).items():
                self.add_error(field, ValidationError(message, code="order"))

    def clean(self) -> dict[str, Any]:
        super().clean()
        return self.cleaned_data  # what Form.clean() returns; the stub allows None

    def organisations(self, kind: str):
        return Organisation.objects.filter(
            kind=kind,
            is_active=True,
            region__path__startswith=self.dispute.region.path[:-1].rsplit("/", 1)[0] + "/",
        )


class AcceptForm(ActionForm):
    accepted_on = past_date(_("Accepted on"))
    simplified = forms.BooleanField(label=_("Simplified procedure"), required=False)


class CorrectionForm(ActionForm):
    items = forms.CharField(label=_("Materials to supply"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteRequiredForm(ActionForm):
    reason_required = True


class AssignMediatorsForm(ActionForm):
    mediators = forms.ModelMultipleChoiceField(label=_("Mediators"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelMultipleChoiceField, self.fields["mediators"]).queryset = (
            User.objects.filter(
                is_active=True,
                roles__role__in=[Role.MEDIATOR, Role.CENTRE_CLERK],
                organisation__region__path__startswith=self.dispute.region.path,
            )
            .distinct()
            .order_by("name")
        )


class SessionForm(ActionForm):
    held_on = past_date(_("Held on"))
    place = forms.CharField(label=_("Place"), required=False, max_length=128)
    participants = forms.CharField(
        label=_("Participants"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4}))
    intent = forms.BooleanField(label=_("The parties reached a preliminary intent"), required=False)


class AgreementForm(ActionForm):
    agreement_terms = forms.CharField(
        label=_("Agreement and performance terms"), widget=forms.Textarea(attrs={"rows": 4})
    )
    signed_on = past_date(_("Signed on"))
    perform_by = forms.DateField(label=_("To be performed by"), required=False, widget=DateInput)


class ConfirmationRequestForm(ActionForm):
    court = forms.ModelChoiceField(label=_("Court"), queryset=Organisation.objects.none())
    requested_on = past_date(_("Applied on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["court"]).queryset = self.organisations("court")


class ConfirmForm(ActionForm):
    """The court's ruling on the application: confirmed, or refused (not confirmed, or the application
    dismissed) with the court's reasons, and then where the case goes."""

    result = forms.ChoiceField(
        label=_("Court's ruling"),
        choices=ConfirmationResult.choices,
        initial=ConfirmationResult.CONFIRMED,
        # Left out, the ruling is a confirmation: what clients sent before refusals could be recorded.
        required=False,
    )
    confirmed_on = past_date(_("Date of the ruling"))
    confirmation_number = forms.CharField(label=_("Ruling number"), max_length=64)
    court_reasons = forms.CharField(
        label=_("Court's reasons for refusing"),
        required=False,
        help_text=_("Required when the court did not confirm the agreement or dismissed the application."),
        # data-refusal: the page shows the field only while a refusal is chosen (action.html).
        widget=forms.Textarea(attrs={"rows": 3, "data-refusal": ""}),
    )
    after_refusal = forms.ChoiceField(
        widget=forms.Select(attrs={"data-refusal": ""}),
        label=_("After a refusal"),
        choices=[("", "---------"), *AfterRefusal.choices],
        required=False,
        help_text=_("When the court refused: the centre continues resolution, or resolution failed."),
    )

    def clean(self):
        data = super().clean()
        data["result"] = data.get("result") or ConfirmationResult.CONFIRMED
        if data["result"] == ConfirmationResult.CONFIRMED:
            # Nothing of a refusal belongs to a confirmation.
            data["court_reasons"], data["after_refusal"] = "", ""
            return data
        if not (data.get("court_reasons") or "").strip():
            self.add_error("court_reasons", _("Give the court's reasons for refusing."))
        if not data.get("after_refusal"):
            self.add_error(
                "after_refusal", _("Choose whether the centre continues resolution or resolution failed.")
            )
        return data


class TransferForm(ActionForm):
    target = forms.ChoiceField(label=_("Transfer to"), choices=TransferTarget.choices)
    transfer_to = forms.ModelChoiceField(label=_("Receiving body"), queryset=Organisation.objects.none())
    transferred_on = past_date(_("Transferred on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["transfer_to"]).queryset = self.organisations(
            "court"
        ) | self.organisations("justice_bureau")

    def clean(self):
        data = super().clean()
        body, target = data.get("transfer_to"), data.get("target")
        if body and target == TransferTarget.LITIGATION and body.kind != "court":
            self.add_error("transfer_to", _("A transfer to litigation goes to a court."))
        if body and target == TransferTarget.RECONSIDERATION and body.kind != "justice_bureau":
            self.add_error("transfer_to", _("A transfer to reconsideration goes to the justice bureau."))
        return data


class FeedbackForm(ActionForm):
    feedback_on = past_date(_("Feedback letter received on"))
    feedback_note = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 3}))
    court_case_number = forms.CharField(label=_("Court case number"), required=False, max_length=64)


class WithdrawForm(ActionForm):
    reason_required = True
    withdrawn_on = past_date(_("Withdrawn on"))


class CopySentForm(ActionForm):
    copy_sent_on = past_date(_("Copy served on"))


class ReplyForm(ActionForm):
    reply_received_on = past_date(_("Reply received on"))


class HearingForm(ActionForm):
    hearing_at = forms.DateTimeField(label=_("Hearing at"), widget=DateTimeInput)
    hearing_place = forms.CharField(label=_("Place"), required=False, max_length=128)


class SuspendForm(ActionForm):
    reason_required = True
    suspended_on = past_date(_("Suspended on"))


class ResumeForm(ActionForm):
    resumed_on = past_date(_("Resumed on"))


class ExtendForm(ActionForm):
    reason_required = True
    days = forms.IntegerField(label=_("Extension (days)"), min_value=1, max_value=30)
    approved_by = forms.CharField(label=_("Approved by"), max_length=64)


class DecideForm(ActionForm):
    decision_type = forms.ChoiceField(label=_("Decision"), choices=DecisionType.choices)
    decided_on = past_date(_("Decided on"))
    decision_number = forms.CharField(label=_("Decision number"), required=False, max_length=64)
    duty_to_perform = forms.BooleanField(label=_("The agency must perform"), required=False)
    perform_by = forms.DateField(label=_("Perform by"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("decision_type") == DecisionType.ORDER_PERFORMANCE:
            # An order to perform is a duty to perform by definition (责令履行).
            data["duty_to_perform"] = True
        if data.get("duty_to_perform") and not data.get("perform_by"):
            self.add_error("perform_by", _("Give the performance deadline."))
        return data


class FileSuitForm(ActionForm):
    court = forms.ModelChoiceField(label=_("Court"), queryset=Organisation.objects.none())
    court_case_number = forms.CharField(label=_("Court case number"), max_length=64)
    filed_on = past_date(_("Filed on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["court"]).queryset = self.organisations("court")


class NoticeForm(ActionForm):
    received_on = past_date(_("Response notice received on"))


class AnswerForm(ActionForm):
    answered_on = past_date(_("Answer filed on"))


class CourtSessionForm(ActionForm):
    # The session has been held (the status says so): a future time is a typing error.
    session_at = forms.DateTimeField(
        label=_("Court session at"), widget=DateTimeInput, validators=[not_future_moment]
    )


class OutcomeForm(ActionForm):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=LitigationOutcome.choices)
    decided_on = past_date(_("Decided on"))
    agency_lost = YesNoField(
        label=_("Did the agency lose?"),
        choices=[("no", _("No")), ("yes", _("Yes"))],
        coerce=lambda v: v == "yes",
    )
    duty_to_perform = forms.BooleanField(label=_("The agency must perform"), required=False)
    perform_by = forms.DateField(label=_("Perform by"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("duty_to_perform") and not data.get("perform_by"):
            self.add_error("perform_by", _("Give the performance deadline."))
        return data


class AppealForm(ActionForm):
    appealed_on = past_date(_("Appealed on"))
    court = forms.ModelChoiceField(label=_("Court of second instance"), queryset=Organisation.objects.none())
    court_case_number = forms.CharField(label=_("Court case number"), required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The appeal court sits one level up: any court of the province will do.
        province = self.dispute.region.path.split("/")[1]
        cast(forms.ModelChoiceField, self.fields["court"]).queryset = Organisation.objects.filter(
            kind="court", region__path__startswith=f"/{province}/"
        )


class EffectiveForm(ActionForm):
    effective_on = past_date(_("In effect on"))


class PerformanceForm(ActionForm):
    performed_on = past_date(_("Performed on"))
    performance_note = forms.CharField(
        label=_("How it was performed"), widget=forms.Textarea(attrs={"rows": 3})
    )


class LossReportForm(ActionForm):
    submitted_on = past_date(_("Submitted on"))
    summary = forms.CharField(
        label=_("Loss analysis and performance plan"), widget=forms.Textarea(attrs={"rows": 4})
    )


class ReportForm(ActionForm):
    """报备 and 反馈 ask for nothing: the report is made when it is recorded (one click), and its
    remarks are optional."""


class RemedyForm(ActionForm):
    measures = forms.CharField(
        label=_("Remedial measures taken"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        help_text=_("What was done about the missed deadline, by whom and when."),
    )


class CloseForm(ActionForm):
    # Left out, the case is closed today (what clients sent before the date could be given).
    closed_on = past_date(_("Closed on"), required=False)
    closing_reason = forms.ChoiceField(
        label=_("Closing reason"),
        choices=[
            (c.value, c.label)
            for c in (ClosingReason.AGREEMENT_PERFORMED, ClosingReason.PERFORMED, ClosingReason.OTHER)
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the reasons that fit where the case stands: an agreement is performed, a decision is.
        fitting = {
            Status.AGREED: (ClosingReason.AGREEMENT_PERFORMED, ClosingReason.OTHER),
            Status.PERFORMANCE: (ClosingReason.PERFORMED, ClosingReason.OTHER),
        }.get(self.dispute.status)
        resolution = self.dispute.current_resolution
        if (
            self.dispute.status == Status.PERFORMANCE
            and resolution is not None
            and resolution.confirmation_result == "confirmed"
            and resolution.agreement_perform_by
        ):  # a judicially confirmed agreement, performed
            fitting = (ClosingReason.AGREEMENT_PERFORMED, ClosingReason.OTHER)
        if fitting:
            cast(forms.ChoiceField, self.fields["closing_reason"]).choices = [
                (c.value, c.label) for c in fitting
            ]

    def clean(self):
        data = super().clean()
        if "closed_on" in data and not data["closed_on"]:
            data["closed_on"] = timezone.localdate()
        return data
