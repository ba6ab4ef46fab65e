"""The follow-up pages: a visit (recorded with its outcome, its attempts listed, its record drafted) and
the list of visits with the figures. 404 outside the case's reach."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core import workdays
from core.access import get_scoped_or_404, scoped
from core.http import AuthenticatedHttpRequest
from core.roles import Capability
from disputes.models import Dispute
from disputes.views_case import add_service_errors
from documents.selectors import user_may_draft
from documents.services import document_draft_create
from documents.types import DocumentType

from . import services
from .forms import VisitForm
from .models import Visit
from .selectors import followup_figures, performance_figures


def _visits(user: Any) -> QuerySet[Visit]:
    return scoped(Visit.objects.all(), user).select_related("dispute", "assigned_to", "recorded_by")


@login_required
@require_http_methods(["GET", "POST"])
def visit_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    visit = get_scoped_or_404(_visits(request.user), request.user, pk=pk)
    form = VisitForm(initial={"visited_on": workdays.today()})
    if request.method == "POST":
        if request.POST.get("form") == "record_document":
            return _draft_record(request, visit)
        try:
            services.visit_record(visit_id=visit.pk, actor=request.user, data=request.POST)
        except ValidationError as exc:
            form = VisitForm(request.POST)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The visit was recorded."))
            visit.refresh_from_db()
            if visit.reopened_by_id:
                messages.info(request, _("Resolution is reopened on the case."))
                return redirect(visit.dispute)
            return redirect(visit)
    return render(
        request,
        "followups/visit.html",
        {
            "visit": visit,
            "dispute": visit.dispute,
            "form": form,
            "may_record": services.may_record(visit, request.user) and visit.status == Visit.Status.PLANNED,
            "may_draft": visit.status == Visit.Status.DONE and user_may_draft(request.user),
            "attempts": visit.attempts(),
            "next_attempt": getattr(visit, "next_attempt", None),
        },
    )


def _draft_record(request: AuthenticatedHttpRequest, visit: Visit) -> HttpResponse:
    """The follow-up record (回访记录) drafted from the visit's own fields, to check and issue."""
    if visit.status != Visit.Status.DONE or not user_may_draft(request.user):
        raise Http404
    findings = "；".join(
        part
        for part in (
            _("Satisfaction: %(s)s") % {"s": visit.get_satisfaction_display()},
            visit.get_performed_display(),
            _("Remains in dispute: %(text)s") % {"text": visit.remaining} if visit.remaining else "",
            _("The dispute can still be resolved: resolution reopened.") if visit.resolvable else "",
        )
        if part
    )
    document = document_draft_create(
        actor=request.user,
        subject=visit.dispute,
        doc_type=DocumentType.FOLLOWUP_RECORD,
        fields={
            "visited_on": visit.visited_on.isoformat() if visit.visited_on else "",
            "visitors": visit.recorded_by.name if visit.recorded_by else "",
            "findings": findings,
        },
    )
    return redirect(reverse("documents:detail", args=[document.pk]))


@login_required
def visit_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The visits within reach (planned ones first, soonest due), and the figures of those cases."""
    if not request.user.can(Capability.MANAGE_CASES):
        raise PermissionDenied
    rows = _visits(request.user).order_by("status", "due_on", "pk")
    mine = request.GET.get("mine") == "1"
    if mine:
        rows = rows.filter(assigned_to=request.user)
    cases = scoped(Dispute.objects.all(), request.user)
    return render(
        request,
        "followups/list.html",
        {
            "visits": rows[:300],
            "figures": followup_figures(cases),
            "performance": performance_figures(cases),
            "mine": mine,
            "today": workdays.today(),
        },
    )
