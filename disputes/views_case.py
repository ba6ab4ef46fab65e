"""The pages of one case: registration, the case page, lifecycle actions, notes, uploads and series.

Every page fetches the case through ``core.access``: a case out of the user's reach is 404. Every
write goes through ``disputes.services``; the views only translate their refusals into pages.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.access import can, get_scoped_or_404, scoped
from core.http import AuthenticatedHttpRequest
from core.models import User
from core.roles import Capability
from core.uploads import download_content_type
from documents.types import DocumentType
from documents.views import document_link, documents_card, draft_link_message

from . import seam, selectors, services
from .actions import ACTIONS
from .actions.dates import shown_input
from .case_deadlines import RECON_DECISION_RULES
from .choices import Status
from .clocks import current_clock, running_deadlines
from .forms import (
    AttachmentForm,
    NoteForm,
    SeriesApplyForm,
    SeriesCreateForm,
)
from .models import Attachment, Dispute, DisputeEvent, DisputeSeries, Party

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Statuses in which a case can take its series lead's agreement.
SERIES_ELIGIBLE = (Status.ACCEPTED, Status.MEDIATING)


def _dispute_for(user: User, pk: int, *, full: bool = True) -> Dispute:
    """The case, or 404 when it does not exist or is out of the user's reach. ``full`` loads all the
    case page shows (``selectors.dispute_get``); the action and upload views need only the row."""
    if full:
        return selectors.dispute_get(user=user, pk=pk)
    return get_scoped_or_404(Dispute.objects.select_related("region", "respondent", "centre"), user, pk=pk)


# --- the case page ----------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    at: datetime
    kind: str  # event | note | attachment
    who: User
    label: str
    from_status: StrOrPromise = ""
    to_status: StrOrPromise = ""
    reason: str = ""
    document: str = ""
    document_type: str = ""  # the type of the document the action calls for, to link to it
    document_url: str = ""
    details: list[tuple[str, str]] = field(default_factory=list)
    attachment: Attachment | None = None


def _event_details(event: DisputeEvent) -> list[tuple[str, str]]:
    """The inputs of a lifecycle action, labelled as its form labels them."""
    spec = ACTIONS.get(event.action)
    if spec is None or not isinstance(event.data, dict):
        return []
    fields = spec.form.base_fields
    details = []
    for key, value in event.data.items():
        form_field = fields.get(key)
        if form_field is None or value in (None, "", []):
            continue
        if value is False and isinstance(form_field, forms.BooleanField):
            continue  # an unticked box says nothing worth a line
        if isinstance(value, dict):
            shown = str(value.get("name", ""))
        elif isinstance(value, list):
            shown = "、".join(str(v.get("name", v)) if isinstance(v, dict) else str(v) for v in value)
        elif isinstance(value, bool):
            shown = _("Yes") if value else _("No")
        elif (when := shown_input(form_field, value)) is not None:
            shown = when  # 2026年11月1日 10:00, not the ISO text the data keeps
        else:
            choices = dict(getattr(form_field, "choices", []) or [])
            shown = str(choices.get(value, value))
        if shown:
            details.append((str(form_field.label), shown))
    return details


def _timeline(dispute: Dispute) -> list[TimelineEntry]:
    entries = [
        TimelineEntry(
            at=e.at,
            kind="event",
            who=e.actor,
            label=selectors.action_label(e.action),
            from_status=e.get_from_status_display() if e.from_status != e.to_status else "",
            to_status=e.get_to_status_display() if e.from_status != e.to_status else "",
            reason=e.reason,
            document=str(DocumentType(e.document).label) if e.document in DocumentType.values else e.document,
            document_type=e.document,
            details=_event_details(e),
        )
        for e in dispute.events.all()
        if e.action not in ("note", "attach")  # shown from the note and the file themselves
    ]
    entries += [
        TimelineEntry(at=n.created_at, kind="note", who=n.author, label=_("Note"), reason=n.text)
        for n in dispute.notes.all()
    ]
    entries += [
        TimelineEntry(
            at=a.uploaded_at,
            kind="attachment",
            who=a.uploaded_by,
            label=_("File attached"),
            reason=a.description,
            attachment=a,
        )
        for a in dispute.attachments.all()
    ]
    return sorted(entries, key=lambda entry: entry.at)


SERIES_CANDIDATES = 200


def _series_candidates(dispute: Dispute, user: User) -> list[Dispute]:
    """Open cases against the same agency, not yet in a series: what a series can be made of (the
    newest first)."""
    qs = (
        Dispute.objects.filter(respondent_id=dispute.respondent_id, series__isnull=True)
        .exclude(pk=dispute.pk)
        .exclude(status__in=[Status.CLOSED, Status.REJECTED])
    )
    ordered = scoped(qs, user).prefetch_related("parties").order_by("-received_on", "-created_at", "-pk")
    return list(ordered[:SERIES_CANDIDATES])


def _render_case(request, dispute: Dispute, *, note_form=None, upload_form=None) -> HttpResponse:
    user = request.user
    resolutions = list(dispute.resolutions.all())
    reconsiderations = list(dispute.reconsiderations.all())
    running = running_deadlines(dispute)
    decision_due = {d.key: d.due_on for d in running if d.rule.code in RECON_DECISION_RULES}
    for recon in reconsiderations:
        recon.decision_due = decision_due.get(str(recon.pk))  # type: ignore[attr-defined]  # for the template
    timeline = _timeline(dispute)
    documents = documents_card(user, dispute, wanted=[e.document_type for e in timeline if e.document_type])
    for entry in timeline:
        entry.document_url = document_link(documents, entry.document_type)
    context = {
        "dispute": dispute,
        "clock": current_clock(running),
        "parties": list(dispute.parties.all()),
        "may_reveal": can(user, Capability.REVEAL_PERSONAL_DATA),
        "applicants": [p for p in dispute.parties.all() if p.role == "applicant"],
        "resolutions": resolutions,
        "mediators": [a.mediator for a in dispute.assignments.all()],
        "reconsiderations": reconsiderations,
        "litigations": list(dispute.litigations.all()),
        "timeline": timeline,
        "documents_card": documents,
        "history": [e for e in selectors.dispute_history(user=user, dispute=dispute) if e.changes][::-1],
        # The lifecycle actions and those the apps above provide (``seam``), in one bar.
        "actions": selectors.case_actions(dispute, user),
        "case_panels": seam.case_panels(dispute, user),
        "note_form": note_form or NoteForm(),
        "upload_form": upload_form or AttachmentForm(),
        # The link to make this the lead of a series: the candidates are listed on that page, not read
        # for every view of a case (a large agency has thousands of open cases in one county).
        "can_start_series": can(user, Capability.MANAGE_CASES)
        and dispute.series_id is None
        and dispute.status not in (Status.CLOSED, Status.REJECTED),
    }
    return render(request, "disputes/detail.html", context)


@login_required
@require_GET
def dispute_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _render_case(request, _dispute_for(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Make this case the lead of a new series: its page lists the open cases against the same agency
    that are in no series yet (the newest first, up to ``SERIES_CANDIDATES``), to tick."""
    dispute = _dispute_for(request.user, pk, full=False)
    if not can(request.user, Capability.MANAGE_CASES):
        raise PermissionDenied
    if dispute.series_id is not None:
        messages.info(request, _("This case is already in a series."))
        return redirect("disputes:series-detail", pk=dispute.series_id)
    candidates = _series_candidates(dispute, request.user)
    form = SeriesCreateForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        try:
            series = services.series_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                lead_id=dispute.pk,
                member_ids=form.cleaned_data["member_ids"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Series “%(name)s” created.") % {"name": series.name})
            return redirect("disputes:series-detail", pk=series.pk)
    return render(
        request,
        "disputes/series_create.html",
        {"dispute": dispute, "form": form, "candidates": candidates, "shown": SERIES_CANDIDATES},
    )


def add_service_errors(form: BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on ``form``: each field key on its field, unknown keys as
    non-field errors, and nothing twice (the service may have run this very form)."""
    form.is_valid()  # make sure the form's own errors are there first

    def already(key: str, message: str) -> bool:
        shown = form.errors.get(key)
        return shown is not None and message in [m for e in shown.as_data() for m in e.messages]

    items = exc.message_dict.items() if hasattr(exc, "error_dict") else [(NON_FIELD_ERRORS, exc.messages)]
    for key, message_list in items:
        name = key if key in form.fields else None
        for message in message_list:
            if not already(name or NON_FIELD_ERRORS, message):
                form.add_error(name, message)


# --- lifecycle actions ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def dispute_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404
    dispute = _dispute_for(request.user, pk, full=False)
    owner = seam.performing_action(action)
    if owner is not None:
        return redirect(owner.url(dispute))  # taken over by another app: its page records the step
    label = selectors.action_label(action)
    if request.method == "POST":
        expected = request.POST.get("expected_status") or None
        try:
            dispute = services.dispute_transition(
                dispute_id=dispute.pk,
                action=action,
                actor=request.user,
                data=request.POST,
                expected_status=expected,
                request_key=request.POST.get("request_key", ""),
            )
        except services.TransitionRefused as exc:
            messages.error(request, exc.message)
            return redirect(dispute)
        except ValidationError as exc:
            form = spec.form(data=request.POST, dispute=dispute, action=action)
            add_service_errors(form, exc)
            return _render_action(request, dispute, action, label, form, expected or dispute.status)
        messages.success(request, _("Done: %(label)s") % {"label": label})
        # The document this run called for (a refused confirmation calls for none).
        last = dispute.events.order_by("-at", "-pk").first()
        link = draft_link_message(request.user, dispute, last.document if last else "")
        if link:
            messages.info(request, link)
        return redirect(dispute)

    if action not in selectors.available_actions(dispute, request.user):
        possible_now = [t.name for t in dispute.get_available_status_transitions()]
        if action in possible_now:
            raise PermissionDenied  # the case allows it, this user may not
        messages.error(
            request,
            _("“%(action)s” is not possible while the case is “%(status)s”.")
            % {"action": label, "status": dispute.get_status_display()},
        )
        return redirect(dispute)
    return _render_action(
        request, dispute, action, label, spec.form(dispute=dispute, action=action), dispute.status
    )


def _render_action(request, dispute, action, label, form, expected_status) -> HttpResponse:
    # One key per intended action: a second submission of this page is recognised and done once.
    request_key = request.POST.get("request_key") or uuid.uuid4().hex
    for form_field in form.fields.values():
        # A list of names to tick is easier than a multiple select (which needs Ctrl-click).
        if type(form_field.widget) is forms.SelectMultiple:
            form_field.widget = forms.CheckboxSelectMultiple(choices=form_field.choices)
    # What the action records first; the free-text reason last.
    form.order_fields([name for name in form.fields if name != "reason"] + ["reason"])
    custom = selectors.declared_transitions()[action].custom
    return render(
        request,
        "disputes/action.html",
        {
            "dispute": dispute,
            "action": action,
            "label": label,
            "tone": custom.get("tone", "normal"),
            "form": form,
            "expected_status": expected_status,
            "request_key": request_key,
            "expected_status_label": dict(Status.choices).get(expected_status, expected_status),
        },
    )


# --- notes and files --------------------------------------------------------------------------


@login_required
@require_POST
def note_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dispute = _dispute_for(request.user, pk, full=False)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.note_add(dispute_id=dispute.pk, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Note added."))
            return redirect(f"{dispute.get_absolute_url()}#timeline")
    return _render_case(request, _dispute_for(request.user, pk), note_form=form)


@login_required
@require_POST
def attachment_add_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    dispute = _dispute_for(request.user, pk, full=False)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment = services.attachment_add(
                dispute_id=dispute.pk,
                actor=request.user,
                upload=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("File attached: %(name)s") % {"name": attachment.original_name})
            return redirect(f"{dispute.get_absolute_url()}#timeline")
    return _render_case(request, _dispute_for(request.user, pk), upload_form=form)


@login_required
def attachment_download(request: AuthenticatedHttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    dispute = _dispute_for(request.user, pk, full=False)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, dispute=dispute)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    # Always a download, with the content type of the file's kind (checked on upload), never the type
    # the uploader's browser claimed: an attachment is never opened as a page of this site.
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=download_content_type(attachment.original_name),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def party_reveal(request: AuthenticatedHttpRequest, pk: int, party_pk: int) -> HttpResponse:
    """A party's ID and phone numbers in full, on a page of their own: asked for on purpose (a POST from
    the case page's "show" button), answered only to a role that needs them, and audited."""
    dispute = _dispute_for(request.user, pk, full=False)
    try:
        party = services.party_numbers_reveal(user=request.user, dispute=dispute, party_id=party_pk)
    except Party.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "disputes/party_numbers.html", {"dispute": dispute, "party": party})


# --- series -----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def series_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    series = get_scoped_or_404(
        DisputeSeries.objects.select_related("lead", "centre", "created_by"), request.user, pk=pk
    )
    members = list(
        scoped(series.members.all(), request.user)
        .select_related("respondent")
        .prefetch_related("parties")
        .order_by("year", "sequence")
    )
    lead = series.lead
    # The agreement the members can take: the lead's current resolution's, as the service applies it.
    resolution = lead.current_resolution if lead is not None else None
    agreement = resolution if resolution and resolution.agreement_signed_on else None
    manager = can(request.user, Capability.MANAGE_CASES)
    eligible = [d for d in members if d.pk != series.lead_id and d.status in SERIES_ELIGIBLE]
    form = SeriesApplyForm(members=eligible) if manager and eligible else None
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        form = SeriesApplyForm(request.POST, members=eligible)
        if form.is_valid():
            try:
                done = services.series_apply_lead_agreement(
                    series_id=series.pk, actor=request.user, member_ids=form.cleaned_data["member_ids"]
                )
            except services.TransitionRefused as exc:
                messages.error(request, exc.message)
                return redirect("disputes:series-detail", pk=series.pk)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The lead case's agreement was applied to %(count)s cases: %(numbers)s")
                    % {"count": len(done), "numbers": "、".join(d.number for d in done)},
                )
                return redirect("disputes:series-detail", pk=series.pk)
    return render(
        request,
        "disputes/series.html",
        {"series": series, "members": members, "agreement": agreement, "form": form},
    )
