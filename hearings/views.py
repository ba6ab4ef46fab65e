"""The hearing page: reached from the case page's "Schedule hearing" action (registered in ``apps.py``
through ``disputes.seam``). Like every case page it answers 404 for a case out of reach."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from core.access import get_scoped_or_404
from core.http import AuthenticatedHttpRequest
from disputes.choices import Status
from disputes.models import Dispute
from disputes.selectors import case_actions
from disputes.services import TransitionRefused
from disputes.views_case import add_service_errors
from documents.views import draft_link_message

from . import notices, services
from .forms import (
    AttendanceForm,
    CancelForm,
    CourtSessionPageForm,
    HeadAnswerForm,
    MeetingPageForm,
    MustAttendForm,
    ReviewForm,
    ScheduleHearingForm,
)
from .models import HeadAnswer, Hearing, HearingKind
from .selectors import current_answer, current_attendance, hearings_reachable

SCHEDULE_ACTION = "hearings.schedule"


@login_required
@require_http_methods(["GET", "POST"])
def hearing_schedule_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dispute = get_scoped_or_404(
        Dispute.objects.select_related("region", "respondent", "centre"), request.user, pk=pk
    )
    label = _("Schedule hearing")
    if request.method == "POST":
        expected = request.POST.get("expected_status") or None
        try:
            hearing = services.hearing_schedule(
                dispute_id=dispute.pk,
                actor=request.user,
                data=request.POST,
                expected_status=expected,
                request_key=request.POST.get("request_key", ""),
            )
        except TransitionRefused as exc:
            messages.error(request, exc.message)
            return redirect(dispute)
        except ValidationError as exc:
            form = ScheduleHearingForm(
                data=request.POST,
                dispute=dispute,
                action=services.SCHEDULE,
                hosts=_hosts(dispute, HearingKind.RECON_HEARING, request.user),
            )
            add_service_errors(form, exc)
            return _render(request, dispute, label, form, expected or dispute.status)
        messages.success(request, _("Done: %(label)s") % {"label": label})
        link = draft_link_message(request.user, dispute, hearing.scheduled_by_event.document)
        if link:
            messages.info(request, link)
        return redirect(dispute)

    if SCHEDULE_ACTION not in [a.name for a in case_actions(dispute, request.user)]:
        if services.SCHEDULE in [t.name for t in dispute.get_available_status_transitions()]:
            raise PermissionDenied  # the case allows it (the state machine says so), this user may not
        messages.error(
            request,
            _("“%(action)s” is not possible while the case is “%(status)s”.")
            % {"action": label, "status": dispute.get_status_display()},
        )
        return redirect(dispute)
    open_hearing = _open(dispute, HearingKind.RECON_HEARING)
    initial: dict[str, Any] = {}
    if open_hearing is not None:  # rescheduling: start from the hearing it replaces
        initial = {
            "hearing_place": open_hearing.place,
            "notice_served_on": open_hearing.notice_served_on,
            **_arrangement_initial(open_hearing),
        }
    form = ScheduleHearingForm(
        dispute=dispute,
        action=services.SCHEDULE,
        initial=initial,
        hosts=_hosts(dispute, HearingKind.RECON_HEARING, request.user),
    )
    return _render(request, dispute, label, form, dispute.status, replaces=open_hearing)


def _hosts(dispute: Dispute, kind: str, user: Any) -> Any:
    return services.hosts_of(dispute, kind, user)


def _open(dispute: Dispute, kind: str) -> Hearing | None:
    return Hearing.objects.filter(dispute=dispute, kind=kind, status=Hearing.Status.SCHEDULED).first()


def _arrangement_initial(hearing: Hearing) -> dict[str, Any]:
    """A rescheduled hearing starts from the arrangement of the one it replaces."""
    lawyer = hearing.participants.filter(role="legal_aid_lawyer").values_list("name", flat=True).first()
    return {
        "room": hearing.room_id,
        "online_link": hearing.online_link,
        "presiding": hearing.presiding_id,
        "officers": list(hearing.officers.values_list("pk", flat=True)),
        "clerk": hearing.clerk_id,
        "issues": hearing.issues,
        "procuratorate_invited": hearing.procuratorate_invited,
        "legal_aid_lawyer": lawyer or "",
    }


ARRANGEMENT_FIELDS = [
    "room",
    "online_link",
    "presiding",
    "officers",
    "clerk",
    "issues",
    "procuratorate_invited",
    "legal_aid_lawyer",
]

# The two kinds this app records without a case transition: (service, page form, title, when field).
KIND_PAGES: dict[str, tuple[Any, Any, Any, list[str]]] = {
    HearingKind.COURT_SESSION: (
        services.court_session_record,
        CourtSessionPageForm,
        gettext_lazy("Record court session notice"),
        ["session_at", "place", "notice_served_on", "short_notice_reason", "court_suggests_head"],
    ),
    HearingKind.RESOLUTION_MEETING: (
        services.meeting_schedule,
        MeetingPageForm,
        gettext_lazy("Schedule resolution meeting"),
        ["meeting_at", "place"],
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def hearing_arrange_view(request: AuthenticatedHttpRequest, pk: int, kind: str) -> HttpResponse:
    """Record a court session from the court's notice, or schedule a resolution meeting (and reschedule
    either: the open one is replaced). 404 for a case out of reach."""
    dispute = get_scoped_or_404(
        Dispute.objects.select_related("region", "respondent", "centre", "court"), request.user, pk=pk
    )
    service, form_class, label, first_fields = KIND_PAGES[kind]
    hosts = _hosts(dispute, kind, request.user)
    replaces = _open(dispute, kind)
    if request.method == "POST":
        try:
            hearing = service(dispute_id=dispute.pk, actor=request.user, data=request.POST)
        except PermissionDenied:
            raise
        except ValidationError as exc:
            form = form_class(data=request.POST, hosts=hosts)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Done: %(label)s") % {"label": label})
            return redirect(hearing)
    else:
        allowed = (
            services.may_record_court_session(dispute, request.user)
            if kind == HearingKind.COURT_SESSION
            else services.may_schedule_meeting(dispute, request.user)
        )
        if not allowed:
            raise PermissionDenied
        statuses = services.COURT_STATUSES if kind == HearingKind.COURT_SESSION else services.MEETING_STATUSES
        if dispute.status not in statuses:
            messages.error(
                request,
                _("“%(action)s” is not possible while the case is “%(status)s”.")
                % {"action": label, "status": dispute.get_status_display()},
            )
            return redirect(dispute)
        initial: dict[str, Any] = {}
        if replaces is not None:
            initial = {"place": replaces.place, **_arrangement_initial(replaces)}
            if kind == HearingKind.COURT_SESSION:
                initial["notice_served_on"] = replaces.notice_served_on
        form = form_class(initial=initial, hosts=hosts)
    form.order_fields([*first_fields, *ARRANGEMENT_FIELDS, "reason"])
    return render(
        request,
        "hearings/arrange.html",
        {"dispute": dispute, "label": label, "form": form, "replaces": replaces, "kind": kind},
    )


def _render(
    request: AuthenticatedHttpRequest,
    dispute: Dispute,
    label: str,
    form: ScheduleHearingForm,
    expected_status: str,
    replaces: Hearing | None = None,
) -> HttpResponse:
    form.order_fields(
        [
            "hearing_at",
            "hearing_place",
            "notice_served_on",
            "short_notice_reason",
            *ARRANGEMENT_FIELDS,
            "reason",
        ]
    )
    return render(
        request,
        "hearings/schedule.html",
        {
            "dispute": dispute,
            "label": label,
            "form": form,
            "replaces": replaces,
            "expected_status": expected_status,
            "expected_status_label": dict(Status.choices).get(expected_status, expected_status),
            # One key per intended action: a second submission of this page is recognised and done once.
            "request_key": request.POST.get("request_key") or uuid.uuid4().hex,
        },
    )


# --- one hearing: the head's answer and the attendance ---------------------------------------------------

# What each form of the hearing's page posts to: (service, form, message when done).
POSTS: dict[str, tuple[Any, Any, Any]] = {
    "answer": (services.head_answer_give, HeadAnswerForm, gettext_lazy("Your answer was recorded.")),
    "attendance": (services.attendance_record, AttendanceForm, gettext_lazy("The attendance was recorded.")),
    "must_attend": (
        services.hearing_mark_must_attend,
        MustAttendForm,
        gettext_lazy("The hearing was marked."),
    ),
    "review": (services.head_answer_review, ReviewForm, gettext_lazy("The decision was recorded.")),
    "cancel": (services.hearing_cancel, CancelForm, gettext_lazy("The hearing was called off.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def hearing_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A hearing as the agency and the centre see it: the request to the agency's head and its answer
    (given here by the head or the liaison), the attendance the clerk records on the day, and the
    history of both. 404 outside the case's reach."""
    hearing = get_scoped_or_404(hearings_reachable(user=request.user), request.user, pk=pk)
    forms: dict[str, Any] = {
        "answer": HeadAnswerForm(),
        "attendance": AttendanceForm(),
        "must_attend": MustAttendForm(
            initial={
                "must_attend": hearing.must_attend,
                "must_attend_basis": hearing.must_attend_basis,
                "must_attend_note": hearing.must_attend_note,
            }
        ),
        "review": ReviewForm(),
        "cancel": CancelForm(),
    }
    if request.method == "POST":
        which = request.POST.get("form", "")
        if which == "notice":
            return _draft_notice(request, hearing)
        step = POSTS.get(which)
        if step is None:
            raise Http404
        service, form_class, done = step
        try:
            service(hearing_id=hearing.pk, actor=request.user, data=request.POST)
        except ValidationError as exc:
            forms[which] = form_class(request.POST)
            add_service_errors(forms[which], exc)
        else:
            messages.success(request, done)
            return redirect(hearing)
    answer = current_answer(hearing)
    return render(
        request,
        "hearings/detail.html",
        {
            "hearing": hearing,
            "dispute": hearing.dispute,
            "answer": answer,
            "answers": list(
                hearing.head_answers.select_related("answered_by").order_by("-answered_at", "-pk")
            ),
            "attendance": current_attendance(hearing),
            "attendances": list(
                hearing.attendances.select_related("recorded_by").order_by("-recorded_at", "-pk")
            ),
            "may_answer": services.may_answer(hearing, request.user)
            and hearing.status == Hearing.Status.SCHEDULED,
            "may_record": services.may_record_attendance(hearing, request.user)
            and hearing.status != Hearing.Status.CANCELLED
            and hearing.scheduled_at <= timezone.now(),
            "answer_form": forms["answer"],
            "attendance_form": forms["attendance"],
            "must_attend_form": forms["must_attend"],
            "review_form": forms["review"],
            "may_review": services.may_record_attendance(hearing, request.user)
            and answer is not None
            and answer.approval == HeadAnswer.Approval.PENDING,
            "may_mark": services.may_record_attendance(hearing, request.user)
            and hearing.status == Hearing.Status.SCHEDULED,
            "cancel_form": forms["cancel"],
            "may_cancel": services.may_cancel(hearing, request.user)
            and hearing.status == Hearing.Status.SCHEDULED,
            "reschedule_url": _reschedule_url(hearing, request.user),
            "notices": notices.notice_types(hearing, request.user),
            "participants": list(hearing.participants.order_by("pk")),
            "panel": hearing.panel(),
            "history": _history(hearing),
        },
    )


def _reschedule_url(hearing: Hearing, user: Any) -> str:
    """Where the hearing is rescheduled: the reconsideration's own step, or the kind's page."""
    if hearing.status != Hearing.Status.SCHEDULED:
        return ""
    dispute = hearing.dispute
    if hearing.kind == HearingKind.RECON_HEARING:
        names = [a.name for a in case_actions(dispute, user)]
        return reverse("hearings:schedule", args=[dispute.pk]) if SCHEDULE_ACTION in names else ""
    if services.may_cancel(hearing, user):
        return reverse(f"hearings:{hearing.kind}", args=[dispute.pk])
    return ""


def _history(hearing: Hearing) -> list[Hearing]:
    """The hearings this one replaced, latest first (a rescheduled hearing keeps its history)."""
    chain: list[Hearing] = []
    current = hearing.replaces
    while current is not None and len(chain) < 50:
        chain.append(current)
        current = current.replaces
    return chain


def _draft_notice(request: AuthenticatedHttpRequest, hearing: Hearing) -> HttpResponse:
    """Draft one of the hearing's notices (the documents capability), filled from the hearing, and open
    the draft to check and issue it."""
    try:
        document = notices.notice_draft(
            hearing=hearing, actor=request.user, doc_type=request.POST.get("doc_type", "")
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(hearing)
    return redirect(reverse("documents:detail", args=[document.pk]))
