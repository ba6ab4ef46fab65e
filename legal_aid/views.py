"""The legal-aid pages: a party's screening and application from the case page, the application with its
decision, objection, lawyer and end, the applications list, the coverage with its gaps, and the roster.
Like every case page they answer 404 outside the case's reach."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
from .forms import (
    MATERIALS,
    ApplicationForm,
    AssignmentForm,
    DecisionForm,
    EndForm,
    ObjectionForm,
    ObjectionReviewForm,
    ScreeningForm,
)
from .models import Application, Lawyer
from .selectors import aid_coverage, applications_reachable


def _staff_or_clerk(user: Any) -> None:
    if not services.may_screen(user):
        raise PermissionDenied


def _party(request: AuthenticatedHttpRequest, pk: int, party_pk: int) -> tuple[Dispute, Any]:
    dispute = get_scoped_or_404(Dispute.objects.select_related("region", "respondent"), request.user, pk=pk)
    party = get_object_or_404(dispute.parties.all(), pk=party_pk)
    return dispute, party


@login_required
@require_http_methods(["GET", "POST"])
def screen_view(request: AuthenticatedHttpRequest, pk: int, party_pk: int) -> HttpResponse:
    dispute, party = _party(request, pk, party_pk)
    _staff_or_clerk(request.user)
    if request.method == "POST":
        try:
            services.screening_record(
                dispute_id=dispute.pk, party_id=party.pk, actor=request.user, data=request.POST
            )
        except ValidationError as exc:
            form = ScreeningForm(request.POST)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The screening was recorded."))
            return redirect(f"{dispute.get_absolute_url()}#legal-aid")
    else:
        latest = services.latest_screening(party)
        initial = (
            {
                "matter": latest.matter,
                "situation": latest.situation,
                "group": latest.group,
                "group_proof": latest.group_proof,
                "hardship_declared": latest.hardship_declared,
            }
            if latest
            else {"matter": services.suggested_matter(dispute)}
        )
        form = ScreeningForm(initial=initial)
    return render(
        request,
        "legal_aid/party_form.html",
        {
            "dispute": dispute,
            "party": party,
            "form": form,
            "label": _("Screen for legal aid"),
            "screening": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply_view(request: AuthenticatedHttpRequest, pk: int, party_pk: int) -> HttpResponse:
    dispute, party = _party(request, pk, party_pk)
    _staff_or_clerk(request.user)
    if request.method == "POST":
        try:
            application = services.application_file(
                dispute_id=dispute.pk, party_id=party.pk, actor=request.user, data=request.POST
            )
        except ValidationError as exc:
            form = ApplicationForm(request.POST)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The application was filed."))
            return redirect(application)
    else:
        form = ApplicationForm(initial={"received_on": workdays.today(), "materials": ["identity"]})
    return render(
        request,
        "legal_aid/party_form.html",
        {
            "dispute": dispute,
            "party": party,
            "form": form,
            "label": _("Apply for legal aid"),
            "screening": False,
        },
    )


# What each form of the application's page posts to: (service, form, message when done).
POSTS: dict[str, tuple[Any, Any, Any]] = {
    "decide": (
        services.application_decide,
        DecisionForm,
        gettext_lazy("The decision on the application was recorded."),
    ),
    "object": (services.objection_record, ObjectionForm, gettext_lazy("The objection was recorded.")),
    "review": (services.objection_review, ObjectionReviewForm, gettext_lazy("The review was recorded.")),
    "assign": (services.assignment_make, AssignmentForm, gettext_lazy("The lawyer was assigned.")),
    "end": (services.aid_end, EndForm, gettext_lazy("The aid was ended.")),
}


@login_required
@require_http_methods(["GET", "POST"])
def application_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An application as the legal-aid staff and the centre see it: the screening behind it, the decision,
    the objection, the lawyers proposed with their reasons and conflicts, the assignment and the end."""
    application = get_scoped_or_404(applications_reachable(user=request.user), request.user, pk=pk)
    today = workdays.today()
    forms: dict[str, Any] = {
        "decide": DecisionForm(initial={"decided_on": today}),
        "object": ObjectionForm(initial={"objected_on": today}),
        "review": ObjectionReviewForm(initial={"reviewed_on": today}),
        "assign": AssignmentForm(initial={"assigned_on": today}),
        "end": EndForm(initial={"ended_on": today}),
    }
    if request.method == "POST" and request.POST.get("form") == "refusal_document":
        return _draft_refusal(request, application)
    if request.method == "POST":
        step = POSTS.get(request.POST.get("form", ""))
        if step is None:
            raise Http404
        service, form_class, done = step
        try:
            service(application_id=application.pk, actor=request.user, data=request.POST)
        except ValidationError as exc:
            which = request.POST["form"]
            forms[which] = form_class(request.POST)
            add_service_errors(forms[which], exc)
        else:
            messages.success(request, done)
            return redirect(application)
    status = application.status
    staff = services.may_decide(request.user)
    S = Application.Status
    return render(
        request,
        "legal_aid/application.html",
        {
            "application": application,
            "dispute": application.dispute,
            "forms": forms,
            "may_decide": staff and status == S.RECEIVED,
            "may_object": services.may_screen(request.user)
            and status == S.REFUSED
            and not application.objected_on,
            "may_review": staff and status == S.OBJECTED,
            "may_assign": staff and status in (S.GRANTED, S.ASSIGNED),
            "may_end": staff and status in (S.GRANTED, S.ASSIGNED),
            "candidates": services.candidates(application)
            if staff and status in (S.GRANTED, S.ASSIGNED)
            else [],
            "assignments": list(application.assignments.select_related("lawyer__user", "lawyer__firm")),
            "screening": application.screening,
            "materials": [str(dict(MATERIALS).get(m, m)) for m in application.materials],
            "may_draft_refusal": status in (S.REFUSED, S.OBJECTED) and user_may_draft(request.user),
        },
    )


def _draft_refusal(request: AuthenticatedHttpRequest, application: Application) -> HttpResponse:
    """The refusal in writing (不予法律援助决定书), drafted with the reasons given, to check and issue."""
    if application.status not in (Application.Status.REFUSED, Application.Status.OBJECTED):
        raise Http404
    document = document_draft_create(
        actor=request.user,
        subject=application.dispute,
        doc_type=DocumentType.AID_REFUSAL,
        fields={"addressee": application.party.name, "reason": application.refusal_reasons},
    )
    return redirect(reverse("documents:detail", args=[document.pk]))


@login_required
def application_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The applications within reach, by status; with the coverage at the top."""
    if not (services.may_screen(request.user) or hasattr(request.user, "aid_lawyer")):
        raise PermissionDenied
    rows = applications_reachable(user=request.user)
    status = request.GET.get("status", "")
    if status in Application.Status.values:
        rows = rows.filter(status=status)
    return render(
        request,
        "legal_aid/list.html",
        {"applications": rows[:200], "status": status, "statuses": Application.Status.choices},
    )


@login_required
def coverage_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """符合条件的行政案件提供法律援助: the figure within reach, the gaps (each linked to its case) and the
    parties screened eligible who have not applied."""
    _staff_or_clerk(request.user)
    disputes = scoped(Dispute.objects.all(), request.user)
    figure = aid_coverage(disputes)
    from disputes.models import Party

    not_applied = list(
        Party.objects.filter(pk__in=figure.not_applied)
        .select_related("dispute")
        .order_by("dispute__number", "pk")
    )
    return render(request, "legal_aid/coverage.html", {"figure": figure, "not_applied": not_applied})


@login_required
def roster_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The lawyers on the roster: firm, regions, expertise, capacity and current load."""
    if not request.user.can(Capability.MANAGE_LEGAL_AID):
        raise PermissionDenied
    lawyers = (
        Lawyer.objects.select_related("user", "firm")
        .prefetch_related("regions")
        .annotate(load=Count("assignments", filter=Q(assignments__ended_on__isnull=True)))
        .order_by("-is_active", "user__name", "pk")
    )
    from disputes.choices import MatterCategory

    labels = dict(MatterCategory.choices)
    rows = [(lawyer, [labels.get(m, m) for m in lawyer.expertise or []]) for lawyer in lawyers]
    return render(request, "legal_aid/roster.html", {"rows": rows})
