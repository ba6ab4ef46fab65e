"""Writes of the hearings app. The case moves only through ``disputes.services.dispute_transition``
(the ``schedule_hearing`` transition, which this app has taken over: see ``apps.py``); the hearing's
own row is written here, in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import User
from deadlines.services import deadline_meet
from disputes.seam import TransitionContext
from disputes.services import dispute_transition

from .forms import NoticeForm
from .models import Hearing

APP = "hearings"
SCHEDULE = "schedule_hearing"


@transaction.atomic
def hearing_schedule(
    *,
    dispute_id: int,
    actor: User,
    data: Any,
    expected_status: str | None = None,
    request_key: str = "",
) -> Hearing:
    """Schedule (or reschedule) the hearing of a reconsideration and move the case to "hearing
    scheduled". ``data`` holds the transition's fields (``hearing_at``, ``hearing_place``, ``reason``)
    and ``notice_served_on``. The case's refusals are ``dispute_transition``'s (role, reach, status,
    dates); a rescheduled hearing cancels the one it replaces. A repeated request (same
    ``expected_status`` or ``request_key``) returns the hearing it scheduled the first time."""
    dispute = dispute_transition(
        dispute_id=dispute_id,
        action=SCHEDULE,
        actor=actor,
        data=data,
        expected_status=expected_status,
        request_key=request_key,
        by_app=APP,
    )
    event = dispute.events.filter(action=SCHEDULE).order_by("-at", "-pk").first()
    assert event is not None  # the transition above wrote one, now or the first time
    existing = Hearing.objects.filter(scheduled_by_event=event).first()
    if existing is not None:
        return existing  # this very request was carried out before

    notice = NoticeForm(data=data)
    if not notice.is_valid():
        raise ValidationError(notice.errors.as_data())  # rolls the transition back too
    recon = dispute.current_reconsideration
    assert recon is not None and recon.hearing_at is not None  # schedule_hearing recorded them
    served_on = notice.cleaned_data["notice_served_on"]
    if served_on and served_on > timezone.localtime(recon.hearing_at).date():
        raise ValidationError({"notice_served_on": _("The notice cannot be served after the hearing.")})

    for previous in Hearing.objects.select_for_update().filter(
        dispute=dispute, status=Hearing.Status.SCHEDULED
    ):
        _close(previous, status=Hearing.Status.CANCELLED, reason=_("Rescheduled"))
    if served_on:
        # The notice period (行政复议法 第五十一条) that scheduling planned is met by the service of it.
        deadline_meet(
            subject=dispute, rule_code="hearing_notice", key=str(recon.pk), met_on=served_on, actor=actor
        )
    return Hearing.objects.create(
        dispute=dispute,
        scheduled_by_event=event,
        scheduled_at=recon.hearing_at,
        place=recon.hearing_place,
        notice_served_on=served_on,
        created_by=actor,
    )


def _close(hearing: Hearing, *, status: str, reason: str, held_at: datetime | None = None) -> None:
    hearing.status = status
    hearing.held_at = held_at
    hearing.closed_reason = reason[:128]
    hearing.save(update_fields=["status", "held_at", "closed_reason"])


# The case actions after which a scheduled hearing is over, and what that makes it. A decision is
# recorded on or after the hearing day (disputes' date rules), so the hearing was held; a withdrawn
# application ends the case before it. A suspension leaves the hearing on the books: the case comes
# back to "hearing scheduled" when it resumes, and the clerk reschedules if the day has passed.
CLOSED_BY = {"decide": Hearing.Status.HELD, "withdraw": Hearing.Status.CANCELLED}


def hearing_close_on_transition(context: TransitionContext) -> None:
    """Transition handler (registered in ``apps.py``): the case moved on, so its open hearing is held
    or cancelled. Runs in the transition's transaction: if it fails, the transition is not recorded."""
    from disputes.selectors import action_label

    for hearing in Hearing.objects.select_for_update().filter(
        dispute=context.dispute, status=Hearing.Status.SCHEDULED
    ):
        status = CLOSED_BY[context.action]
        _close(
            hearing,
            status=status,
            reason=action_label(context.action),
            held_at=hearing.scheduled_at if status == Hearing.Status.HELD else None,
        )
