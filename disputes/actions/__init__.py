"""What each lifecycle action asks for and what it records.

Every action has an input form (``forms.py``: used by the HTML page and by the API alike, so
validation and its messages are the same everywhere) and an apply step (``apply.py``) that records
the action's data on the case's rows. ``services.dispute_transition`` runs them: lock, check,
transition, apply, timeline, save.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from core.models import User

from ..choices import ConfirmationResult
from ..models import Dispute
from .apply import (
    _accept,
    _agreement,
    _answer,
    _appeal,
    _assign,
    _close,
    _confirm,
    _confirmation_request,
    _copy_sent,
    _court_session,
    _decide,
    _effective,
    _extend,
    _fail,
    _feedback,
    _file_suit,
    _hearing,
    _loss_report,
    _nothing,
    _notice,
    _outcome,
    _performance,
    _reopen,
    _reply,
    _resume,
    _session,
    _suspend,
    _transfer,
    _withdraw,
)
from .forms import (
    AcceptForm,
    ActionForm,
    AgreementForm,
    AnswerForm,
    AppealForm,
    AssignMediatorsForm,
    CloseForm,
    ConfirmationRequestForm,
    ConfirmForm,
    CopySentForm,
    CorrectionForm,
    CourtSessionForm,
    DecideForm,
    EffectiveForm,
    ExtendForm,
    FeedbackForm,
    FileSuitForm,
    HearingForm,
    LossReportForm,
    NoteRequiredForm,
    NoticeForm,
    OutcomeForm,
    PerformanceForm,
    RemedyForm,
    ReplyForm,
    ReportForm,
    ResumeForm,
    SessionForm,
    SuspendForm,
    TransferForm,
    WithdrawForm,
)


@dataclass(frozen=True)
class Action:
    form: type[ActionForm]
    apply: Callable[[Dispute, User, dict], None]
    document: str = ""  # the document the action produces (issued by the documents app)
    # For an action whose next status depends on its input (the court's ruling on confirmation): the
    # keyword arguments its transition method takes, from the cleaned input.
    route: Callable[[dict], dict] | None = None
    # For an action whose document depends on its input: the document, from the cleaned input.
    document_if: Callable[[dict], bool] | None = None

    def transition_kwargs(self, data: dict) -> dict:
        return self.route(data) if self.route else {}

    def document_for(self, data: dict) -> str:
        """The document this run of the action produces ("" for none)."""
        if self.document_if is not None and not self.document_if(data):
            return ""
        return self.document


def _ruling(data: dict) -> dict:
    return {"result": data["result"], "after_refusal": data.get("after_refusal", "")}


def _confirmed(data: dict) -> bool:
    # The centre's confirmation document (化解确认书) records a confirmed agreement, never a refusal.
    return data["result"] == ConfirmationResult.CONFIRMED


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
    "confirm": Action(ConfirmForm, _confirm, "confirmation", route=_ruling, document_if=_confirmed),
    "fail": Action(NoteRequiredForm, _fail),
    "transfer": Action(TransferForm, _transfer, "transfer_letter"),
    "receive_feedback": Action(FeedbackForm, _feedback, "feedback_letter"),
    "withdraw": Action(WithdrawForm, _withdraw),
    "send_copy": Action(CopySentForm, _copy_sent),
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
    "report_receipt": Action(ReportForm, _nothing),
    "report_feedback": Action(ReportForm, _nothing),
    "record_remedy": Action(RemedyForm, _nothing),
    "close": Action(CloseForm, _close),
    "reopen": Action(NoteRequiredForm, _reopen),
}
