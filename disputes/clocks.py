"""The statutory clock that runs on a case now: what is due, by when, and how many days are left.

Shown in the case page header. One clock at a time: the one the current status is waiting on.
Periods of the Administrative Reconsideration Law of 3, 5, 7 and 10 days are working days (第八十八条);
the others are calendar days whose last day moves to the next working day (``core.workdays``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import workdays

from .choices import Status
from .models import Dispute

RECON_OPEN = (Status.RECON_ACCEPTED, Status.RECON_REPLIED, Status.RECON_HEARING)

ACCEPTANCE_REVIEW_WORKING_DAYS = 5  # 行政复议法 第三十条
CORRECTION_WORKING_DAYS = 10  # 行政复议法 第三十一条
DECISION_DAYS = 60  # 行政复议法 第六十二条
DECISION_DAYS_SIMPLIFIED = 30  # 行政复议法 第六十二条 (simplified procedure)


@dataclass(frozen=True)
class Clock:
    label: str
    due: date | None
    days_remaining: int | None
    basis: str = ""
    paused: bool = False

    @property
    def overdue(self) -> bool:
        return self.days_remaining is not None and self.days_remaining < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_remaining if self.overdue and self.days_remaining is not None else 0

    @property
    def due_today(self) -> bool:
        return self.days_remaining == 0


def _clock(label, due: date | None, today: date | None, basis="") -> Clock | None:
    if due is None:
        return None
    return Clock(
        label=str(label), due=due, days_remaining=workdays.days_remaining(due, today), basis=str(basis)
    )


def _last_event_day(dispute: Dispute, action: str) -> date | None:
    # Uses the prefetched timeline when the page loaded it; one small query otherwise.
    events = [e for e in dispute.events.all() if e.action == action]
    if not events:
        return None
    return timezone.localtime(max(events, key=lambda e: (e.at, e.pk)).at).date()


def recon_decision_due(recon) -> date:
    """The decision deadline: 60 days from acceptance (30 under the simplified procedure), plus the
    extension and the days the case was suspended (第三十九条 stops the clock)."""
    days = DECISION_DAYS_SIMPLIFIED if recon.simplified else DECISION_DAYS
    return workdays.add_days(recon.accepted_on, days + recon.extension_days + recon.suspended_days)


def current_clock(dispute: Dispute, today: date | None = None) -> Clock | None:
    """The clock the case is running against now, or None when no statutory period runs."""
    status = dispute.status
    if status == Status.REGISTERED:
        return _clock(
            _("Acceptance review"),
            workdays.add_working_days(dispute.received_on, ACCEPTANCE_REVIEW_WORKING_DAYS),
            today,
            _("Administrative Reconsideration Law, Art. 30: 5 working days"),
        )
    if status == Status.CORRECTION:
        asked = _last_event_day(dispute, "request_correction")
        return _clock(
            _("Correction period"),
            workdays.add_working_days(asked, CORRECTION_WORKING_DAYS) if asked else None,
            today,
            _("Administrative Reconsideration Law, Art. 31: 10 working days"),
        )
    if status in (Status.ACCEPTED, Status.MEDIATING):
        resolution = _current(dispute.resolutions.all(), "opened_at")
        return _clock(
            _("Resolution period"), resolution.due_on if resolution else None, today, _("30 days, extendable")
        )
    if status in RECON_OPEN or status == Status.RECON_SUSPENDED:
        recon = _current(dispute.reconsiderations.all(), "accepted_on")
        if recon is None:
            return None
        if status == Status.RECON_SUSPENDED:
            # The clock stands still while suspended; the deadline is recomputed on resumption.
            return Clock(
                label=str(_("Reconsideration decision")),
                due=None,
                days_remaining=None,
                basis=str(_("Administrative Reconsideration Law, Art. 39")),
                paused=True,
            )
        return _clock(
            _("Reconsideration decision"),
            recon_decision_due(recon),
            today,
            _("Administrative Reconsideration Law, Art. 62: 60 days (simplified procedure 30)"),
        )
    if status == Status.LIT_NOTICED:
        litigation = _current(dispute.litigations.all(), "filed_on")
        return _clock(
            _("Answer to the court"),
            litigation.answer_due if litigation else None,
            today,
            _("Administrative Litigation Law, Art. 67: 15 days"),
        )
    if status == Status.PERFORMANCE and not dispute.performed_on:  # performed: the clock has stopped
        return _clock(_("Performance"), dispute.perform_by, today)
    return None


def _current(rows, date_field: str):
    """The latest row of a stage, from a prefetched relation when there is one."""
    rows = list(rows)
    if not rows:
        return None
    return max(rows, key=lambda r: (getattr(r, date_field), r.pk))
