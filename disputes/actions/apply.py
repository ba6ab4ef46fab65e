"""What each lifecycle action records on the case's rows. The runner
(``services.dispute_transition``) has already checked and transitioned when these run."""

from __future__ import annotations

from django.utils import timezone

from core import workdays
from core.models import User

from ..choices import ClosingReason, Instance, Status
from ..models import Dispute, Litigation, MediatorAssignment, Reconsideration, Resolution, ResolutionSession


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
        Resolution.objects.create(
            dispute=d, accepted_on=data["accepted_on"], due_on=workdays.add_days(data["accepted_on"], 30)
        )


def _assign(d: Dispute, actor: User, data: dict) -> None:
    for mediator in data["mediators"]:
        MediatorAssignment.objects.get_or_create(
            dispute=d, mediator=mediator, defaults={"assigned_by": actor}
        )


def _session(d: Dispute, actor: User, data: dict) -> None:
    resolution = d.current_resolution
    assert resolution is not None  # opened when the case was accepted; sessions come after
    ResolutionSession.objects.create(
        resolution=resolution,
        held_on=data["held_on"],
        place=data["place"],
        participants=data["participants"],
        summary=data["summary"],
        intent=data.get("intent", False),
        recorded_by=actor,
    )


def _agreement(d: Dispute, actor: User, data: dict) -> None:
    r = d.current_resolution
    assert r is not None  # opened when the case was accepted; an agreement comes after
    r.agreement_terms, r.agreement_signed_on, r.agreement_perform_by = (
        data["agreement_terms"],
        data["signed_on"],
        data.get("perform_by"),
    )
    r.save()


def _confirmation_request(d, actor, data):
    r = d.current_resolution
    r.confirmation_court, r.confirmation_requested_on = data["court"], data["requested_on"]
    # A new application (after a refusal): the earlier ruling stays in the row's history and the timeline.
    r.confirmation_result, r.confirmed_on, r.confirmation_number, r.confirmation_refusal_reasons = (
        "",
        None,
        "",
        "",
    )
    r.save()


def _confirm(d, actor, data):
    r = d.current_resolution
    r.confirmation_result = data["result"]
    r.confirmed_on, r.confirmation_number = data["confirmed_on"], data["confirmation_number"]
    r.confirmation_refusal_reasons = data["court_reasons"]
    if d.status == Status.FAILED:
        r.failure_reason = data["court_reasons"]
    r.save()
    if d.status == Status.CLOSED:
        _closing(d, ClosingReason.CONFIRMED, data)
    if d.status == Status.PERFORMANCE:  # the agreement is performed by its own day, then the case closes
        d.duty_to_perform, d.perform_by = True, r.agreement_perform_by


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


def _copy_sent(d, actor, data):
    _update(d.current_reconsideration, copy_sent_on=data["copy_sent_on"])


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
    # A decided case still owes its performance (the duty and its clock stay); a closed one starts anew.
    d.closing_reason, d.closing_note, d.closed_at = "", "", None
    if data.get("_from") in (Status.CLOSED, Status.REJECTED):
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
