"""The stored deadlines of a case, planned by its own events: the one place in ``disputes`` that says
which action starts, meets, pauses, resumes, extends or ends which clock (docs/deadlines.md).

``STEPS`` is the table: for each lifecycle action (and ``register``, the entry event) what it does to
the case's clocks. ``follow`` reads it; it is registered as a seam transition handler first of all
(``apps.py``), so it runs inside the action's transaction, after the transition, before the apps
above react. A clock the case's data cannot support (no date to count from) is not planned; a date the
clock refuses (a performance date before the decision) refuses the action with a message on its field.

Keys: a clock of a stage row (a reconsideration, a litigation instance, a resolution) is keyed by the
row's id, so a case that returns to a stage gets fresh clocks beside the old ones' record. Meeting,
pausing and cancelling act on every running clock of the rule, whatever its key.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from core import workdays
from deadlines import services as clocks
from deadlines.arithmetic import explain
from deadlines.models import Deadline, DeadlineRule, Remedy
from deadlines.models import Status as ClockStatus
from deadlines.remedies import may_have_remedy, remedy_record

from .choices import CaseKind, LitigationOutcome, Status
from .clocks import RUNNING, case_deadlines, deadline_rows
from .models import Dispute

if TYPE_CHECKING:
    from core.models import Organisation

    from .seam import TransitionContext

logger = logging.getLogger(__name__)


# Which body answers for a clock.
RESPONDENT, CENTRE, COURT = "respondent", "centre", "court"

DateOf = Callable[["TransitionContext"], date | None]
TextOf = Callable[["TransitionContext"], str]
When = Callable[["TransitionContext"], bool]


def _input(name: str) -> DateOf:
    """A date (or the day of a date-time) from the action's input."""

    def read(context: TransitionContext) -> date | None:
        value = context.data.get(name)
        if value is None:
            return None
        if hasattr(value, "date") and callable(value.date):  # a datetime: its day in Beijing
            return timezone.localtime(value, workdays.SHANGHAI).date()
        return value

    return read


def _event_day(context: TransitionContext) -> date:
    """The day the action was recorded (for actions whose form asks no date)."""
    return timezone.localtime(context.event.at, workdays.SHANGHAI).date()


def _received_on(context: TransitionContext) -> date | None:
    return context.dispute.received_on


def _recon_accepted_on(context: TransitionContext) -> date | None:
    recon = context.dispute.current_reconsideration
    return recon.accepted_on if recon else None


def _row_key(relation: str) -> TextOf:
    def key(context: TransitionContext) -> str:
        row = context.dispute.current_row(relation)
        return str(row.pk) if row else ""

    return key


def _simplified(context: TransitionContext) -> bool:
    recon = context.dispute.current_reconsideration
    return bool(recon and recon.simplified)


def _by_procedure(normal: str, simplified: str) -> TextOf:
    """The rule of the reconsideration's procedure (第五十四条, 第六十二条: the simplified one is shorter)."""
    return lambda context: simplified if _simplified(context) else normal


def _always(context: TransitionContext) -> bool:
    return True


def _is_reconsideration(context: TransitionContext) -> bool:
    return context.dispute.kind == CaseKind.RECONSIDERATION


def _reached(*statuses: str) -> When:
    return lambda context: context.to_status in statuses


def _duty_to_perform(context: TransitionContext) -> bool:
    return bool(context.data.get("duty_to_perform") and context.data.get("perform_by"))


@dataclass(frozen=True)
class Plan:
    """Start a clock: ``rule`` (a code, or a function of the context for the procedure's variant),
    counted from ``start`` (not planned when it gives None), answered for by ``party``, keyed by
    ``key``; ``due_on`` for a last day a document fixes."""

    rule: str | TextOf
    start: DateOf
    party: str = CENTRE
    key: TextOf = lambda context: ""  # noqa: E731 - a default function
    due_on: DateOf | None = None
    when: When = _always
    start_event: str = ""
    # A duty the answering body meets by recording the event itself (an agency that records its own
    # answer in Huajie has reported back to the centre): met at once when the actor is of that body.
    met_by_own_record: bool = False

    def code(self, context: TransitionContext) -> str:
        return self.rule if isinstance(self.rule, str) else self.rule(context)


@dataclass(frozen=True)
class Meet:
    """The event a clock waited for happened on ``on``."""

    rules: tuple[str, ...]
    on: DateOf


@dataclass(frozen=True)
class Step:
    meet: tuple[Meet, ...] = ()
    cancel: tuple[str, ...] = ()  # rule codes that no longer apply: past their last day, they were missed
    drop: tuple[str, ...] = ()  # rule codes ended without judging them (an option, or a day not recorded)
    # The day the cancelled clocks end (judged missed if past their last day): the action's own date.
    ends_on: DateOf = _event_day
    cancel_all: bool = (
        False  # the case leaves every stage (closed, withdrawn, rejected): all but OUTLIVE_THE_CASE
    )
    plan: tuple[Plan, ...] = ()
    pause_on: DateOf | None = None
    resume_on: DateOf | None = None
    extend: tuple[tuple[str, ...], str] | None = None  # (rule codes, the input field with the days)
    remedy: bool = False  # the answering body records its remedial measures (``data["measures"]``)


RECON_COPY = _by_procedure("recon_copy_to_respondent", "recon_copy_simplified")
RECON_REPLY = _by_procedure("recon_reply", "recon_reply_simplified")
RECON_DECISION = _by_procedure("recon_decision", "recon_decision_simplified")
RECON_DECISION_RULES = ("recon_decision", "recon_decision_simplified")
RECON_STAGE = (
    "hearing_attendance",
    "recon_copy_to_respondent",
    "recon_copy_simplified",
    "recon_reply",
    "recon_reply_simplified",
    "hearing_notice",
    "recon_decision",
    "recon_decision_simplified",
)
APPEAL_RULES = {LitigationOutcome.JUDGMENT: "lit_appeal", LitigationOutcome.RULING: "lit_appeal_ruling"}
APPEAL_STAGE = ("lit_appeal", "lit_appeal_ruling")
# The visit after a decision is paid once the case is closed (the followups app's step on a closed case);
# the agency still reports to the centre what it received or did before the case closed.
OUTLIVE_THE_CASE = ("followup_visit", "report_receipt", "feedback")
RESOLUTION_STAGE = ("resolution_period", "confirmation_application")

RECON_KEY = _row_key("reconsiderations")
LIT_KEY = _row_key("litigations")
RESOLUTION_KEY = _row_key("resolutions")


def _lit_key(what: str, day: DateOf | None = None) -> TextOf:
    """A key of the present litigation instance and ``what`` (several reports of one instance: the
    notice, the judgment in effect, each session's day)."""

    def key(context: TransitionContext) -> str:
        on = day(context) if day else None
        return ":".join(part for part in (LIT_KEY(context), what, on.isoformat() if on else "") if part)

    return key


def _report(start: DateOf, key: TextOf, when: When = _always) -> Plan:
    """报备 (seed 003): the agency reports a document it received to the centre within 2 days."""
    return Plan("report_receipt", start, RESPONDENT, key, when=when, met_by_own_record=True)


def _feedback(start: DateOf, key: TextOf) -> Plan:
    """反馈 (seed 003): the day after answering, appearing or performing, the agency reports back."""
    return Plan("feedback", start, RESPONDENT, key, met_by_own_record=True)


def _hearing_day(context: TransitionContext) -> date | None:
    recon = context.dispute.current_reconsideration
    if recon is None or recon.hearing_at is None:
        return None
    return timezone.localtime(recon.hearing_at, workdays.SHANGHAI).date()


def _hearing_ahead(context: TransitionContext) -> bool:
    day = _input("hearing_at")(context)
    return day is not None and day >= _event_day(context)


def _judgment_with_duty(context: TransitionContext) -> bool:
    return context.from_status == Status.LIT_DECIDED and bool(context.dispute.duty_to_perform)


# What the start of a reconsideration plans (acceptance, or a transferred case's feedback).
RECON_START = (
    Plan(RECON_COPY, _recon_accepted_on, CENTRE, RECON_KEY),
    # The reply runs from the respondent's receipt of the copy (第四十八条), a day the case does not
    # record: it is counted from acceptance, the earliest the copy can arrive, and met by the reply.
    Plan(
        RECON_REPLY,
        _recon_accepted_on,
        RESPONDENT,
        RECON_KEY,
        start_event="受理之日（被申请人收到副本之日未记录）",
    ),
    Plan(RECON_DECISION, _recon_accepted_on, CENTRE, RECON_KEY),
)

# Planned once the case is in reconsideration (on acceptance, or on a transferred case's feedback).
_RECON_ACCEPTED_PLANS = tuple(
    Plan(p.rule, p.start, p.party, p.key, when=_reached(Status.RECON_ACCEPTED), start_event=p.start_event)
    for p in RECON_START
)

PERFORMANCE = Plan(
    "performance", _input("decided_on"), RESPONDENT, due_on=_input("perform_by"), when=_duty_to_perform
)

STEPS: dict[str, Step] = {
    # intake
    "register": Step(plan=(Plan("recon_acceptance_review", _received_on, CENTRE, when=_is_reconsideration),)),
    # 第三十一条: the correction notice is the review's answer, due within the same 5 working days.
    "request_correction": Step(
        meet=(Meet(("recon_acceptance_review",), _event_day),),
        plan=(Plan("recon_correction", _event_day, CENTRE, when=_is_reconsideration),),
    ),
    # 第三十一条: the review runs again from the day the corrected materials arrive.
    "supply_correction": Step(
        meet=(Meet(("recon_correction",), _event_day),),
        plan=(Plan("recon_acceptance_review", _event_day, CENTRE, when=_is_reconsideration),),
    ),
    "reject": Step(meet=(Meet(("recon_acceptance_review",), _event_day),), cancel_all=True),
    "accept": Step(
        meet=(Meet(("recon_acceptance_review",), _input("accepted_on")),),
        plan=(
            *_RECON_ACCEPTED_PLANS,
            Plan(
                "resolution_period",
                _input("accepted_on"),
                CENTRE,
                RESOLUTION_KEY,
                when=_reached(Status.ACCEPTED),
            ),
        ),
    ),
    # resolution at the centre
    "reach_agreement": Step(
        meet=(Meet(("resolution_period",), _input("signed_on")),),
        plan=(
            Plan("confirmation_application", _input("signed_on"), CENTRE, RESOLUTION_KEY),
            Plan(
                "performance",
                _input("signed_on"),
                RESPONDENT,
                due_on=_input("perform_by"),
                when=lambda context: bool(context.data.get("perform_by")),
            ),
        ),
    ),
    "request_confirmation": Step(meet=(Meet(("confirmation_application",), _input("requested_on")),)),
    # The court's ruling ends the case (confirmed) or returns it to mediation (refused): the agreement's
    # clocks, its performance included, have no more use.
    # Confirmed, the case closes, or stays open for the agreement's performance (its clock kept).
    "confirm": Step(cancel_all=True, ends_on=_input("confirmed_on")),
    "fail": Step(cancel=RESOLUTION_STAGE),
    "transfer": Step(cancel=RESOLUTION_STAGE, ends_on=_input("transferred_on")),
    "receive_feedback": Step(plan=_RECON_ACCEPTED_PLANS),
    "reopen": Step(plan=(Plan("resolution_period", _event_day, CENTRE, RESOLUTION_KEY),)),
    # reconsideration
    # The copy served: its clock is met, and the reply's 10 (5) working days run again from that day,
    # the respondent's receipt (第四十八条), instead of from acceptance.
    "send_copy": Step(
        meet=(Meet(("recon_copy_to_respondent", "recon_copy_simplified"), _input("copy_sent_on")),),
        plan=(Plan(RECON_REPLY, _input("copy_sent_on"), RESPONDENT, RECON_KEY, start_event="副本送达之日"),),
    ),
    "record_reply": Step(
        meet=(Meet(("recon_reply", "recon_reply_simplified"), _input("reply_received_on")),),
        # The copy reached the respondent before its reply; the day it was sent is not recorded.
        drop=("recon_copy_to_respondent", "recon_copy_simplified"),
    ),
    # The agency attends on the hearing day, a clock of its own so that it is reminded a week and a day
    # before; a new day re-plans it (and its reminders). A day already past is not planned.
    "schedule_hearing": Step(
        plan=(
            Plan("hearing_notice", _input("hearing_at"), CENTRE, RECON_KEY),
            Plan(
                "hearing_attendance",
                _event_day,
                RESPONDENT,
                RECON_KEY,
                due_on=_input("hearing_at"),
                when=_hearing_ahead,
            ),
        )
    ),
    "suspend": Step(pause_on=_input("suspended_on")),
    "resume": Step(resume_on=_input("resumed_on")),
    "extend": Step(extend=(RECON_DECISION_RULES, "days")),
    "decide": Step(
        # The hearing was held on its day (the hearings app records it so too).
        meet=(Meet(RECON_DECISION_RULES, _input("decided_on")), Meet(("hearing_attendance",), _hearing_day)),
        cancel=RECON_STAGE,
        ends_on=_input("decided_on"),
        plan=(Plan("followup_visit", _input("decided_on"), CENTRE, RECON_KEY), PERFORMANCE),
    ),
    # litigation
    "file_suit": Step(plan=(Plan("lit_copy_to_agency", _input("filed_on"), COURT, LIT_KEY),)),
    "receive_notice": Step(
        meet=(Meet(("lit_copy_to_agency",), _input("received_on")),),
        plan=(
            Plan("lit_answer", _input("received_on"), RESPONDENT, LIT_KEY),
            _report(_input("received_on"), _lit_key("notice")),
        ),
    ),
    "file_answer": Step(
        meet=(Meet(("lit_answer",), _input("answered_on")),),
        plan=(_feedback(_input("answered_on"), _lit_key("answer")),),
    ),
    "hold_session": Step(
        plan=(_feedback(_input("session_at"), _lit_key("session", _input("session_at"))),),
    ),
    "record_outcome": Step(
        cancel=("lit_copy_to_agency", "lit_answer"),
        ends_on=_input("decided_on"),
        plan=(
            # 第八十五条: 15 days against a judgment, 10 against a ruling; a withdrawal or mediation has none.
            Plan(
                lambda context: APPEAL_RULES[context.data["outcome"]],
                _input("decided_on"),
                RESPONDENT,
                LIT_KEY,
                when=lambda context: context.data.get("outcome") in APPEAL_RULES,
            ),
            PERFORMANCE,
        ),
    ),
    # The appeal reaches the agency (its own, or the other side's to answer): reported like a notice.
    "appeal": Step(
        meet=(Meet(APPEAL_STAGE, _input("appealed_on")),),
        plan=(_report(_input("appealed_on"), _lit_key("appeal")),),
    ),
    # The judgment took effect unappealed: the appeal period has no more use; one with a duty to perform
    # is reported.
    "take_effect": Step(
        drop=APPEAL_STAGE,
        plan=(_report(_input("effective_on"), _lit_key("effective"), when=_judgment_with_duty),),
    ),
    "record_performance": Step(
        meet=(Meet(("performance",), _input("performed_on")),),
        plan=(_feedback(_input("performed_on"), lambda context: "performance"),),
    ),
    # The agency's reports to the centre: made when recorded.
    "report_receipt": Step(meet=(Meet(("report_receipt",), _event_day),)),
    "report_feedback": Step(meet=(Meet(("feedback",), _event_day),)),
    "record_remedy": Step(remedy=True),
    # leaving every stage
    "withdraw": Step(drop=("hearing_attendance",), cancel_all=True, ends_on=_input("withdrawn_on")),
    "close": Step(cancel_all=True),
}


def _organisation(context: TransitionContext, party: str) -> Organisation | None:
    dispute = context.dispute
    if party == RESPONDENT:
        return dispute.respondent
    if party == COURT:
        litigation = dispute.current_litigation
        return (litigation.court if litigation else None) or dispute.court
    return dispute.centre


def _running_keys(context: TransitionContext, codes: tuple[str, ...]) -> list[tuple[str, str]]:
    return list(
        case_deadlines()
        .filter(
            subject_id=context.dispute.pk, rule__code__in=codes, status__in=(*RUNNING, ClockStatus.MISSED)
        )
        .values_list("rule__code", "key")
    )


def _reason(context: TransitionContext) -> str:
    from .selectors import action_label

    return str(action_label(context.action)) if context.action != "register" else _("Registered")


def _plan(context: TransitionContext, plan: Plan) -> None:
    if not plan.when(context):
        return
    starts_on = plan.start(context)
    organisation = _organisation(context, plan.party)
    if starts_on is None or organisation is None:
        return  # nothing to count from, or nobody to answer for it: the case does not support it
    due_on = plan.due_on(context) if plan.due_on else None
    if plan.due_on and due_on is None:
        return
    if due_on is not None and due_on < starts_on:
        raise ValidationError({"perform_by": _("The performance deadline cannot come before the decision.")})
    try:
        deadline = clocks.deadline_plan(
            subject=context.dispute,
            rule_code=plan.code(context),
            starts_on=starts_on,
            key=plan.key(context),
            responsible_organisation=organisation,
            region=context.dispute.region,
            actor=context.actor,
            start_event=plan.start_event,
            due_on=due_on,
        )
    except DeadlineRule.DoesNotExist:  # pragma: no cover - the rules ship in a migration
        logger.warning("Deadline rule %s is missing; not planned.", plan.code(context))
        return
    actor = context.actor
    if (
        plan.met_by_own_record
        and deadline is not None
        and deadline.status in RUNNING
        and actor is not None
        and actor.organisation_id == organisation.pk
    ):
        clocks.deadline_meet(
            subject=context.dispute,
            rule_code=deadline.rule.code,
            key=deadline.key,
            met_on=_event_day(context),
            actor=actor,
        )


def follow(context: TransitionContext) -> None:
    """Bring the case's clocks up to date with the action in ``context`` (a seam transition handler)."""
    step = STEPS.get(context.action)
    if step is None:
        return
    dispute, actor = context.dispute, context.actor
    for meet in step.meet:
        on = meet.on(context)
        if on is None:
            continue
        for code, key in _running_keys(context, meet.rules):
            clocks.deadline_meet(subject=dispute, rule_code=code, key=key, met_on=on, actor=actor)
    if step.drop:
        clocks.deadline_cancel(
            subject=dispute, rule_codes=step.drop, reason=_reason(context), actor=actor, judge=False
        )
    if step.cancel or step.cancel_all:
        codes = step.cancel
        if step.cancel_all:
            running = (
                case_deadlines()
                .filter(subject_id=dispute.pk, status__in=RUNNING)
                .values_list("rule__code", flat=True)
            )
            keep: tuple[str, ...] = OUTLIVE_THE_CASE
            if dispute.status == Status.PERFORMANCE:  # confirmed, the agreement is still to be performed
                keep = (*OUTLIVE_THE_CASE, "performance")
            codes = tuple({code for code in running if code not in keep})
        if codes:
            clocks.deadline_cancel(
                subject=dispute,
                rule_codes=codes,
                reason=_reason(context),
                actor=actor,
                on=step.ends_on(context) or _event_day(context),
            )
    for plan in step.plan:
        _plan(context, plan)
    if step.pause_on and (on := step.pause_on(context)):
        clocks.deadline_pause(subject=dispute, on=on, actor=actor)
    if step.resume_on and (on := step.resume_on(context)):
        clocks.deadline_resume(subject=dispute, on=on, actor=actor)
    if step.extend:
        codes, field = step.extend
        days = int(context.data.get(field) or 0)
        for code, key in _running_keys(context, codes) if days > 0 else []:
            try:
                clocks.deadline_extend(
                    subject=dispute,
                    rule_code=code,
                    key=key,
                    by_days=days,
                    reason=str(context.data.get("reason") or _reason(context)),
                    actor=actor,
                )
            except clocks.DeadlineError:
                continue  # a paused or missed clock is not extended; the case's own rule already checked
    if step.remedy and actor is not None:
        remedy_record(
            subject=dispute,
            measures=str(context.data.get("measures") or ""),
            remedied_on=_event_day(context),
            actor=actor,
        )


# --- planning the clocks of cases recorded before the engine ---------------------------------------

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _revived(value: Any) -> Any:
    """A value of an action's input as the timeline stored it (ISO text) back in its Python type."""
    if isinstance(value, str) and _ISO_DAY.match(value):
        return date.fromisoformat(value)
    if isinstance(value, str) and _ISO_MOMENT.match(value):
        moment = datetime.fromisoformat(value)
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment, workdays.SHANGHAI)
    return value


def replay(dispute: Dispute) -> int:
    """Plan the clocks of a case that has none (recorded before the deadline engine) by replaying its
    timeline through ``STEPS``, each action with its recorded input, actor and day; returns how many
    clocks it now has. Each clock's history says ``planned`` and what followed, as if the engine had
    watched the case; a step the recorded input cannot support is skipped. The caller holds the case."""
    from .seam import TransitionContext

    if case_deadlines().filter(subject_id=dispute.pk).exists():
        return 0
    for event in dispute.events.select_related("actor").order_by("at", "pk"):
        if event.action not in STEPS and event.action != "register":
            continue
        context = TransitionContext(
            dispute=dispute,
            action=event.action,
            from_status=event.from_status,
            to_status=event.to_status,
            actor=event.actor,
            data={name: _revived(value) for name, value in (event.data or {}).items()},
            event=event,
        )
        try:
            with transaction.atomic():
                follow(context)
        except ValidationError:
            logger.info(
                "Case %s: %s not replayed (its recorded input does not fit).", dispute.pk, event.action
            )
    return case_deadlines().filter(subject_id=dispute.pk).count()


@dataclass(frozen=True)
class ShownDeadline:
    """One clock as the case page's card shows it."""

    deadline: Deadline
    explanation: str
    remedy: Remedy | None = None  # the remedy task (补救) a miss of it opened

    @property
    def overdue(self) -> bool:
        left = self.deadline.days_left
        return self.deadline.status == ClockStatus.MISSED or (
            self.deadline.status == ClockStatus.OPEN and left is not None and left < 0
        )

    @property
    def days_overdue(self) -> int:
        left = self.deadline.days_left
        return -left if self.overdue and left is not None and left < 0 else 0

    @property
    def soon(self) -> bool:
        left = self.deadline.days_left
        return self.deadline.status == ClockStatus.OPEN and left is not None and 0 <= left <= 3


def case_panel(dispute: Any, user: Any) -> dict[str, Any] | None:
    """The case page's deadlines card: every running clock (open or paused), soonest first, then the
    met and missed ones. The case's own scoping has let the user in, so every clock of the case shows
    (``clocks.deadline_rows``, shared with the header). Cancelled clocks stay in the API and the admin,
    not on the card."""
    rows = [d for d in deadline_rows(dispute) if d.status != ClockStatus.CANCELLED]
    missed = [d.pk for d in rows if may_have_remedy(d)]
    remedies = {r.deadline_id: r for r in Remedy.objects.filter(deadline__in=missed)} if missed else {}
    shown = [
        ShownDeadline(
            deadline=d,
            explanation=explain(
                start=d.count_from,
                length=d.count_length,
                unit=d.count_unit,
                rolls_over=d.rolls_over,
                due_on=d.due_on,
                fixed=d.due_fixed,
                resumed=d.count_from != d.starts_on,
            ),
            remedy=remedies.get(d.pk),
        )
        for d in rows
    ]
    if not shown:
        return None
    running = [s for s in shown if s.deadline.status in RUNNING]
    done = [s for s in shown if s.deadline.status not in RUNNING]
    return {"running": running, "done": done}


def clocks_changed(dispute_ids: list[int] | None = None) -> int:
    """Keep ``Dispute.next_due_on``, the earliest last day among the case's open clocks, in step with the
    stored deadlines: the deadline services call this in their transaction whenever a case's clock
    changes due date or status (``deadlines.subjects``); ``None`` refreshes every case that has or had
    one (the migration, ``plan_case_deadlines``). The list's overdue filter and flag and the home
    page's counts read the column (``clocks.overdue_q``). Returns the cases written."""
    earliest = (
        case_deadlines()
        .filter(subject_id=OuterRef("pk"), status=ClockStatus.OPEN)
        .order_by()
        .values("subject_id")
        .annotate(first=Min("due_on"))
        .values("first")
    )
    if dispute_ids is None:
        cases = Dispute.objects.filter(
            Q(next_due_on__isnull=False)
            | Q(pk__in=case_deadlines().filter(status=ClockStatus.OPEN).values("subject_id"))
        )
    else:
        cases = Dispute.objects.filter(pk__in=dispute_ids)
    return cases.update(next_due_on=Subquery(earliest))


# Where each duty a clock waits for is done, for the links of reminders, remedies and 我的期限: the
# action's page, which asks for nothing more than the day (one click), or the measures.
DUTY_ACTIONS = {
    "report_receipt": "report_receipt",
    "feedback": "report_feedback",
    "lit_answer": "file_answer",
    "recon_reply": "record_reply",
    "recon_reply_simplified": "record_reply",
    "performance": "record_performance",
    "remedy": "record_remedy",
}


# The reports whose action asks for nothing (``ReportForm``): one click records them.
ONE_CLICK = frozenset({"report_receipt", "feedback"})


def duty_url(dispute: Dispute, duty: str) -> str:
    """The page where the duty ``duty`` (a rule's code, or "remedy") is done on ``dispute``; "" for none."""
    from django.urls import reverse

    action = DUTY_ACTIONS.get(duty)
    return reverse("disputes:action", args=[dispute.pk, action]) if action else ""


def register() -> None:
    from deadlines.subjects import SubjectAdapter, register_subject

    from .seam import CasePanel, register_case_panel, register_transition_handler

    register_subject(
        Dispute,
        SubjectAdapter(
            label=lambda d: d.number,
            url=lambda d: d.get_absolute_url(),
            clocks_changed=clocks_changed,
            act=duty_url,
            one_click=ONE_CLICK,
        ),
    )
    register_transition_handler(follow)
    register_case_panel(
        CasePanel(name="deadlines", template="disputes/_case_deadlines.html", context=case_panel, order=10)
    )


__all__ = [
    "DUTY_ACTIONS",
    "STEPS",
    "case_panel",
    "clocks_changed",
    "duty_url",
    "follow",
    "register",
    "replay",
]
