"""Dates in order: the one table of which earlier event each lifecycle action's dates must not precede.

A clerk often records a case after the fact, so every action's date is typed in, and a slip of the
keyboard would put an agreement's confirmation before the agreement, or a decision before its hearing.
``DATE_RULES`` says, per action and per date field, which dates already on record (or given in the same
form) the field must not precede; ``check_dates`` applies the table, and ``ActionForm.clean`` calls it
for every action, so the HTML page and the API refuse the same input with the same message. The same day
is always accepted: events recorded on one day may happen in either order within it.

Dates a case merely plans (a hearing scheduled for next week, a performance deadline) are not "earlier
events": they stay out of ``PAST_EVENTS``, which closing and withdrawal are held against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django import forms
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.functional import Promise, cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Dispute

# A getter reads the case (a Dispute, or ``_Once`` standing for it) and the form's cleaned input.
Getter = Callable[[Any, dict], "date | datetime | None"]


@dataclass(frozen=True)
class Dated:
    """An event of a case with a date: its name (as the refusal message says it) and, when it is on
    record, where to read it (from the case, or from the other fields of the same form)."""

    label: Promise
    get: Getter | None = None


def _resolution(attr: str) -> Getter:
    def get(d, data: dict):
        r = d.current_resolution
        return getattr(r, attr) if r else None

    return get


def _reconsideration(attr: str) -> Getter:
    def get(d, data: dict):
        rc = d.current_reconsideration
        return getattr(rc, attr) if rc else None

    return get


def _litigation(attr: str) -> Getter:
    def get(d, data: dict):
        lit = d.current_litigation
        return getattr(lit, attr) if lit else None

    return get


def _input(field: str) -> Getter:
    """A date given in the same form (a deadline must not precede the decision that sets it)."""
    return lambda d, data: data.get(field)


def _last_session(d, data: dict):
    r = d.current_resolution
    return r.sessions.aggregate(last=Max("held_on"))["last"] if r else None


def _series_lead_agreement(d, data: dict):
    series = d.series
    lead = series.lead if series and series.lead_id and series.lead_id != d.pk else None
    resolution = lead.current_resolution if lead else None
    return resolution.agreement_signed_on if resolution else None


# --- the events of a case -------------------------------------------------------------------------
RECEIVED = Dated(_("date the case was received"), lambda d, data: d.received_on)
ACT = Dated(_("date of the administrative act"), lambda d, data: d.act_date)
ACCEPTED = Dated(_("date of acceptance"), _resolution("accepted_on"))
SESSION = Dated(_("date of the resolution session"))
LAST_SESSION = Dated(_("date of the latest resolution session"), _last_session)
AGREEMENT = Dated(_("date the resolution agreement was signed"), _resolution("agreement_signed_on"))
SIGNED_NOW = Dated(_("date the resolution agreement was signed"), _input("signed_on"))
AGREEMENT_PERFORM_BY = Dated(_("date by which the agreement is to be performed"))
LEAD_AGREEMENT = Dated(_("date the series lead case's agreement was signed"), _series_lead_agreement)
CONFIRMATION_REQUESTED = Dated(
    _("date judicial confirmation was applied for"), _resolution("confirmation_requested_on")
)
CONFIRMATION_RULED = Dated(_("date of the court's ruling on confirmation"), _resolution("confirmed_on"))
TRANSFERRED = Dated(_("date of transfer"), _resolution("transferred_on"))
FEEDBACK = Dated(_("date the feedback letter was received"), _resolution("feedback_on"))
WITHDRAWN = Dated(_("date of withdrawal"))
RECON_ACCEPTED = Dated(_("date reconsideration was accepted"), _reconsideration("accepted_on"))
COPY_SENT = Dated(_("date the copy was served on the respondent"), _reconsideration("copy_sent_on"))
REPLY = Dated(_("date the respondent's reply was received"), _reconsideration("reply_received_on"))
HEARING = Dated(_("hearing time"), _reconsideration("hearing_at"))
SUSPENDED = Dated(_("date of suspension"), _reconsideration("suspended_on"))
RESUMED = Dated(_("date of resumption"))
RECON_DECIDED = Dated(_("date of the reconsideration decision"), _reconsideration("decided_on"))
PERFORM_BY = Dated(_("performance deadline"))
LIT_FILED = Dated(_("date the case was filed in court"), _litigation("filed_on"))
NOTICE = Dated(_("date the response notice was received"), _litigation("notice_received_on"))
ANSWERED = Dated(_("date the answer was filed"), _litigation("answered_on"))
COURT_SESSION = Dated(_("court session time"), _litigation("session_at"))
LIT_DECIDED = Dated(_("date of the court's decision"), _litigation("decided_on"))
# The decision given in the same form (the deadline it sets must not precede it).
RECON_DECIDED_NOW = Dated(RECON_DECIDED.label, _input("decided_on"))
LIT_DECIDED_NOW = Dated(LIT_DECIDED.label, _input("decided_on"))
APPEALED = Dated(_("date of appeal"), _litigation("appealed_on"))
EFFECTIVE = Dated(_("date the decision took effect"), _litigation("effective_on"))
PERFORMED = Dated(_("date of performance"), lambda d, data: d.performed_on)
LOSS_REPORT = Dated(_("date the loss analysis report was submitted"), lambda d, data: d.loss_report_on)
CLOSED = Dated(_("date of closing"))

# Everything that has happened on the case (not what is merely planned): closing and withdrawal come
# after all of it.
PAST_EVENTS = (
    RECEIVED,
    ACCEPTED,
    LAST_SESSION,
    AGREEMENT,
    CONFIRMATION_REQUESTED,
    CONFIRMATION_RULED,
    TRANSFERRED,
    FEEDBACK,
    RECON_ACCEPTED,
    COPY_SENT,
    REPLY,
    SUSPENDED,
    RECON_DECIDED,
    LIT_FILED,
    NOTICE,
    ANSWERED,
    COURT_SESSION,
    LIT_DECIDED,
    APPEALED,
    EFFECTIVE,
    PERFORMED,
    LOSS_REPORT,
)


@dataclass(frozen=True)
class Rule:
    """The date in ``field`` (this action's event, named ``this``) must not precede any of ``after``."""

    this: Dated
    after: tuple[Dated, ...]


# Per action, per date field of its form. An action with no date input has no entry; a test checks
# that every date field of every action form has its rule.
DATE_RULES: dict[str, dict[str, Rule]] = {
    "accept": {"accepted_on": Rule(ACCEPTED, (RECEIVED,))},
    "record_session": {"held_on": Rule(SESSION, (RECEIVED, ACCEPTED))},
    "reach_agreement": {
        "signed_on": Rule(SIGNED_NOW, (RECEIVED, ACCEPTED, LAST_SESSION)),
        "perform_by": Rule(AGREEMENT_PERFORM_BY, (SIGNED_NOW,)),
    },
    "adopt_series_agreement": {
        "signed_on": Rule(SIGNED_NOW, (RECEIVED, ACCEPTED, LAST_SESSION, LEAD_AGREEMENT)),
        "perform_by": Rule(AGREEMENT_PERFORM_BY, (SIGNED_NOW,)),
    },
    "request_confirmation": {"requested_on": Rule(CONFIRMATION_REQUESTED, (RECEIVED, AGREEMENT))},
    "confirm": {"confirmed_on": Rule(CONFIRMATION_RULED, (CONFIRMATION_REQUESTED,))},
    "transfer": {
        "transferred_on": Rule(TRANSFERRED, (ACT, RECEIVED, ACCEPTED, LAST_SESSION, CONFIRMATION_RULED))
    },
    "receive_feedback": {"feedback_on": Rule(FEEDBACK, (TRANSFERRED,))},
    "withdraw": {"withdrawn_on": Rule(WITHDRAWN, PAST_EVENTS)},
    "send_copy": {"copy_sent_on": Rule(COPY_SENT, (RECON_ACCEPTED,))},
    "record_reply": {"reply_received_on": Rule(REPLY, (RECON_ACCEPTED, COPY_SENT))},
    "schedule_hearing": {"hearing_at": Rule(HEARING, (RECON_ACCEPTED,))},
    "suspend": {"suspended_on": Rule(SUSPENDED, (RECON_ACCEPTED,))},
    "resume": {"resumed_on": Rule(RESUMED, (SUSPENDED,))},
    "decide": {
        "decided_on": Rule(RECON_DECIDED, (RECON_ACCEPTED, REPLY, HEARING)),
        "perform_by": Rule(PERFORM_BY, (RECON_DECIDED_NOW,)),
    },
    "file_suit": {"filed_on": Rule(LIT_FILED, (ACT, RECEIVED, RECON_DECIDED))},
    "receive_notice": {"received_on": Rule(NOTICE, (LIT_FILED,))},
    "file_answer": {"answered_on": Rule(ANSWERED, (LIT_FILED, NOTICE))},
    "hold_session": {"session_at": Rule(COURT_SESSION, (LIT_FILED, NOTICE, ANSWERED, COURT_SESSION))},
    "record_outcome": {
        "decided_on": Rule(LIT_DECIDED, (LIT_FILED, NOTICE, ANSWERED, COURT_SESSION)),
        "perform_by": Rule(PERFORM_BY, (LIT_DECIDED_NOW,)),
    },
    "appeal": {"appealed_on": Rule(APPEALED, (LIT_DECIDED,))},
    "take_effect": {"effective_on": Rule(EFFECTIVE, (RECON_DECIDED, LIT_DECIDED))},
    "record_performance": {"performed_on": Rule(PERFORMED, (RECON_DECIDED, LIT_DECIDED))},
    "file_loss_report": {"submitted_on": Rule(LOSS_REPORT, (RECON_DECIDED, LIT_DECIDED))},
    "close": {"closed_on": Rule(CLOSED, PAST_EVENTS)},
}


class _Once:
    """The case as the getters read it, each current stage row fetched once per check (the rules of
    closing read some twenty dates from three rows)."""

    def __init__(self, dispute: Dispute):
        self._dispute = dispute

    def __getattr__(self, name):
        return getattr(self._dispute, name)

    @cached_property
    def current_resolution(self):
        return self._dispute.current_resolution

    @cached_property
    def current_reconsideration(self):
        return self._dispute.current_reconsideration

    @cached_property
    def current_litigation(self):
        return self._dispute.current_litigation


def _day(value: date | datetime) -> date:
    return timezone.localdate(value) if isinstance(value, datetime) else value


def shown(value: date | datetime) -> str:
    """A date or a moment as the active language writes it (2026年3月5日, 2026年11月1日 10:00)."""
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def shown_input(form_field, value) -> str | None:
    """A date or moment an action recorded (kept as ISO text in the timeline's data), as the active
    language writes it; None when ``form_field`` is not a date field or the text is not a date."""
    try:
        if isinstance(form_field, forms.DateTimeField):
            moment = datetime.fromisoformat(str(value))
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
            return shown(moment)
        if isinstance(form_field, forms.DateField):
            return shown(date.fromisoformat(str(value)))
    except ValueError:
        return None
    return None


def earliest(action: str, field: str, dispute: Dispute, data: dict) -> date | None:
    """The first day ``field`` of ``action`` may take on ``dispute`` (the latest of the earlier events
    on record), or None when nothing bounds it: for a service that chooses a date itself (a series
    member adopting its lead's agreement after its own acceptance)."""
    rule = DATE_RULES.get(action, {}).get(field)
    if rule is None:
        return None
    case = _Once(dispute)
    days = [_day(when) for e in rule.after if e.get and (when := e.get(case, data))]
    return max(days, default=None)


def check_dates(action: str, dispute: Dispute, data: dict) -> dict[str, str]:
    """The refusals of ``action``'s dates in ``data`` (cleaned input), by field: each names the date
    given and the latest earlier event it precedes. Empty when every date is in order."""
    errors = {}
    case = _Once(dispute)
    for field, rule in DATE_RULES.get(action, {}).items():
        value = data.get(field)
        if not value:
            continue
        later_ones = []
        for earlier in rule.after:
            when = earlier.get(case, data) if earlier.get else None
            if when and _day(value) < _day(when):
                later_ones.append((_day(when), earlier, when))
        if later_ones:
            _, earlier, when = max(later_ones, key=lambda item: item[0])
            errors[field] = gettext("The %(this)s (%(value)s) cannot precede the %(earlier)s (%(when)s).") % {
                "this": rule.this.label,
                "value": shown(value),
                "earlier": earlier.label,
                "when": shown(when),
            }
    return errors
