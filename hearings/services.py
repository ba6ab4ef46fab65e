"""Writes of the hearings app. The case moves only through ``disputes.services.dispute_transition``
(the ``schedule_hearing`` transition, which this app has taken over: see ``apps.py``); the hearing's
own row is written here, in the same transaction. A court session and a resolution meeting do not move
the case: they are timeline entries (``dispute_event_add``) with their hearing."""

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
from core.models import Organisation, User
from core.roles import Capability, Role
from deadlines.arithmetic import compute_due
from deadlines.models import DeadlineRule
from deadlines.reminders import centre_clerks_of
from deadlines.services import deadline_cancel, deadline_meet, deadline_plan
from disputes.choices import Instance, PartyRole
from disputes.choices import Status as CaseStatus
from disputes.models import Dispute
from disputes.seam import TransitionContext
from disputes.services import dispute_event_add, dispute_locked, dispute_transition
from notifications.services import notify

from .forms import (
    ArrangementForm,
    AttendanceForm,
    CancelForm,
    CourtSessionForm,
    HeadAnswerForm,
    MeetingForm,
    MustAttendForm,
    NoticeForm,
    ReviewForm,
)
from .models import Attendance, HeadAnswer, Hearing, HearingKind, MustAttendBasis, Participant, Room

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
    arrangement = _arrangement(data, hosts_of(dispute, HearingKind.RECON_HEARING, actor))
    room = arrangement["room"] = _effective_room(arrangement["room"], recon.hearing_place)
    if room is not None and not recon.hearing_place:
        recon.hearing_place = room.name  # the notice prints the room's name
        recon.save(update_fields=["hearing_place"])
    clash = clashes(
        hearing_at=hearing_at,
        place=recon.hearing_place,
        dispute=dispute,
        room=room,
        panel=_panel(arrangement),
    )
    if clash:
        raise ValidationError({"hearing_at": clash})
    previous = _replace(dispute, HearingKind.RECON_HEARING, actor)
    if served_on:
        # The notice period (行政复议法 第五十一条) that scheduling planned is met by the service of it.
        deadline_meet(
            subject=dispute, rule_code="hearing_notice", key=str(recon.pk), met_on=served_on, actor=actor
        )
    hearing = Hearing.objects.create(
        dispute=dispute,
        kind=HearingKind.RECON_HEARING,
        scheduled_by_event=event,
        scheduled_at=recon.hearing_at,
        place=recon.hearing_place,
        notice_served_on=served_on,
        short_notice_reason=short_reason if too_soon else "",
        replaces=previous,
        created_by=actor,
    )
    _arrange(hearing, arrangement)
    _ask_the_head(hearing, actor)
    return hearing


# --- where, who and what: every kind ---------------------------------------------------------------------


def host_of(dispute: Dispute, kind: str) -> Organisation:
    """The organisation holding a hearing of ``kind`` on ``dispute``: its rooms and its people make the
    panel. The reconsideration body, the court of the current instance, or the centre."""
    if kind == HearingKind.RECON_HEARING:
        from disputes.documents import reconsideration_body

        return reconsideration_body(dispute)
    if kind == HearingKind.COURT_SESSION:
        litigation = dispute.current_litigation
        court = litigation.court if litigation is not None else dispute.court
        if court is not None:
            return court
    return dispute.centre


def hosts_of(dispute: Dispute, kind: str, actor: User) -> list[Organisation]:
    """Whose rooms and people may make up the hearing: the host's, and the arranging clerk's own."""
    host = host_of(dispute, kind)
    own = actor.organisation
    return [host] if own is None or own.pk == host.pk else [host, own]


def _arrangement(data: Any, hosts: list[Organisation]) -> dict[str, Any]:
    form = ArrangementForm(data=data, hosts=hosts)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def _effective_room(room: Room | None, place: str) -> Room | None:
    """The room the hearing is in: the one chosen, unless another place was typed (a place elsewhere,
    e.g. when rescheduling from a hearing that had a room)."""
    if room is None or not place.strip() or place.strip() == room.name:
        return room
    return None


def _panel(arrangement: dict[str, Any]) -> list[User]:
    return [
        p for p in (arrangement["presiding"], *arrangement["officers"], arrangement["clerk"]) if p is not None
    ]


PARTY_ROLES: dict[str, str] = {
    PartyRole.APPLICANT: Participant.Role.APPLICANT,
    PartyRole.THIRD_PARTY: Participant.Role.THIRD_PARTY,
    PartyRole.REPRESENTATIVE: Participant.Role.REPRESENTATIVE,
    PartyRole.LAWYER: Participant.Role.REPRESENTATIVE,
}


def _arrange(hearing: Hearing, arrangement: dict[str, Any]) -> None:
    """Record the room, link, panel and issues, and the participants: the case's parties, the agency,
    the procuratorate when invited, the legal-aid lawyer when named."""
    hearing.room = arrangement["room"]
    hearing.online_link = arrangement["online_link"]
    hearing.presiding = arrangement["presiding"]
    hearing.clerk = arrangement["clerk"]
    hearing.issues = arrangement["issues"].strip()
    hearing.procuratorate_invited = arrangement["procuratorate_invited"]
    if hearing.room is not None and not hearing.place:
        hearing.place = hearing.room.name
    hearing.save(
        update_fields=[
            "room",
            "online_link",
            "presiding",
            "clerk",
            "issues",
            "procuratorate_invited",
            "place",
        ]
    )
    hearing.officers.set(arrangement["officers"])
    dispute = hearing.dispute
    rows = [
        Participant(hearing=hearing, role=PARTY_ROLES[p.role], name=p.name, party=p)
        for p in dispute.parties.order_by("pk")
        if p.role in PARTY_ROLES
    ]
    rows.append(
        Participant(
            hearing=hearing,
            role=Participant.Role.AGENCY,
            name=dispute.respondent.name,
            organisation=dispute.respondent,
        )
    )
    if hearing.procuratorate_invited:
        procuratorate = (
            Organisation.objects.filter(region=dispute.region, kind=Organisation.Kind.PROCURATORATE)
            .order_by("pk")
            .first()
        )
        rows.append(
            Participant(
                hearing=hearing,
                role=Participant.Role.PROCURATORATE,
                name=procuratorate.name if procuratorate else _("People's procuratorate"),
                organisation=procuratorate,
            )
        )
    if arrangement["legal_aid_lawyer"]:
        rows.append(
            Participant(
                hearing=hearing, role=Participant.Role.LEGAL_AID_LAWYER, name=arrangement["legal_aid_lawyer"]
            )
        )
    Participant.objects.bulk_create(rows)


def _replace(dispute: Dispute, kind: str, actor: User) -> Hearing | None:
    """Cancel the case's open hearing of ``kind``, which a new one replaces; its request to the head
    and its attendance clock end with it (the new hearing plans its own)."""
    previous = (
        Hearing.objects.select_for_update(of=("self",))
        .filter(dispute=dispute, kind=kind, status=Hearing.Status.SCHEDULED)
        .first()
    )
    if previous is not None:
        _close(
            previous,
            status=Hearing.Status.CANCELLED,
            reason=_("Rescheduled"),
            actor=actor,
            end_clocks=kind != HearingKind.RECON_HEARING,
        )
        if kind == HearingKind.COURT_SESSION:  # the new summons is reported instead, if still owed
            deadline_cancel(
                subject=dispute,
                rule_codes=[REPORT_RULE],
                key=_answer_key(previous),
                reason=_("Rescheduled"),
                actor=actor,
                judge=False,
            )
    return previous


COURT_SESSION_EVENT = "court_session_noticed"
MEETING_EVENT = "resolution_meeting_scheduled"
CANCEL_EVENT = "hearing_cancelled"

# When a court session can be noticed, and a resolution meeting held: the case's statuses.
COURT_STATUSES = (
    CaseStatus.LIT_FILED,
    CaseStatus.LIT_NOTICED,
    CaseStatus.LIT_ANSWERED,
    CaseStatus.LIT_HEARD,
    CaseStatus.LIT_APPEALED,
)
MEETING_STATUSES = (CaseStatus.ACCEPTED, CaseStatus.MEDIATING)


def may_record_court_session(dispute: Dispute, user: User) -> bool:
    """The court's and the centre's clerks, and the respondent agency's liaison (the notice reaches it)."""
    if user.can(Capability.RECORD_LITIGATION):
        return True
    return user.organisation_id == dispute.respondent_id and user.can(Capability.AGENCY_FEEDBACK)


def may_schedule_meeting(dispute: Dispute, user: User) -> bool:
    """The centre's clerks and mediators."""
    return user.organisation_id != dispute.respondent_id and (
        user.can(Capability.MANAGE_CASES) or user.can(Capability.MEDIATE)
    )


@transaction.atomic
def court_session_record(*, dispute_id: int, actor: User, data: Any) -> Hearing:
    """Record a court session from the court's notice (庭审), for the agency head's appearance: checks the
    head-appearance notice period (3 days, SPC 2020 rules Art. 5; inside it, a reason is required and
    kept) and the clashes; replaces the instance's session still open (rescheduled); asks the agency
    whether its head appears; marks the agency's first first-instance case of the year as one its head
    must attend. On the case's timeline."""
    dispute = dispute_locked(dispute_id=dispute_id, actor=actor)
    if not may_record_court_session(dispute, actor):
        raise PermissionDenied(_("The court's or the centre's clerk, or the agency's liaison, records it."))
    litigation = dispute.current_litigation
    if dispute.status not in COURT_STATUSES or litigation is None:
        raise ValidationError(_("A court session is recorded while the case is in court."))
    form = CourtSessionForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    session_at = cleaned["session_at"]
    if _day(session_at) < litigation.filed_on:
        raise ValidationError({"session_at": _("The session cannot be before the case was filed in court.")})
    served_on = cleaned["notice_served_on"]
    if served_on and served_on > _day(session_at):
        raise ValidationError(
            {"notice_served_on": _("The notice cannot reach the agency after the session.")}
        )
    latest = latest_notice_day(session_at, rule_code=COURT_NOTICE_RULE)
    short = _short_notice(served_on, latest, session_at)
    if short and not cleaned["short_notice_reason"]:
        raise ValidationError(
            {
                "short_notice_reason": _(
                    "The notice for the head's appearance must reach the agency at least 3 days before the "
                    "session, by %(day)s (SPC rules on agency heads appearing in court, Art. 5). Give the "
                    "reason for the short notice."
                )
                % {"day": date_format(latest, "DATE_FORMAT")}
            }
        )
    hearing = _open_new(
        dispute,
        HearingKind.COURT_SESSION,
        actor,
        data,
        at=session_at,
        place=cleaned["place"],
        note=cleaned["reason"],
        event_data={"session_at": session_at.isoformat(), "litigation": litigation.pk},
        litigation=litigation,
        notice_served_on=served_on,
        short_notice_reason=cleaned["short_notice_reason"] if short else "",
    )
    if served_on:
        # The court's notice to the agency (a clock of the court's): met by its service.
        deadline_plan(
            subject=dispute,
            rule_code=COURT_NOTICE_RULE,
            key=_answer_key(hearing),
            starts_on=min(served_on, latest),
            due_on=latest,
            responsible_organisation=litigation.court,
            region=dispute.region,
            actor=actor,
        )
        deadline_meet(
            subject=dispute,
            rule_code=COURT_NOTICE_RULE,
            key=_answer_key(hearing),
            met_on=served_on,
            actor=actor,
        )
    _mark_first_of_year(hearing, court_suggests=cleaned["court_suggests_head"])
    _plan_summons_report(hearing, served_on or workdays.today(), actor)
    _plan_attendance(hearing, actor)
    _ask_the_head(hearing, actor)
    return hearing


@transaction.atomic
def meeting_schedule(*, dispute_id: int, actor: User, data: Any) -> Hearing:
    """Schedule (or reschedule) a resolution meeting at the centre (化解会) while the dispute is being
    resolved: checks the clashes, replaces the case's meeting still open, asks the agency whether its head
    attends. On the case's timeline."""
    dispute = dispute_locked(dispute_id=dispute_id, actor=actor)
    if not may_schedule_meeting(dispute, actor):
        raise PermissionDenied(_("The centre's clerks and mediators schedule resolution meetings."))
    if dispute.status not in MEETING_STATUSES:
        raise ValidationError(_("A resolution meeting is held while the dispute is being resolved."))
    form = MeetingForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    meeting_at = cleaned["meeting_at"]
    if _day(meeting_at) < workdays.today():
        raise ValidationError({"meeting_at": _("A meeting is scheduled for today or later.")})
    hearing = _open_new(
        dispute,
        HearingKind.RESOLUTION_MEETING,
        actor,
        data,
        at=meeting_at,
        place=cleaned["place"],
        note=cleaned["reason"],
        event_data={"meeting_at": meeting_at.isoformat()},
    )
    _plan_attendance(hearing, actor)
    _ask_the_head(hearing, actor)
    return hearing


EVENTS: dict[str, str] = {
    HearingKind.COURT_SESSION: COURT_SESSION_EVENT,
    HearingKind.RESOLUTION_MEETING: MEETING_EVENT,
}
TIME_FIELDS: dict[str, str] = {
    HearingKind.COURT_SESSION: "session_at",
    HearingKind.RESOLUTION_MEETING: "meeting_at",
}


def _open_new(
    dispute: Dispute,
    kind: str,
    actor: User,
    data: Any,
    *,
    at: datetime,
    place: str,
    note: str,
    event_data: dict[str, Any],
    **fields: Any,
) -> Hearing:
    """A court session or a meeting at ``at``: its arrangement checked, no clash, the open one of its
    kind replaced, on the case's timeline; the hearing with its room, panel and participants."""
    arrangement = _arrangement(data, hosts_of(dispute, kind, actor))
    arrangement["room"] = _effective_room(arrangement["room"], place)
    place = place or (arrangement["room"].name if arrangement["room"] else "")
    if not place and not arrangement["online_link"]:
        raise ValidationError({"place": _("Give the place, choose a room or give the online link.")})
    clash = clashes(
        hearing_at=at,
        place=place,
        dispute=dispute,
        room=arrangement["room"],
        panel=_panel(arrangement),
        kind=kind,
    )
    if clash:
        raise ValidationError({TIME_FIELDS[kind]: clash})
    previous = _replace(dispute, kind, actor)
    when = date_format(timezone.localtime(at), "DATETIME_FORMAT")
    parts = (f"{when}，{place or arrangement['online_link']}", _("rescheduled") if previous else "", note)
    event = dispute_event_add(
        dispute_id=dispute.pk,
        actor=actor,
        action=EVENTS[kind],
        reason="；".join(part for part in parts if part),
        data=event_data,
    )
    hearing = Hearing.objects.create(
        dispute=dispute,
        kind=kind,
        scheduled_by_event=event,
        scheduled_at=at,
        place=place,
        replaces=previous,
        created_by=actor,
        **fields,
    )
    _arrange(hearing, arrangement)
    return hearing


def may_cancel(hearing: Hearing, user: User) -> bool:
    """A court session or a resolution meeting is called off by who records it; a reconsideration
    hearing ends with its case's steps (rescheduled, or the application withdrawn)."""
    if hearing.kind == HearingKind.COURT_SESSION:
        return may_record_court_session(hearing.dispute, user)
    if hearing.kind == HearingKind.RESOLUTION_MEETING:
        return may_schedule_meeting(hearing.dispute, user)
    return False


@transaction.atomic
def hearing_cancel(*, hearing_id: int, actor: User, data: Any) -> Hearing:
    """Call off a court session or a resolution meeting, with the reason: its request to the head and its
    reminders end, the agency is told, the history stays. On the case's timeline."""
    hearing = _locked(hearing_id)
    if not may_cancel(hearing, actor):
        raise PermissionDenied(
            _("A reconsideration hearing is rescheduled, or ends with the case's withdrawal.")
        )
    if hearing.status != Hearing.Status.SCHEDULED:
        raise ValidationError(_("This hearing is no longer scheduled."))
    form = CancelForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    reason = form.cleaned_data["reason"]
    _close(hearing, status=Hearing.Status.CANCELLED, reason=reason, actor=actor)
    dispute_event_add(
        dispute_id=hearing.dispute_id,
        actor=actor,
        action=CANCEL_EVENT,
        reason=f"{hearing.get_kind_display()}（{_when(hearing)}）：{reason}",
        data={"hearing": hearing.pk},
    )
    with override("zh-hans"):
        title = _("Called off: %(kind)s of %(case)s on %(when)s") % {
            "kind": hearing.get_kind_display(),
            "case": hearing.dispute.number,
            "when": _when(hearing),
        }
    notify(
        recipients=_agency_people(hearing.dispute.respondent_id),
        kind="hearing_cancelled",
        key=f"hearing-cancelled:{hearing.pk}",
        title=title,
        body=reason,
        url=hearing.get_absolute_url(),
    )
    return hearing


def _when(hearing: Hearing) -> str:
    return date_format(timezone.localtime(hearing.scheduled_at), "DATETIME_FORMAT")


def _short_notice(served_on: date | None, latest: date, hearing_at: datetime) -> bool:
    """Whether the notice misses its period: served after the last day, or not served and that day has
    passed while the hearing is still ahead (one recorded after its day is history)."""
    if served_on is not None:
        return served_on > latest
    return workdays.today() > latest and _day(hearing_at) >= workdays.today()


FIRST_OF_YEAR_NOTE = "本年度该机关第一件开庭审理的一审案件（系统自动标记）"


def _mark_first_of_year(hearing: Hearing, *, court_suggests: bool) -> None:
    """Seed 003's must-attend cases: the agency's first first-instance case with a court session in the
    calendar year (no other case of the agency has an earlier one that year), and a court's written
    suggestion that the head appear."""
    litigation = hearing.litigation
    first = False
    if litigation is not None and litigation.trial_level == Instance.FIRST:
        year_start = datetime(_day(hearing.scheduled_at).year, 1, 1, tzinfo=workdays.SHANGHAI)
        first = (
            not Hearing.objects.filter(
                kind=HearingKind.COURT_SESSION,
                dispute__respondent_id=hearing.dispute.respondent_id,
                litigation__trial_level=Instance.FIRST,
                scheduled_at__gte=year_start,
                scheduled_at__lt=hearing.scheduled_at,
            )
            .exclude(dispute_id=hearing.dispute_id)
            .exclude(status=Hearing.Status.CANCELLED)
            .exists()
        )
    if not (first or court_suggests):
        return
    hearing.must_attend = True
    hearing.must_attend_basis = MustAttendBasis.FIRST_OF_YEAR if first else MustAttendBasis.COURT_SUGGESTION
    notes = [FIRST_OF_YEAR_NOTE if first else "", "法院书面建议负责人出庭" if court_suggests else ""]
    hearing.must_attend_note = "；".join(n for n in notes if n)
    hearing.save(update_fields=["must_attend", "must_attend_basis", "must_attend_note"])


REPORT_RULE = "report_receipt"


def _plan_summons_report(hearing: Hearing, received_on: date, actor: User) -> None:
    """The agency reports the court's summons to the centre (报备, within 2 days: the rule
    ``report_receipt``), with the case's one-click 收文报备 step; an agency that recorded the session
    itself has reported it."""
    dispute = hearing.dispute
    key = _answer_key(hearing)
    deadline_plan(
        subject=dispute,
        rule_code=REPORT_RULE,
        key=key,
        starts_on=received_on,
        start_event="收到开庭传票之日",
        responsible_organisation=dispute.respondent,
        region=dispute.region,
        actor=actor,
    )
    if actor.organisation_id == dispute.respondent_id:
        deadline_meet(subject=dispute, rule_code=REPORT_RULE, key=key, met_on=workdays.today(), actor=actor)


ATTENDANCE_RULE = "hearing_attendance"
COURT_NOTICE_RULE = "court_head_notice"


def _plan_attendance(hearing: Hearing, actor: User) -> None:
    """The agency attends on the day: a clock of its own, reminded a week and a day before (a
    reconsideration hearing's is planned by the case's steps, ``disputes.case_deadlines``)."""
    today = workdays.today()
    if _hearing_day(hearing) < today:
        return
    deadline_plan(
        subject=hearing.dispute,
        rule_code=ATTENDANCE_RULE,
        key=_answer_key(hearing),
        starts_on=today,
        due_on=_hearing_day(hearing),
        responsible_organisation=hearing.dispute.respondent,
        region=hearing.dispute.region,
        actor=actor,
    )


# --- the head's answer and the attendance ---------------------------------------------------------------

ANSWER_EVENT = "head_answer"
ATTENDANCE_EVENT = "head_attendance"
ANSWER_RULE = "hearing_head_answer"


def _day(moment: datetime) -> date:
    return timezone.localtime(moment, workdays.SHANGHAI).date()


def _hearing_day(hearing: Hearing) -> date:
    return _day(hearing.scheduled_at)


def _answer_key(hearing: Hearing) -> str:
    """The key of a hearing's clocks. One request clock per reconsideration (rescheduling its hearing
    plans it again); a court session's and a meeting's are their own (a rescheduled one cancels them)."""
    if hearing.kind != HearingKind.RECON_HEARING:
        return f"{hearing.kind}-{hearing.pk}"
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
        title = _("%(kind)s: %(case)s on %(when)s. Will your head attend?") % {
            "kind": hearing.get_kind_display(),
            "case": dispute.number,
            "when": date_format(timezone.localtime(hearing.scheduled_at), "DATETIME_FORMAT"),
        }
        body = _(
            "Place: %(place)s. Answer in Huajie: the principal head, a deputy head, or no head with the reason."
        ) % {"place": hearing.where or "—"}
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
    """The centre's clerks (and, for a court session, the court's), never the agency itself."""
    if user.organisation_id == hearing.dispute.respondent_id:
        return False
    if user.can(Capability.MANAGE_CASES):
        return True
    return hearing.kind == HearingKind.COURT_SESSION and user.can(Capability.RECORD_LITIGATION)


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
            hearing,
            status=Hearing.Status.HELD,
            reason=_("Attendance recorded"),
            held_at=hearing.scheduled_at,
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


NOTICE_DEFAULTS = {"hearing_notice": (-5, "working_days"), COURT_NOTICE_RULE: (-3, "days")}


def latest_notice_day(hearing_at: datetime, rule_code: str = "hearing_notice") -> date:
    """The last day the notice may be served: 5 working days before a reconsideration hearing (行政复议法
    第五十一条, the rule ``hearing_notice``), 3 days before a court session for the head's appearance (the
    rule ``court_head_notice``), as the centre has set the rule."""
    rule = DeadlineRule.objects.filter(code=rule_code).first()
    length, unit = (rule.length, rule.unit) if rule else NOTICE_DEFAULTS[rule_code]
    day = timezone.localtime(hearing_at, workdays.SHANGHAI).date()
    return compute_due(start=day, length=length, unit=unit, rolls_over=True).due_on


def clashes(
    *,
    hearing_at: datetime,
    place: str,
    dispute: Dispute,
    room: Room | None = None,
    panel: list[User] | tuple[User, ...] = (),
    kind: str = HearingKind.RECON_HEARING,
) -> str:
    """Why a hearing of ``kind`` at ``hearing_at`` for ``dispute`` cannot be scheduled, or "": another
    scheduled hearing within ``HEARING_LENGTH`` of it in the same room (or place), with a member of the
    same panel, or of the same agency (its head cannot be in two hearings at once). The case's own hearing
    of the kind, which a new one replaces, does not count."""
    near = (
        Hearing.objects.filter(
            status=Hearing.Status.SCHEDULED,
            scheduled_at__gt=hearing_at - HEARING_LENGTH,
            scheduled_at__lt=hearing_at + HEARING_LENGTH,
        )
        .exclude(dispute=dispute, kind=kind)
        .select_related("dispute", "room", "presiding", "clerk")
        .prefetch_related("officers")
        .order_by("scheduled_at")
    )
    name = place.strip()
    members = {person.pk: person for person in panel}
    for other in near:
        facts = {"when": date_format(timezone.localtime(other.scheduled_at), "DATETIME_FORMAT")}
        facts["case"] = other.dispute.number
        same_room = room is not None and other.room_id == room.pk
        same_place = bool(name) and other.place.strip() == name and (room is None or other.room_id is None)
        if same_room or same_place:
            return _("%(place)s is taken at %(when)s by the hearing of %(case)s.") % {**facts, "place": name}
        busy = [person for person in other.panel() if person.pk in members]
        if busy:
            return _("%(person)s sits on the panel of %(case)s at %(when)s.") % {
                **facts,
                "person": busy[0].name,
            }
        if other.dispute.respondent_id == dispute.respondent_id:
            return _("%(agency)s has the hearing of %(case)s at %(when)s: its head cannot attend both.") % {
                **facts,
                "agency": dispute.respondent,
            }
    return ""


def _close(
    hearing: Hearing,
    *,
    status: str,
    reason: str,
    held_at: datetime | None = None,
    actor: User | None = None,
    on: date | None = None,
    end_clocks: bool = True,
) -> None:
    """Mark the hearing held or cancelled; its request to the head ends (still unanswered past its day,
    it was missed), and a court session's or a meeting's attendance clock is met or cancelled (a
    reconsideration hearing's follows the case's steps). ``end_clocks=False`` leaves the clocks to the
    hearing replacing this one (a reconsideration's are planned again under the same key)."""
    hearing.status = status
    hearing.held_at = held_at
    hearing.closed_reason = reason[:128]
    hearing.save(update_fields=["status", "held_at", "closed_reason"])
    if not end_clocks:
        return
    key = _answer_key(hearing)
    deadline_cancel(
        subject=hearing.dispute, rule_codes=[ANSWER_RULE], key=key, reason=reason, actor=actor, on=on
    )
    if hearing.kind == HearingKind.RECON_HEARING:
        return
    if status == Hearing.Status.HELD:
        deadline_meet(
            subject=hearing.dispute,
            rule_code=ATTENDANCE_RULE,
            key=key,
            met_on=_hearing_day(hearing),
            actor=actor,
        )
    else:
        deadline_cancel(
            subject=hearing.dispute,
            rule_codes=[ATTENDANCE_RULE],
            key=key,
            reason=reason,
            actor=actor,
            judge=False,
        )


# The case actions after which a scheduled hearing of a kind is over, and what that makes it. A decision
# is recorded on or after the hearing day (disputes' date rules), so the hearing was held; a withdrawn
# application ends the case before it. A suspension leaves the hearing on the books: the case comes
# back to "hearing scheduled" when it resumes, and the clerk reschedules if the day has passed.
# HELD_IF_PAST: held if its day has come by the action's day, else called off; HELD_ONLY: held if its
# day has come, else left alone (a court session recorded while the next one is already noticed).
HELD_IF_PAST, HELD_ONLY = "held_if_past", "held_only"
CLOSED_BY: dict[str, dict[str, str]] = {
    HearingKind.RECON_HEARING: {"decide": Hearing.Status.HELD, "withdraw": Hearing.Status.CANCELLED},
    HearingKind.COURT_SESSION: {
        "hold_session": HELD_ONLY,
        "record_outcome": HELD_IF_PAST,
        "withdraw": HELD_IF_PAST,
        "close": HELD_IF_PAST,
    },
    HearingKind.RESOLUTION_MEETING: {
        "reach_agreement": HELD_IF_PAST,
        "adopt_series_agreement": HELD_IF_PAST,
        "fail": HELD_IF_PAST,
        "transfer": HELD_IF_PAST,
        "withdraw": HELD_IF_PAST,
        "close": HELD_IF_PAST,
    },
}
CLOSING_ACTIONS = {action for actions in CLOSED_BY.values() for action in actions}


def hearing_close_on_transition(context: TransitionContext) -> None:
    """Transition handler (registered in ``apps.py``): the case moved on, so its open hearings are held
    or cancelled. Runs in the transition's transaction: if it fails, the transition is not recorded."""
    from disputes.selectors import action_label

    on = timezone.localtime(context.event.at, workdays.SHANGHAI).date()
    for hearing in Hearing.objects.select_for_update(of=("self",)).filter(
        dispute=context.dispute, status=Hearing.Status.SCHEDULED
    ):
        outcome = CLOSED_BY[hearing.kind].get(context.action)
        if outcome is None:
            continue
        if outcome in (HELD_IF_PAST, HELD_ONLY):
            if _hearing_day(hearing) > on:
                if outcome == HELD_ONLY:
                    continue
                outcome = Hearing.Status.CANCELLED
            else:
                outcome = Hearing.Status.HELD
        hearing.dispute = context.dispute
        _close(
            hearing,
            status=outcome,
            reason=action_label(context.action),
            held_at=hearing.scheduled_at if outcome == Hearing.Status.HELD else None,
            actor=context.actor,
            on=on,
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
