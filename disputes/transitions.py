"""The dispute lifecycle: every transition declared once, with its sources, target, conditions and
the capability it needs. Services (``services.py``) are the only callers; they lock the row, run the
transition, write the timeline entry and save. The state chart in docs/ is drawn from these
declarations (``manage.py dispute_chart``).

``custom["capabilities"]``: any one of them lets a user run the transition (record-level reach is
checked separately by ``core.access``). ``custom["label"]`` is what the action button says.

A condition is a function of the dispute; its ``message`` (set with ``@explained``) is what the user is
told when it blocks an action the case's status would otherwise allow.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, transition

from core.roles import Capability

from .choices import AfterRefusal, CaseKind, ConfirmationResult, Status, TransferTarget

if TYPE_CHECKING:
    from collections.abc import Iterator
    from datetime import date

    from django_fsm import Transition

    from .models import Resolution

    class _DisputeFields:
        """What the transitions read of the ``Dispute`` they are mixed into, and the methods django-fsm
        adds to it at class creation (invisible to mypy)."""

        kind: str
        status: str
        status_before_suspension: str
        duty_to_perform: bool
        agency_lost: bool | None
        performed_on: date | None

        @property
        def current_resolution(self) -> Resolution | None: ...

        def get_all_status_transitions(self) -> Iterator[Transition]: ...
        def get_available_status_transitions(self) -> Iterator[Transition]: ...

    _Base = _DisputeFields
else:
    _Base = object

S = Status
C = Capability

RECON_OPEN = [S.RECON_ACCEPTED, S.RECON_REPLIED, S.RECON_HEARING]
LIT_OPEN = [S.LIT_FILED, S.LIT_NOTICED, S.LIT_ANSWERED, S.LIT_HEARD, S.LIT_APPEALED]


def may(*capabilities: str):
    def check(instance, user) -> bool:
        return any(user.can(c) for c in capabilities)

    return check


def _custom(label, *capabilities, tone="normal"):
    return {"label": label, "capabilities": capabilities, "tone": tone}


def explained(message):
    """Attach the user-facing reason a condition gives when it blocks (a translatable string: a
    docstring would never reach the message catalogue)."""

    def attach(condition):
        condition.message = message
        return condition

    return attach


# Conditions: a function of the dispute; its message is the reason shown when it blocks.
@explained(_("Only a member of a series whose lead case has reached an agreement can adopt it."))
def series_lead_agreed(dispute) -> bool:
    series = dispute.series
    if series is None or series.lead_id is None or series.lead_id == dispute.pk:
        return False
    lead_resolution = series.lead.current_resolution
    return bool(lead_resolution and lead_resolution.agreement_signed_on)


@explained(_("The decision must be performed and, when the agency lost, the loss analysis report filed."))
def performance_complete(dispute) -> bool:
    """The decision must be performed and, when the agency lost, the loss analysis report filed."""
    if dispute.status != S.PERFORMANCE:
        return True
    if dispute.duty_to_perform and not dispute.performed_on:
        return False
    return not (dispute.agency_lost and not dispute.loss_report_on)


@explained(_("Only a case the agency lost needs a loss analysis report."))
def agency_lost(dispute) -> bool:
    """Only a case the agency lost needs a loss analysis report."""
    return bool(dispute.agency_lost)


@explained(_("A mediator must be assigned first."))
def has_mediator(dispute) -> bool:
    """A mediator must be assigned first."""
    return dispute.assignments.exists()


@explained(_("The decision period can be extended once, by at most 30 days."))
def extension_unused(dispute) -> bool:
    """The decision period can be extended once, by at most 30 days."""
    recon = dispute.current_reconsideration
    return recon is not None and recon.extension_days == 0


@explained(_("The copy of the application has already been recorded as sent."))
def copy_not_sent(dispute) -> bool:
    """The copy of the application to the respondent is recorded once, before the reply (which shows it
    arrived)."""
    recon = dispute.current_reconsideration
    return recon is not None and recon.copy_sent_on is None and recon.reply_received_on is None


def _owes(dispute, rule_code: str) -> bool:
    """A clock of ``rule_code`` runs on the case: read from the rows the case page has already read
    (``clocks.deadline_rows``), else asked of the database."""
    from django.contrib.contenttypes.models import ContentType

    from deadlines.models import Deadline

    running = ("open", "paused")
    rows = dispute.__dict__.get("_deadline_rows")
    if rows is not None:
        return any(d.rule.code == rule_code and d.status in running for d in rows)
    return Deadline.objects.filter(
        subject_type=ContentType.objects.get_for_model(dispute),
        subject_id=dispute.pk,
        rule__code=rule_code,
        status__in=running,
    ).exists()


@explained(_("No receipt is waiting to be reported (报备) on this case."))
def owes_report(dispute) -> bool:
    """A response notice, appeal, summons or effective judgment reached the agency and it has not
    reported it to the centre yet (the running 报备 clock)."""
    return _owes(dispute, "report_receipt")


@explained(_("No feedback (反馈) is waiting on this case."))
def owes_feedback(dispute) -> bool:
    """The agency answered, appeared or performed and has not reported back yet (the running 反馈 clock)."""
    return _owes(dispute, "feedback")


@explained(_("The case has no open remedy task (补救)."))
def has_open_remedy(dispute) -> bool:
    from deadlines.remedies import may_have_remedy, open_remedies_of

    rows = dispute.__dict__.get("_deadline_rows")
    if rows is not None and not any(may_have_remedy(d) for d in rows):
        return False  # none of the clocks the page has read can have opened one: no query
    return open_remedies_of(dispute).exists()


class DisputeLifecycle(_Base):
    """Mixed into ``Dispute``; the FSM field is ``status``."""

    # --- intake ---------------------------------------------------------------------------------
    @transition(
        field="status",
        source=S.REGISTERED,
        target=RETURN_VALUE(S.ACCEPTED, S.RECON_ACCEPTED),
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Accept"), C.MANAGE_CASES, tone="primary"),
    )
    def accept(self):
        return S.RECON_ACCEPTED if self.kind == CaseKind.RECONSIDERATION else S.ACCEPTED

    @transition(
        field="status",
        source=S.REGISTERED,
        target=S.CORRECTION,
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Request correction"), C.MANAGE_CASES),
    )
    def request_correction(self):
        pass

    @transition(
        field="status",
        source=S.CORRECTION,
        target=S.REGISTERED,
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Record corrected materials"), C.MANAGE_CASES),
    )
    def supply_correction(self):
        pass

    @transition(
        field="status",
        source=[S.REGISTERED, S.CORRECTION],
        target=S.REJECTED,
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Do not accept"), C.MANAGE_CASES, tone="danger"),
    )
    def reject(self):
        pass

    # --- resolution at the centre ------------------------------------------------------------
    @transition(
        field="status",
        source=[S.ACCEPTED, S.MEDIATING],
        target=S.MEDIATING,
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Assign mediators"), C.MANAGE_CASES, tone="primary"),
    )
    def assign_mediators(self):
        pass

    @transition(
        field="status",
        source=S.MEDIATING,
        target=None,
        conditions=[has_mediator],
        permission=may(C.MEDIATE, C.MANAGE_CASES),
        custom=_custom(_("Record a session"), C.MEDIATE, C.MANAGE_CASES),
    )
    def record_session(self):
        pass

    @transition(
        field="status",
        source=S.MEDIATING,
        target=S.AGREED,
        conditions=[has_mediator],
        permission=may(C.MEDIATE, C.MANAGE_CASES),
        custom=_custom(_("Record agreement"), C.MEDIATE, C.MANAGE_CASES, tone="primary"),
    )
    def reach_agreement(self):
        pass

    @transition(
        field="status",
        source=[S.ACCEPTED, S.MEDIATING],
        target=S.AGREED,
        conditions=[series_lead_agreed],
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Adopt the series agreement"), C.MANAGE_CASES),
    )
    def adopt_series_agreement(self):
        pass

    @transition(
        field="status",
        source=S.AGREED,
        target=S.CONFIRMATION_REQUESTED,
        permission=may(C.MANAGE_CASES, C.MEDIATE),
        custom=_custom(_("Apply for judicial confirmation"), C.MANAGE_CASES, C.MEDIATE, tone="primary"),
    )
    def request_confirmation(self):
        pass

    @transition(
        field="status",
        source=S.CONFIRMATION_REQUESTED,
        target=RETURN_VALUE(S.CLOSED, S.PERFORMANCE, S.MEDIATING, S.FAILED),
        permission=may(C.RECORD_LITIGATION, C.MANAGE_CASES),
        custom=_custom(
            _("Record judicial confirmation"), C.RECORD_LITIGATION, C.MANAGE_CASES, tone="primary"
        ),
    )
    def confirm(self, result: str = ConfirmationResult.CONFIRMED, after_refusal: str = ""):
        """Confirmed, the case is closed; or, when the agreement sets a day to perform by, it stays open
        until the agency has performed (then it is closed). Refused (not confirmed, or the application
        dismissed), it goes back to the centre's resolution, or to failed, as the clerk records (the
        court's reasons on the resolution row)."""
        if result == ConfirmationResult.CONFIRMED:
            resolution = self.current_resolution
            if resolution is not None and resolution.agreement_perform_by and not self.performed_on:
                return S.PERFORMANCE
            return S.CLOSED
        return S.FAILED if after_refusal == AfterRefusal.FAILED else S.MEDIATING

    @transition(
        field="status",
        source=[S.ACCEPTED, S.MEDIATING],
        target=S.FAILED,
        permission=may(C.MEDIATE, C.MANAGE_CASES),
        custom=_custom(_("Resolution failed"), C.MEDIATE, C.MANAGE_CASES, tone="danger"),
    )
    def fail(self):
        pass

    @transition(
        field="status",
        source=S.FAILED,
        target=S.TRANSFERRED,
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Transfer"), C.MANAGE_CASES, tone="primary"),
    )
    def transfer(self):
        pass

    @transition(
        field="status",
        source=S.TRANSFERRED,
        target=RETURN_VALUE(S.RECON_ACCEPTED, S.LIT_FILED),
        permission=may(C.MANAGE_CASES, C.RECORD_LITIGATION),
        custom=_custom(_("Record feedback letter"), C.MANAGE_CASES, C.RECORD_LITIGATION, tone="primary"),
    )
    def receive_feedback(self):
        resolution = self.current_resolution
        if resolution and resolution.transfer_target == TransferTarget.LITIGATION:
            return S.LIT_FILED
        return S.RECON_ACCEPTED

    @transition(
        field="status",
        source=[
            S.REGISTERED,
            S.CORRECTION,
            S.ACCEPTED,
            S.MEDIATING,
            S.AGREED,
            *RECON_OPEN,
            S.RECON_SUSPENDED,
        ],
        target=S.CLOSED,
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Record withdrawal"), C.MANAGE_CASES, tone="danger"),
    )
    def withdraw(self):
        pass

    # --- reconsideration -------------------------------------------------------------------------
    # 第四十八条: the copy goes to the respondent within 7 working days (3 in the simplified procedure);
    # its reply's 10 (5) working days run from its receipt.
    @transition(
        field="status",
        source=[S.RECON_ACCEPTED, S.RECON_HEARING],
        target=None,
        conditions=[copy_not_sent],
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Record the copy sent to the respondent"), C.MANAGE_CASES),
    )
    def send_copy(self):
        pass

    @transition(
        field="status",
        source=S.RECON_ACCEPTED,
        target=S.RECON_REPLIED,
        permission=may(C.MANAGE_CASES, C.AGENCY_FEEDBACK),
        custom=_custom(_("Record respondent's reply"), C.MANAGE_CASES, C.AGENCY_FEEDBACK, tone="primary"),
    )
    def record_reply(self):
        pass

    @transition(
        field="status",
        source=[S.RECON_ACCEPTED, S.RECON_REPLIED, S.RECON_HEARING],
        target=S.RECON_HEARING,
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Schedule hearing"), C.MANAGE_CASES),
    )
    def schedule_hearing(self):
        pass

    @transition(
        field="status",
        source=RECON_OPEN,
        target=S.RECON_SUSPENDED,
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Suspend"), C.MANAGE_CASES),
    )
    def suspend(self):
        self.status_before_suspension = self.status

    @transition(
        field="status",
        source=S.RECON_SUSPENDED,
        target=RETURN_VALUE(*RECON_OPEN),
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Resume"), C.MANAGE_CASES, tone="primary"),
    )
    def resume(self):
        previous = self.status_before_suspension or S.RECON_ACCEPTED
        self.status_before_suspension = ""
        return previous

    @transition(
        field="status",
        source=RECON_OPEN,
        target=None,
        conditions=[extension_unused],
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Extend the decision period"), C.MANAGE_CASES),
    )
    def extend(self):
        pass

    @transition(
        field="status",
        source=RECON_OPEN,
        target=S.RECON_DECIDED,
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Record decision"), C.MANAGE_CASES, tone="primary"),
    )
    def decide(self):
        pass

    # --- litigation ---------------------------------------------------------------------------
    @transition(
        field="status",
        source=[S.RECON_DECIDED, S.REGISTERED],
        target=S.LIT_FILED,
        permission=may(C.RECORD_LITIGATION),
        custom=_custom(_("Record lawsuit filed"), C.RECORD_LITIGATION),
    )
    def file_suit(self):
        pass

    @transition(
        field="status",
        source=S.LIT_FILED,
        target=S.LIT_NOTICED,
        permission=may(C.AGENCY_FEEDBACK, C.RECORD_LITIGATION),
        custom=_custom(
            _("Report response notice received"), C.AGENCY_FEEDBACK, C.RECORD_LITIGATION, tone="primary"
        ),
    )
    def receive_notice(self):
        pass

    @transition(
        field="status",
        source=S.LIT_NOTICED,
        target=S.LIT_ANSWERED,
        permission=may(C.AGENCY_FEEDBACK, C.RECORD_LITIGATION),
        custom=_custom(_("Record answer filed"), C.AGENCY_FEEDBACK, C.RECORD_LITIGATION, tone="primary"),
    )
    def file_answer(self):
        pass

    @transition(
        field="status",
        source=[S.LIT_ANSWERED, S.LIT_HEARD],
        target=S.LIT_HEARD,
        permission=may(C.RECORD_LITIGATION),
        custom=_custom(_("Record court session"), C.RECORD_LITIGATION),
    )
    def hold_session(self):
        pass

    @transition(
        field="status",
        source=LIT_OPEN,
        target=S.LIT_DECIDED,
        permission=may(C.RECORD_LITIGATION),
        custom=_custom(_("Record court outcome"), C.RECORD_LITIGATION, tone="primary"),
    )
    def record_outcome(self):
        pass

    @transition(
        field="status",
        source=S.LIT_DECIDED,
        target=S.LIT_APPEALED,
        permission=may(C.RECORD_LITIGATION),
        custom=_custom(_("Record appeal"), C.RECORD_LITIGATION),
    )
    def appeal(self):
        pass

    @transition(
        field="status",
        source=[S.LIT_DECIDED, S.RECON_DECIDED],
        target=RETURN_VALUE(S.PERFORMANCE, S.CLOSED),
        permission=may(C.RECORD_LITIGATION, C.MANAGE_CASES),
        custom=_custom(_("Record decision in effect"), C.RECORD_LITIGATION, C.MANAGE_CASES, tone="primary"),
    )
    def take_effect(self):
        return S.PERFORMANCE if (self.duty_to_perform or self.agency_lost) else S.CLOSED

    # --- after the decision ---------------------------------------------------------------------
    @transition(
        field="status",
        source=S.PERFORMANCE,
        target=None,
        permission=may(C.AGENCY_FEEDBACK, C.MANAGE_CASES),
        custom=_custom(_("Record performance"), C.AGENCY_FEEDBACK, C.MANAGE_CASES, tone="primary"),
    )
    def record_performance(self):
        pass

    @transition(
        field="status",
        source=S.PERFORMANCE,
        target=None,
        conditions=[agency_lost],
        permission=may(C.AGENCY_FEEDBACK, C.MANAGE_CASES),
        custom=_custom(_("File loss analysis report"), C.AGENCY_FEEDBACK, C.MANAGE_CASES),
    )
    def file_loss_report(self):
        pass

    # --- the agency's duties to the centre (seed 003: 报备, 反馈, 补救), at any stage -----------------
    @transition(
        field="status",
        source="*",
        target=None,
        conditions=[owes_report],
        permission=may(C.AGENCY_FEEDBACK, C.MANAGE_CASES),
        custom=_custom(_("Report receipt (报备)"), C.AGENCY_FEEDBACK, C.MANAGE_CASES, tone="primary"),
    )
    def report_receipt(self):
        pass

    @transition(
        field="status",
        source="*",
        target=None,
        conditions=[owes_feedback],
        permission=may(C.AGENCY_FEEDBACK, C.MANAGE_CASES),
        custom=_custom(_("Report back (反馈)"), C.AGENCY_FEEDBACK, C.MANAGE_CASES, tone="primary"),
    )
    def report_feedback(self):
        pass

    @transition(
        field="status",
        source="*",
        target=None,
        conditions=[has_open_remedy],
        permission=may(C.AGENCY_FEEDBACK, C.MANAGE_CASES),
        custom=_custom(_("Record remedial measures (补救)"), C.AGENCY_FEEDBACK, C.MANAGE_CASES),
    )
    def record_remedy(self):
        pass

    @transition(
        field="status",
        source=[S.AGREED, S.PERFORMANCE],
        target=S.CLOSED,
        conditions=[performance_complete],
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Close the case"), C.MANAGE_CASES, tone="primary"),
    )
    def close(self):
        pass

    @transition(
        field="status",
        # A closed or rejected case, or a decided one whose follow-up finds the dispute can still be
        # resolved in substance (the followups app's visit): a new resolution attempt.
        source=[S.CLOSED, S.REJECTED, S.RECON_DECIDED, S.PERFORMANCE],
        target=S.ACCEPTED,
        permission=may(C.MANAGE_CASES),
        custom=_custom(_("Reopen"), C.MANAGE_CASES),
    )
    def reopen(self):
        pass
