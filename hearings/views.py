"""The hearing page: reached from the case page's "Schedule hearing" action (registered in ``apps.py``
through ``disputes.seam``). Like every case page it answers 404 for a case out of reach."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
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
from .forms import ScheduleHearingForm
from .models import Hearing

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
    form.order_fields(["hearing_at", "hearing_place", "notice_served_on", "reason"])
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
