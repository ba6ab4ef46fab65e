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
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods

from core.access import get_scoped_or_404
from core.http import AuthenticatedHttpRequest
from disputes.choices import Status
from disputes.models import Dispute
from disputes.selectors import case_actions
from disputes.services import TransitionRefused
from disputes.views_case import add_service_errors
from documents.views import draft_link_message

from . import services
from .forms import AttendanceForm, HeadAnswerForm, MustAttendForm, ReviewForm, ScheduleHearingForm
from .models import HeadAnswer, Hearing
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
            form = ScheduleHearingForm(data=request.POST, dispute=dispute, action=services.SCHEDULE)
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
    open_hearing = Hearing.objects.filter(dispute=dispute, status=Hearing.Status.SCHEDULED).first()
    initial = {}
    if open_hearing is not None:  # rescheduling: start from the hearing it replaces
        initial = {"hearing_place": open_hearing.place, "notice_served_on": open_hearing.notice_served_on}
    form = ScheduleHearingForm(dispute=dispute, action=services.SCHEDULE, initial=initial)
    return _render(request, dispute, label, form, dispute.status, replaces=open_hearing)


def _render(
    request: AuthenticatedHttpRequest,
    dispute: Dispute,
    label: str,
    form: ScheduleHearingForm,
    expected_status: str,
    replaces: Hearing | None = None,
) -> HttpResponse:
    form.order_fields(["hearing_at", "hearing_place", "notice_served_on", "short_notice_reason", "reason"])
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
    "answer": (services.head_answer_give, HeadAnswerForm, _lazy("Your answer was recorded.")),
    "attendance": (services.attendance_record, AttendanceForm, _lazy("The attendance was recorded.")),
    "must_attend": (services.hearing_mark_must_attend, MustAttendForm, _lazy("The hearing was marked.")),
    "review": (services.head_answer_review, ReviewForm, _lazy("The decision was recorded.")),
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
    }
    if request.method == "POST":
        which = request.POST.get("form", "")
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
        },
    )
