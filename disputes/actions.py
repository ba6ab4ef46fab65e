"""What each lifecycle action asks for and what it records.

Every action has an input form (used by the HTML page and by the API alike, so validation and its
messages are the same everywhere) and an ``apply`` step that records the action's data on the case's
rows. ``services.dispute_transition`` runs them: lock, check, transition, apply, timeline, save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workdays
from core.models import Organisation, User
from core.roles import Role
from core.widgets import DateInput, DateTimeInput

from .choices import ClosingReason, DecisionType, Instance, LitigationOutcome, Status, TransferTarget
from .models import Dispute, Litigation, MediatorAssignment, Reconsideration, Resolution, ResolutionSession


def not_future(value: date) -> None:
    if value and value > timezone.localdate():
        raise ValidationError(_("This date is in the future."), code="future")


def not_future_moment(value) -> None:
    if value and value > timezone.now():
        raise ValidationError(_("This date is in the future."), code="future")


def not_before(form: forms.Form, field: str, earlier: date | None, message) -> None:
    """Add ``message`` to ``field`` when its (cleaned) date precedes ``earlier``, a date on record."""
    value = form.cleaned_data.get(field)
    if value and earlier and value < earlier:
        form.add_error(field, ValidationError(message, code="order"))


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

    def __init__(self, *args, dispute: Dispute, **kwargs):
        self.dispute = dispute
        super().__init__(*args, **kwargs)
        if self.reason_required:
            self.fields["reason"].required = True
            self.fields["reason"].label = _("Reason")

    def organisations(self, kind: str):
        return Organisation.objects.filter(
            kind=kind,
            is_active=True,
            region__path__startswith=self.dispute.region.path[:-1].rsplit("/", 1)[0] + "/",
        )


class AcceptForm(ActionForm):
    accepted_on = past_date(_("Accepted on"))
    simplified = forms.BooleanField(label=_("Simplified procedure"), required=False)

    def clean_accepted_on(self):
        value = self.cleaned_data["accepted_on"]
        if value < self.dispute.received_on:
            raise ValidationError(_("Acceptance cannot precede receipt of the application."), code="order")
        return value


class CorrectionForm(ActionForm):
    items = forms.CharField(label=_("Materials to supply"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteRequiredForm(ActionForm):
    reason_required = True


class AssignMediatorsForm(ActionForm):
    mediators = forms.ModelMultipleChoiceField(label=_("Mediators"), queryset=User.objects.none())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediators"].queryset = (
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


class AgreementForm(ActionForm):
    agreement_terms = forms.CharField(
        label=_("Agreement and performance terms"), widget=forms.Textarea(attrs={"rows": 4})
    )
    signed_on = past_date(_("Signed on"))
    perform_by = forms.DateField(label=_("To be performed by"), required=False, widget=DateInput)

    def clean(self):
        data = super().clean()
        if data.get("perform_by") and data.get("signed_on") and data["perform_by"] < data["signed_on"]:
            self.add_error("perform_by", _("The performance date cannot precede the signing date."))
        return data


class ConfirmationRequestForm(ActionForm):
    court = forms.ModelChoiceField(label=_("Court"), queryset=Organisation.objects.none())
    requested_on = past_date(_("Applied on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = self.organisations("court")


class ConfirmForm(ActionForm):
    confirmed_on = past_date(_("Confirmed on"))
    confirmation_number = forms.CharField(label=_("Confirmation ruling number"), max_length=64)

    def clean(self):
        data = super().clean()
        resolution = self.dispute.current_resolution
        not_before(
            self,
            "confirmed_on",
            resolution and resolution.confirmation_requested_on,
            _("Confirmation cannot precede the application for it."),
        )
        return data


class TransferForm(ActionForm):
    target = forms.ChoiceField(label=_("Transfer to"), choices=TransferTarget.choices)
    transfer_to = forms.ModelChoiceField(label=_("Receiving body"), queryset=Organisation.objects.none())
    transferred_on = past_date(_("Transferred on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transfer_to"].queryset = self.organisations("court") | self.organisations(
            "justice_bureau"
        )

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

    def clean_resumed_on(self):
        value = self.cleaned_data["resumed_on"]
        recon = self.dispute.current_reconsideration
        if recon and recon.suspended_on and value < recon.suspended_on:
            raise ValidationError(_("Resumption cannot precede the suspension."), code="order")
        return value


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
        recon = self.dispute.current_reconsideration
        not_before(
            self, "decided_on", recon and recon.accepted_on, _("The decision cannot precede the acceptance.")
        )
        return data


class FileSuitForm(ActionForm):
    court = forms.ModelChoiceField(label=_("Court"), queryset=Organisation.objects.none())
    court_case_number = forms.CharField(label=_("Court case number"), max_length=64)
    filed_on = past_date(_("Filed on"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["court"].queryset = self.organisations("court")


class NoticeForm(ActionForm):
    received_on = past_date(_("Response notice received on"))


class AnswerForm(ActionForm):
    answered_on = past_date(_("Answer filed on"))

    def clean(self):
        data = super().clean()
        litigation = self.dispute.current_litigation
        not_before(
            self,
            "answered_on",
            litigation and litigation.notice_received_on,
            _("The answer cannot precede the response notice."),
        )
        return data


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
        self.fields["court"].queryset = Organisation.objects.filter(
            kind="court", region__path__startswith=f"/{province}/"
        )


class EffectiveForm(ActionForm):
    effective_on = past_date(_("In effect on"))

    def clean(self):
        data = super().clean()
        if self.dispute.status == Status.LIT_DECIDED:
            litigation = self.dispute.current_litigation
            decided = litigation and litigation.decided_on
        else:
            recon = self.dispute.current_reconsideration
            decided = recon and recon.decided_on
        not_before(self, "effective_on", decided, _("A decision cannot take effect before it is made."))
        return data


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


class CloseForm(ActionForm):
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
        if fitting:
            self.fields["closing_reason"].choices = [(c.value, c.label) for c in fitting]


# --- apply steps: record the action's data; the runner has already checked and transitioned ---


def _accept(d: Dispute, actor: User, data: dict) -> None:
    if d.status == Status.RECON_ACCEPTED:
        accepted = data["accepted_on"]
        Reconsideration.objects.create(
            dispute=d,
            accepted_on=accepted,
            simplified=data.get("simplified", False),
            reply_due=None,
        )
    else:
        Resolution.objects.create(dispute=d, due_on=workdays.add_days(data["accepted_on"], 30))


def _assign(d: Dispute, actor: User, data: dict) -> None:
    for mediator in data["mediators"]:
        MediatorAssignment.objects.get_or_create(
            dispute=d, mediator=mediator, defaults={"assigned_by": actor}
        )


def _session(d: Dispute, actor: User, data: dict) -> None:
    ResolutionSession.objects.create(
        resolution=d.current_resolution,
        held_on=data["held_on"],
        place=data["place"],
        participants=data["participants"],
        summary=data["summary"],
        recorded_by=actor,
    )


def _agreement(d: Dispute, actor: User, data: dict) -> None:
    r = d.current_resolution
    r.agreement_terms, r.agreement_signed_on, r.agreement_perform_by = (
        data["agreement_terms"],
        data["signed_on"],
        data.get("perform_by"),
    )
    r.save()


def _confirmation_request(d, actor, data):
    r = d.current_resolution
    r.confirmation_court, r.confirmation_requested_on = data["court"], data["requested_on"]
    r.save()


def _confirm(d, actor, data):
    r = d.current_resolution
    r.confirmed_on, r.confirmation_number = data["confirmed_on"], data["confirmation_number"]
    r.save()
    _closing(d, ClosingReason.CONFIRMED, data)


def _fail(d, actor, data):
    r = d.current_resolution
    r.failure_reason = data["reason"]
    r.save()


def _transfer(d, actor, data):
    r = d.current_resolution
    r.transfer_target, r.transfer_to, r.transferred_on = (
        data["target"],
        data["transfer_to"],
        data["transferred_on"],
    )
    r.save()


def _feedback(d, actor, data):
    r = d.current_resolution
    r.feedback_on, r.feedback_note = data["feedback_on"], data["feedback_note"]
    r.save()
    if d.status == Status.LIT_FILED:
        Litigation.objects.create(
            dispute=d,
            court=r.transfer_to,
            court_case_number=data.get("court_case_number", ""),
            filed_on=data["feedback_on"],
        )
    else:
        Reconsideration.objects.create(dispute=d, accepted_on=data["feedback_on"])


def _withdraw(d, actor, data):
    _closing(d, ClosingReason.WITHDRAWN, data)


def _reply(d, actor, data):
    _update(d.current_reconsideration, reply_received_on=data["reply_received_on"])


def _hearing(d, actor, data):
    _update(d.current_reconsideration, hearing_at=data["hearing_at"], hearing_place=data["hearing_place"])


def _suspend(d, actor, data):
    _update(d.current_reconsideration, suspended_on=data["suspended_on"], suspension_reason=data["reason"])


def _resume(d, actor, data):
    recon = d.current_reconsideration
    paused = (data["resumed_on"] - recon.suspended_on).days if recon.suspended_on else 0
    _update(recon, suspended_days=recon.suspended_days + max(paused, 0), suspended_on=None)


def _extend(d, actor, data):
    _update(
        d.current_reconsideration,
        extension_days=data["days"],
        extension_reason=data["reason"],
        extension_approved_by=data["approved_by"],
    )


def _decide(d, actor, data):
    _update(
        d.current_reconsideration,
        decision_type=data["decision_type"],
        decided_on=data["decided_on"],
        decision_number=data["decision_number"],
    )
    d.duty_to_perform, d.perform_by = data["duty_to_perform"], data.get("perform_by")
    _clear_performance(d)


def _file_suit(d, actor, data):
    Litigation.objects.create(
        dispute=d, court=data["court"], court_case_number=data["court_case_number"], filed_on=data["filed_on"]
    )


def _notice(d, actor, data):
    _update(
        d.current_litigation,
        notice_received_on=data["received_on"],
        answer_due=workdays.add_days(data["received_on"], 15),
    )


def _answer(d, actor, data):
    _update(d.current_litigation, answered_on=data["answered_on"])


def _court_session(d, actor, data):
    _update(d.current_litigation, session_at=data["session_at"])


def _outcome(d, actor, data):
    _update(
        d.current_litigation,
        outcome=data["outcome"],
        decided_on=data["decided_on"],
        agency_lost=data["agency_lost"],
    )
    d.agency_lost = data["agency_lost"]
    d.duty_to_perform, d.perform_by = data["duty_to_perform"], data.get("perform_by")
    _clear_performance(d)


def _appeal(d, actor, data):
    _update(d.current_litigation, appealed_on=data["appealed_on"])
    Litigation.objects.create(
        dispute=d,
        court=data["court"],
        court_case_number=data["court_case_number"],
        trial_level=Instance.SECOND,
        filed_on=data["appealed_on"],
    )


def _effective(d, actor, data):
    # From a court decision the litigation takes effect; from a reconsideration decision, the decision.
    if data["_from"] == Status.LIT_DECIDED:
        _update(d.current_litigation, effective_on=data["effective_on"])
    if d.status == Status.CLOSED:
        reason = (
            ClosingReason.JUDGMENT_EFFECTIVE
            if data["_from"] == Status.LIT_DECIDED
            else ClosingReason.RECON_DECIDED
        )
        _closing(d, reason, data)


def _performance(d, actor, data):
    d.performed_on, d.performance_note = data["performed_on"], data["performance_note"]


def _loss_report(d, actor, data):
    d.loss_report_on, d.loss_report_summary = data["submitted_on"], data["summary"]


def _close(d, actor, data):
    _closing(d, data["closing_reason"], data)


def _reopen(d, actor, data):
    # A new resolution attempt; what was recorded before stays on its rows, the timeline and history.
    d.closing_reason, d.closing_note, d.closed_at = "", "", None
    d.duty_to_perform, d.perform_by, d.agency_lost = False, None, None
    _clear_performance(d)
    Resolution.objects.create(dispute=d, due_on=workdays.add_days(timezone.localdate(), 30))


def _clear_performance(d: Dispute) -> None:
    """A new decision starts a new performance: an earlier one's report must not satisfy its checks."""
    d.performed_on, d.performance_note = None, ""
    d.loss_report_on, d.loss_report_summary = None, ""


def _nothing(d, actor, data):
    pass


def _update(row, **fields) -> None:
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


def _closing(d: Dispute, reason: str, data: dict) -> None:
    d.closing_reason = reason
    d.closing_note = data.get("reason", "")
    d.closed_at = timezone.now()


@dataclass(frozen=True)
class Action:
    form: type[ActionForm]
    apply: Callable[[Dispute, User, dict], None]
    document: str = ""  # the document the action produces (issued by the documents app)


ACTIONS: dict[str, Action] = {
    "accept": Action(AcceptForm, _accept, "acceptance_notice"),
    "request_correction": Action(CorrectionForm, _nothing, "correction_notice"),
    "supply_correction": Action(NoteRequiredForm, _nothing),
    "reject": Action(NoteRequiredForm, _nothing, "rejection_decision"),
    "assign_mediators": Action(AssignMediatorsForm, _assign),
    "record_session": Action(SessionForm, _session),
    "reach_agreement": Action(AgreementForm, _agreement, "resolution_agreement"),
    "adopt_series_agreement": Action(AgreementForm, _agreement, "resolution_agreement"),
    "request_confirmation": Action(ConfirmationRequestForm, _confirmation_request),
    "confirm": Action(ConfirmForm, _confirm, "confirmation"),
    "fail": Action(NoteRequiredForm, _fail),
    "transfer": Action(TransferForm, _transfer, "transfer_letter"),
    "receive_feedback": Action(FeedbackForm, _feedback, "feedback_letter"),
    "withdraw": Action(WithdrawForm, _withdraw),
    "record_reply": Action(ReplyForm, _reply),
    "schedule_hearing": Action(HearingForm, _hearing, "hearing_notice"),
    "suspend": Action(SuspendForm, _suspend),
    "resume": Action(ResumeForm, _resume),
    "extend": Action(ExtendForm, _extend),
    "decide": Action(DecideForm, _decide),
    "file_suit": Action(FileSuitForm, _file_suit),
    "receive_notice": Action(NoticeForm, _notice),
    "file_answer": Action(AnswerForm, _answer),
    "hold_session": Action(CourtSessionForm, _court_session),
    "record_outcome": Action(OutcomeForm, _outcome),
    "appeal": Action(AppealForm, _appeal),
    "take_effect": Action(EffectiveForm, _effective),
    "record_performance": Action(PerformanceForm, _performance),
    "file_loss_report": Action(LossReportForm, _loss_report, "loss_analysis_report"),
    "close": Action(CloseForm, _close),
    "reopen": Action(NoteRequiredForm, _reopen),
}
