"""Writes of the hearings app. The case moves only through ``disputes.services.dispute_transition``
(the ``schedule_hearing`` transition, which this app has taken over: see ``apps.py``); the hearing's
own row is written here, in the same transaction."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from core import workdays
from core.models import User
from core.roles import Capability, Role
from deadlines.arithmetic import compute_due
from deadlines.models import DeadlineRule
from deadlines.reminders import centre_clerks_of
from deadlines.services import deadline_cancel, deadline_meet, deadline_plan
from disputes.models import Dispute
from disputes.seam import TransitionContext
from disputes.services import dispute_event_add, dispute_transition
from notifications.services import notify

from .forms import AttendanceForm, HeadAnswerForm, MustAttendForm, NoticeForm, ReviewForm
from .models import Attendance, HeadAnswer, Hearing

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

    hearing_at = recon.hearing_at
    short_reason = notice.cleaned_data["short_notice_reason"]
    latest = latest_notice_day(hearing_at)
    served_in_time = served_on is not None and served_on <= latest
    # Scheduling now, for a day too soon to serve the notice in time (a hearing recorded after its day
    # is history: there is nothing to decide).
    too_soon = not served_in_time and workdays.today() > latest and _day(hearing_at) >= workdays.today()
    if too_soon and not short_reason:
        raise ValidationError(
            {
                "short_notice_reason": _(
                    "The notice must reach the parties at least 5 working days before the hearing, by "
                    "%(day)s (Administrative Reconsideration Law, Art. 51). Give the reason for the short "
                    "notice, or choose a later day."
                )
                % {"day": date_format(latest, "DATE_FORMAT")}
            }
        )
    clash = clashes(hearing_at=hearing_at, place=recon.hearing_place, dispute=dispute)
    if clash:
        raise ValidationError({"hearing_at": clash})
    for previous in Hearing.objects.select_for_update().filter(
        dispute=dispute, status=Hearing.Status.SCHEDULED
    ):
        _close(previous, status=Hearing.Status.CANCELLED, reason=_("Rescheduled"))
    if served_on:
        # The notice period (行政复议法 第五十一条) that scheduling planned is met by the service of it.
        deadline_meet(
            subject=dispute, rule_code="hearing_notice", key=str(recon.pk), met_on=served_on, actor=actor
        )
    hearing = Hearing.objects.create(
        dispute=dispute,
        scheduled_by_event=event,
        scheduled_at=recon.hearing_at,
        place=recon.hearing_place,
        notice_served_on=served_on,
        short_notice_reason=short_reason if too_soon else "",
        created_by=actor,
    )
    _ask_the_head(hearing, actor)
    return hearing


# --- the head's answer and the attendance ---------------------------------------------------------------

ANSWER_EVENT = "head_answer"
ATTENDANCE_EVENT = "head_attendance"
ANSWER_RULE = "hearing_head_answer"


def _day(moment: datetime) -> date:
    return timezone.localtime(moment, workdays.SHANGHAI).date()


def _hearing_day(hearing: Hearing) -> date:
    return _day(hearing.scheduled_at)


def _answer_key(hearing: Hearing) -> str:
    """One request clock per reconsideration: rescheduling its hearing plans it again."""
    recon = hearing.dispute.current_reconsideration
    return str(recon.pk) if recon else ""


def _ask_the_head(hearing: Hearing, actor: User) -> None:
    """Ask the respondent agency whether its head will attend: the heads and liaisons are told, and a
    clock runs until the day before the hearing (its reminders chase an unanswered request); a hearing
    rescheduled asks again (the same clock, counted to the new day). A hearing recorded after its day
    asks nothing."""
    dispute = hearing.dispute
    today = workdays.today()
    if _hearing_day(hearing) < today:
        return  # recorded after the day: there is nothing left to ask
    deadline_plan(  # a rescheduled hearing plans the same clock again: the new day needs a new answer
        subject=dispute,
        rule_code=ANSWER_RULE,
        key=_answer_key(hearing),
        starts_on=today,
        due_on=max(today, _hearing_day(hearing) - timedelta(days=1)),
        responsible_organisation=dispute.respondent,
        region=dispute.region,
        actor=actor,
    )
    with override("zh-hans"):
        title = _("Hearing: %(case)s on %(when)s. Will your head attend?") % {
            "case": dispute.number,
            "when": date_format(timezone.localtime(hearing.scheduled_at), "DATETIME_FORMAT"),
        }
        body = _(
            "Place: %(place)s. Answer in Huajie: the principal head, a deputy head, or no head with the reason."
        ) % {"place": hearing.place or "—"}
    notify(
        recipients=_agency_people(dispute.respondent_id),
        kind="hearing_request",
        key=f"hearing-request:{hearing.pk}",
        title=title,
        body=body,
        url=reverse("hearings:detail", args=[hearing.pk]),
    )


def _agency_people(organisation_id: int) -> list[User]:
    """The agency's heads and liaisons: who may answer for it."""
    return list(
        User.objects.filter(
            organisation_id=organisation_id,
            is_active=True,
            roles__role__in=(Role.AGENCY_HEAD_PRINCIPAL, Role.AGENCY_HEAD_DEPUTY, Role.AGENCY_LIAISON),
        )
        .distinct()
        .order_by("pk")
    )


def may_answer(hearing: Hearing, user: User) -> bool:
    """The respondent agency's heads, and its liaison on the head's behalf."""
    return user.organisation_id == hearing.dispute.respondent_id and (
        user.can(Capability.ATTEND_HEARING) or user.can(Capability.AGENCY_FEEDBACK)
    )


def may_record_attendance(hearing: Hearing, user: User) -> bool:
    return user.can(Capability.MANAGE_CASES) and user.organisation_id != hearing.dispute.respondent_id


def _locked(hearing_id: int) -> Hearing:
    return (
        Hearing.objects.select_for_update(of=("self",))
        .select_related("dispute__respondent", "dispute__region")
        .get(pk=hearing_id)
    )


def _principal_head(organisation_id: int) -> str:
    head = (
        User.objects.filter(
            organisation_id=organisation_id, is_active=True, roles__role=Role.AGENCY_HEAD_PRINCIPAL
        )
        .order_by("pk")
        .first()
    )
    if head is None:
        return ""
    return f"{head.name}（{head.title}）" if head.title else head.name


@transaction.atomic
def head_answer_give(*, hearing_id: int, actor: User, data: Any) -> HeadAnswer:
    """The agency's answer to the hearing's request, by its head or its liaison; a later answer replaces
    an earlier one (both kept). "No head" tells the centre's clerks at once. On the case's timeline."""
    hearing = _locked(hearing_id)
    if not may_answer(hearing, actor):
        raise PermissionDenied(_("Only the respondent agency's heads and liaison answer for it."))
    if hearing.status != Hearing.Status.SCHEDULED:
        raise ValidationError(_("This hearing is no longer scheduled: it cannot be answered."))
    form = HeadAnswerForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    answer = cleaned["answer"]
    head_name = cleaned["head_name"]
    if answer == HeadAnswer.Answer.PRINCIPAL and not head_name:
        head_name = _principal_head(hearing.dispute.respondent_id)
    given = HeadAnswer.objects.create(
        hearing=hearing,
        answer=answer,
        head_name=head_name if answer != HeadAnswer.Answer.NONE else "",
        reason=cleaned["reason"] if answer == HeadAnswer.Answer.NONE else "",
        delegate_name=cleaned["delegate_name"] if answer == HeadAnswer.Answer.NONE else "",
        # A hearing the head must attend: nobody coming needs the centre's approval.
        approval=HeadAnswer.Approval.PENDING
        if answer == HeadAnswer.Answer.NONE and hearing.must_attend
        else HeadAnswer.Approval.NOT_NEEDED,
        answered_by=actor,
    )
    summary = given.get_answer_display()
    if given.head_name:
        summary += f"：{given.head_name}"
    if given.reason:
        summary += "。" + _("Reason: %(reason)s; delegated: %(delegate)s") % {
            "reason": given.reason,
            "delegate": given.delegate_name,
        }
    dispute_event_add(
        dispute_id=hearing.dispute_id,
        actor=actor,
        action=ANSWER_EVENT,
        reason=summary,
        data={"hearing": hearing.pk, "answer": answer, "head_name": given.head_name},
    )
    deadline_meet(
        subject=hearing.dispute,
        rule_code=ANSWER_RULE,
        key=_answer_key(hearing),
        met_on=workdays.today(),
        actor=actor,
    )
    if answer == HeadAnswer.Answer.NONE:
        with override("zh-hans"):
            title = _("No head will attend: %(case)s, hearing on %(when)s") % {
                "case": hearing.dispute.number,
                "when": date_format(timezone.localtime(hearing.scheduled_at), "DATETIME_FORMAT"),
            }
        notify(
            recipients=centre_clerks_of(hearing.dispute.region),
            kind="head_absent",
            key=f"head-absent:{given.pk}",
            title=title,
            body=summary,
            url=reverse("hearings:detail", args=[hearing.pk]),
        )
    return given


@transaction.atomic
def attendance_record(*, hearing_id: int, actor: User, data: Any) -> Attendance:
    """The clerk records who attended for the agency once the hearing has taken place (which marks it
    held); a record is fixed: another one corrects it, with the reason. On the case's timeline."""
    hearing = _locked(hearing_id)
    if not may_record_attendance(hearing, actor):
        raise PermissionDenied(_("The centre's clerk records the attendance."))
    if hearing.status == Hearing.Status.CANCELLED:
        raise ValidationError(_("The hearing was called off: there is no attendance to record."))
    if hearing.scheduled_at > timezone.now():
        raise ValidationError(_("The hearing has not taken place yet."))
    form = AttendanceForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    earlier = hearing.attendances.order_by("-recorded_at", "-pk").first()
    if earlier is not None and not cleaned["correction_reason"]:
        raise ValidationError(
            {"correction_reason": _("The attendance is recorded already: give the reason to correct it.")}
        )
    if hearing.status == Hearing.Status.SCHEDULED:
        # Its attendance recorded, the hearing was held; an answer never given was missed.
        _close(
            hearing, status=Hearing.Status.HELD, reason=_("Attendance recorded"), held_at=hearing.scheduled_at
        )
        deadline_cancel(
            subject=hearing.dispute,
            rule_codes=[ANSWER_RULE],
            reason=_("Attendance recorded"),
            actor=actor,
            on=_hearing_day(hearing),
        )
    record = Attendance.objects.create(
        hearing=hearing,
        attended=cleaned["attended"],
        head_name=cleaned["head_name"],
        spoke=cleaned["spoke"],
        duration_minutes=cleaned["duration_minutes"],
        outcome=cleaned["outcome"],
        corrects=earlier,
        correction_reason=cleaned["correction_reason"] if earlier else "",
        recorded_by=actor,
    )
    summary = record.get_attended_display()
    if record.head_name:
        summary += f"：{record.head_name}"
        summary += "，" + (_("spoke to the substance") if record.spoke else _("did not speak"))
    if earlier is not None:
        summary += "。" + _("Corrects the earlier record: %(reason)s") % {"reason": record.correction_reason}
    dispute_event_add(
        dispute_id=hearing.dispute_id,
        actor=actor,
        action=ATTENDANCE_EVENT,
        reason=summary,
        data={"hearing": hearing.pk, "attended": record.attended, "spoke": record.spoke},
    )
    return record


# How long a hearing is taken to last when looking for clashes (none records its end in advance).
HEARING_LENGTH = timedelta(hours=3)


def latest_notice_day(hearing_at: datetime) -> date:
    """The last day the notice may reach the parties: 5 working days before the hearing (行政复议法 第五十一条,
    the rule ``hearing_notice`` as the centre has set it)."""
    rule = DeadlineRule.objects.filter(code="hearing_notice").first()
    length, unit = (rule.length, rule.unit) if rule else (-5, "working_days")
    day = timezone.localtime(hearing_at, workdays.SHANGHAI).date()
    return compute_due(start=day, length=length, unit=unit, rolls_over=True).due_on


def clashes(*, hearing_at: datetime, place: str, dispute: Dispute) -> str:
    """Why a hearing at ``hearing_at`` in ``place`` for ``dispute`` cannot be scheduled, or "": another
    scheduled hearing within ``HEARING_LENGTH`` of it in the same room, or of the same agency (its head
    cannot be in two hearings at once). The case's own hearing, which a new one replaces, does not count."""
    near = (
        Hearing.objects.filter(
            status=Hearing.Status.SCHEDULED,
            scheduled_at__gt=hearing_at - HEARING_LENGTH,
            scheduled_at__lt=hearing_at + HEARING_LENGTH,
        )
        .exclude(dispute=dispute)
        .select_related("dispute")
        .order_by("scheduled_at")
    )
    room = place.strip()
    for other in near:
        when = date_format(timezone.localtime(other.scheduled_at), "DATETIME_FORMAT")
        if room and other.place.strip() == room:
            return _("%(place)s is taken at %(when)s by the hearing of %(case)s.") % {
                "place": room,
                "when": when,
                "case": other.dispute.number,
            }
        if other.dispute.respondent_id == dispute.respondent_id:
            return _("%(agency)s has the hearing of %(case)s at %(when)s: its head cannot attend both.") % {
                "agency": dispute.respondent,
                "case": other.dispute.number,
                "when": when,
            }
    return ""


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

    # The request to the head ends with the hearing: still unanswered past its day, it was missed.
    deadline_cancel(
        subject=context.dispute,
        rule_codes=[ANSWER_RULE],
        reason=action_label(context.action),
        actor=context.actor,
        on=timezone.localtime(context.event.at, workdays.SHANGHAI).date(),
    )
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


MUST_ATTEND_EVENT = "hearing_must_attend"
REVIEW_EVENT = "head_answer_review"


@transaction.atomic
def hearing_mark_must_attend(*, hearing_id: int, actor: User, data: Any) -> Hearing:
    """The centre marks the hearing as one the agency's head must attend (or takes the mark off), on one
    of seed 003's grounds; the agency is told. On the case's timeline."""
    hearing = _locked(hearing_id)
    if not may_record_attendance(hearing, actor):
        raise PermissionDenied(_("The centre marks the hearings the head must attend."))
    if hearing.status != Hearing.Status.SCHEDULED:
        raise ValidationError(_("This hearing is no longer scheduled."))
    form = MustAttendForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    hearing.must_attend = cleaned["must_attend"]
    hearing.must_attend_basis = cleaned["must_attend_basis"] if hearing.must_attend else ""
    hearing.must_attend_note = cleaned["must_attend_note"] if hearing.must_attend else ""
    hearing.save(update_fields=["must_attend", "must_attend_basis", "must_attend_note"])
    summary = (
        f"{hearing.get_must_attend_basis_display()}{('：' + hearing.must_attend_note) if hearing.must_attend_note else ''}"
        if hearing.must_attend
        else _("No longer a hearing the head must attend.")
    )
    dispute_event_add(
        dispute_id=hearing.dispute_id,
        actor=actor,
        action=MUST_ATTEND_EVENT,
        reason=summary,
        data={"hearing": hearing.pk, "must_attend": hearing.must_attend, "basis": hearing.must_attend_basis},
    )
    if hearing.must_attend:
        with override("zh-hans"):
            title = _("The head must attend: %(case)s, hearing on %(when)s") % {
                "case": hearing.dispute.number,
                "when": date_format(timezone.localtime(hearing.scheduled_at), "DATETIME_FORMAT"),
            }
        notify(
            recipients=_agency_people(hearing.dispute.respondent_id),
            kind="hearing_must_attend",
            key=f"hearing-must-attend:{hearing.pk}",
            title=title,
            body=summary,
            url=hearing.get_absolute_url(),
        )
    return hearing


@transaction.atomic
def head_answer_review(*, hearing_id: int, actor: User, data: Any) -> HeadAnswer:
    """The centre approves or refuses a “no head” answer to a hearing the head must attend, with its
    reason; refused, the agency is told to answer again. On the case's timeline."""
    hearing = _locked(hearing_id)
    if not may_record_attendance(hearing, actor):
        raise PermissionDenied(_("The centre reviews the agency's answer."))
    answer = hearing.head_answers.order_by("-answered_at", "-pk").first()
    if answer is None or answer.approval != HeadAnswer.Approval.PENDING:
        raise ValidationError(_("No answer is awaiting the centre's approval."))
    form = ReviewForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    approved = form.cleaned_data["approve"]
    answer.approval = HeadAnswer.Approval.APPROVED if approved else HeadAnswer.Approval.REFUSED
    answer.review_note, answer.reviewed_by, answer.reviewed_at = (
        form.cleaned_data["review_note"],
        actor,
        timezone.now(),
    )
    answer.save(update_fields=["approval", "review_note", "reviewed_by", "reviewed_at"])
    summary = f"{answer.get_approval_display()}：{answer.review_note}"
    dispute_event_add(
        dispute_id=hearing.dispute_id,
        actor=actor,
        action=REVIEW_EVENT,
        reason=summary,
        data={"hearing": hearing.pk, "answer": answer.pk, "approved": approved},
    )
    if not approved:
        with override("zh-hans"):
            title = _("Answer again: the centre did not approve that no head attends %(case)s") % {
                "case": hearing.dispute.number
            }
        notify(
            recipients=_agency_people(hearing.dispute.respondent_id),
            kind="head_answer_refused",
            key=f"head-answer-refused:{answer.pk}",
            title=title,
            body=answer.review_note,
            url=hearing.get_absolute_url(),
        )
    return answer
