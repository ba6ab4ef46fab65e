"""The document pages: a new draft, the draft with its live preview, the progress of an issue, the
issued document with its PDF, and the documents card on a case page.

Every page reaches the document's subject (the case) through ``documents.selectors``: a user who
cannot see the case gets 404 for its documents, exactly as for the case itself. Writing (drafting,
editing, issuing, retrying, re-issuing) also needs a case-handling capability (403 otherwise). Every
read goes through ``documents.selectors`` and every write through ``documents.services`` (which check
reach and role again); the views only translate refusals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.api.exceptions import Conflict
from core.http import AuthenticatedHttpRequest

from . import selectors, services
from .forms import DraftForm, NewDocumentForm
from .models import Document, DocumentStatus, RenderState
from .selectors import subject_label
from .subjects import SubjectAdapter, adapter_for
from .types import DRAFTABLE, SPECS, DocumentType, printed_fields, template_name

may_draft = selectors.user_may_draft


# The preview is a whole HTML page with the document's own <style> (the GB/T 9704 layout and the faces),
# shown in a frame of the document page and replaced there through ``srcdoc`` while the text is typed
# (a srcdoc frame takes its page's policy). The preview and the document page therefore allow inline
# styles, and the preview may be framed by our own pages; scripts stay 'self' only, as everywhere.
def _preview_policy(response: HttpResponse, *, framed: bool = False) -> HttpResponse:
    # What django-csp's csp_replace decorator sets (the decorator's type fits views of one argument).
    policy: dict[str, list[str]] = {"style-src": [SELF, UNSAFE_INLINE]}
    if framed:
        policy["frame-ancestors"] = [SELF]
    response._csp_replace = policy  # type: ignore[attr-defined]
    return response


def available_types() -> list[tuple[str, str]]:
    """The types that can be drafted: those with a template (a type is added with its template)."""
    choices = []
    for value in DRAFTABLE:
        try:
            get_template(template_name(value))
        except TemplateDoesNotExist:
            continue
        choices.append((value, SPECS[value].title))
    return choices


def draft_create_url(subject: Model, doc_type: str) -> str:
    return reverse("documents:new", args=[subject_label(subject), subject.pk, doc_type])


def draft_link_message(user, subject: Model, doc_type: str) -> str | None:
    """A flash message linking to a new draft of ``doc_type`` (after the action that calls for it),
    or None when the user may not draft or the type has no template yet."""
    if not doc_type or not may_draft(user) or doc_type not in dict(available_types()):
        return None
    return format_html(
        '<a href="{}" data-testid="draft-link">{}</a>',
        draft_create_url(subject, doc_type),
        _("Generate %(title)s") % {"title": SPECS[doc_type].title},
    )


def _resolve(user, label: str, pk: int) -> tuple[SubjectAdapter, Model]:
    return selectors.subject_get(user=user, label=label, pk=pk)


def _document_for(user, pk: int) -> tuple[Document, SubjectAdapter, Model]:
    """The document and its subject, or 404 when either is out of the user's reach."""
    return selectors.document_get(user=user, pk=pk)


def _require_drafter(user) -> None:
    if not may_draft(user):
        raise PermissionDenied


def _title(document: Document) -> str:
    return SPECS[document.doc_type].title


def download_filename(document: Document) -> str:
    """受理通知书_郧西化受〔2026〕1号.pdf; a correction carries its version."""
    name = f"{_title(document)}_{document.number}"
    if document.version > 1:
        name += _("_version %(version)s") % {"version": document.version}
    return f"{name}.pdf".replace("/", "-")


# --- the documents card on the subject's page ------------------------------------------------------


@dataclass
class DocumentGroup:
    doc_type: str
    title: str
    documents: list[Document] = field(default_factory=list)


def documents_card(user, subject: Model, *, wanted: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
    """What the documents card on a case page shows: every document of the case, grouped by type
    with all its versions, and the control to start a new one. ``wanted``: the types the case's
    actions called for, oldest first; the newest one not yet drafted is preselected.

    The new-document control offers first the types that fit the case's stage (the subject's
    ``fitting_types``), the others behind "more"."""
    documents = list(selectors.document_list(subject=subject))
    by_type: dict[str, DocumentGroup] = {}
    for value in DocumentType.values:
        for document in documents:
            if document.doc_type == value:
                group = by_type.setdefault(value, DocumentGroup(value, SPECS[value].title))
                group.documents.append(document)
    drafter = may_draft(user)
    types = available_types() if drafter else []
    missing = [t for t in wanted if t and t not in by_type and t in dict(types)]
    fitting, more = split_types(subject, types)
    suggested = missing[-1] if missing else ""
    if suggested and suggested not in dict(fitting):
        # The type the last action called for is offered first even if the stage has moved on.
        fitting = [(suggested, dict(types)[suggested]), *fitting]
        more = [t for t in more if t[0] != suggested]
    if not fitting:  # nothing fits (a closed case): every type in the list, none hidden
        fitting, more = types, []
    return {
        "groups": list(by_type.values()),
        "suggested": suggested,
        "count": len(documents),
        "may_draft": drafter,
        "new_form": NewDocumentForm(choices=fitting) if types else None,
        "more_types": [(value, label, draft_create_url(subject, value)) for value, label in more],
        "types": dict(types),
        "new_url": reverse("documents:new-any", args=[subject_label(subject), subject.pk]),
        "latest": {value: group.documents[-1] for value, group in by_type.items()},
        "subject": subject,
    }


def split_types(subject: Model, types: list[tuple[str, str]]) -> tuple[list, list]:
    """``types`` as (those that fit the subject's stage, in the subject's order; the others)."""
    fits = [t for t in adapter_for(subject).fitting_types(subject) if t in dict(types)]
    labels = dict(types)
    fitting = [(t, labels[t]) for t in fits]
    return fitting, [t for t in types if t[0] not in fits]


def document_link(card: dict[str, Any], doc_type: str) -> str:
    """Where a timeline entry naming ``doc_type`` points: its latest document, else a new draft."""
    if not doc_type:
        return ""
    latest = card["latest"].get(doc_type)
    if latest is not None:
        return reverse("documents:detail", args=[latest.pk])
    if doc_type in card["types"]:  # empty for a user who may not draft
        return draft_create_url(card["subject"], doc_type)
    return ""


# --- a new draft ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_new(
    request: AuthenticatedHttpRequest, subject_label: str, subject_id: int, doc_type: str = ""
) -> HttpResponse:
    """GET: what the new draft will hold, with a button to create it. POST: create it.

    Without a type in the URL (the case page's select), the type comes from the form."""
    adapter, subject = _resolve(request.user, subject_label, subject_id)
    _require_drafter(request.user)
    types = dict(available_types())
    if not doc_type:
        doc_type = (request.POST if request.method == "POST" else request.GET).get("doc_type", "")
        if doc_type not in types:
            messages.error(request, _("Choose the type of document to draft."))
            return redirect(adapter.url(subject))
        if request.method == "GET":
            return redirect(draft_create_url(subject, doc_type))
    elif doc_type not in types:
        raise Http404
    if request.method == "POST":
        try:
            document = services.document_draft_create(actor=request.user, subject=subject, doc_type=doc_type)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(adapter.url(subject))
        messages.success(request, _("Draft created. Edit the text, check the preview, then issue it."))
        return redirect("documents:detail", pk=document.pk)

    spec = SPECS[doc_type]
    initial = printed_fields(doc_type, adapter.initial(subject, doc_type))  # a date as it will print
    existing = list(selectors.document_list(subject=subject, doc_type=doc_type))
    fitting, _more = split_types(subject, list(types.items()))
    return render(
        request,
        "documents/pages/new.html",
        {
            "subject": subject,
            "subject_url": adapter.url(subject),
            "doc_type": doc_type,
            "title": spec.title,
            "prefilled": [(f.label, initial.get(f.name, ""), f.multiline) for f in spec.fields],
            "existing": existing,
            "drafts": [d for d in existing if d.status == DocumentStatus.DRAFT],
            "fits_stage": doc_type in dict(fitting),
            "fitting": [(value, label, draft_create_url(subject, value)) for value, label in fitting],
            "nav_current": "disputes",
        },
    )


# --- one document -----------------------------------------------------------------------------


def _render_document(request, document, adapter, subject, *, form=None, status=200) -> HttpResponse:
    drafter = may_draft(request.user)
    if document.status == DocumentStatus.DRAFT and form is None:
        form = DraftForm(initial=document.fields, doc_type=document.doc_type)
    replaced_by = selectors.document_replaced_by(document=document)
    versions = selectors.document_versions(document=document)
    response = render(
        request,
        "documents/pages/document.html",
        {
            "document": document,
            "title": _title(document),
            "subject": subject,
            "subject_url": adapter.url(subject),
            "form": form,
            "may_draft": drafter,
            "replaced_by": replaced_by,
            "versions": versions,
            "failed": document.render_state == RenderState.FAILED,
            "nav_current": "disputes",
        },
        status=status,
    )
    return _preview_policy(response)


def _refuse_locked(request, document: Document) -> HttpResponse:
    messages.error(
        request,
        _("This document has been issued and can no longer be changed. To correct it, re-issue it."),
    )
    return redirect("documents:detail", pk=document.pk)


def _submitted(request: AuthenticatedHttpRequest, document: Document) -> dict[str, str]:
    """The draft's fields as stored, overlaid with those the request sent (a form sends them all)."""
    names = [f.name for f in SPECS[document.doc_type].fields]
    return {
        **{name: document.fields.get(name, "") for name in names},
        **{name: request.POST[name] for name in names if name in request.POST},
    }


def _sends_fields(request: AuthenticatedHttpRequest, document: Document) -> bool:
    return any(f.name in request.POST for f in SPECS[document.doc_type].fields)


@login_required
@require_http_methods(["GET", "POST"])
def document_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The document. POST saves a draft's text (an issued document is refused, unchanged)."""
    document, adapter, subject = _document_for(request.user, pk)
    if request.method == "GET":
        return _render_document(request, document, adapter, subject)
    _require_drafter(request.user)
    if not document.is_editable:
        return _refuse_locked(request, document)
    form = DraftForm(_submitted(request, document), doc_type=document.doc_type)
    if not form.is_valid():
        return _render_document(request, document, adapter, subject, form=form, status=400)
    try:
        services.document_draft_update(document_id=document.pk, actor=request.user, fields=form.cleaned_data)
    except services.DocumentLocked:
        return _refuse_locked(request, document)
    messages.success(request, _("Draft saved."))
    return redirect("documents:detail", pk=document.pk)


def _not_issued(request, document, adapter, subject, form: DraftForm) -> HttpResponse:
    messages.error(request, _("The document was not issued: complete the required fields."))
    return _render_document(request, document, adapter, subject, form=form, status=400)


@login_required
@require_POST
def document_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Issue a draft: save the text as submitted (the draft form sends it), number it, queue the PDF."""
    document, adapter, subject = _document_for(request.user, pk)
    _require_drafter(request.user)
    data = _submitted(request, document)
    if not document.is_editable:
        # A second click on "Issue" sends the same text again: nothing to refuse, nothing to do.
        unchanged = all(str(v).strip() == str(document.fields.get(k, "")).strip() for k, v in data.items())
        if document.status == DocumentStatus.ISSUING and unchanged:
            return redirect("documents:detail", pk=document.pk)
        return _refuse_locked(request, document)
    form = DraftForm(data, doc_type=document.doc_type, for_issue=True)
    if not form.is_valid():
        return _not_issued(request, document, adapter, subject, form)
    try:
        if _sends_fields(request, document):
            services.document_draft_update(
                document_id=document.pk, actor=request.user, fields=form.cleaned_data
            )
        services.document_issue(document_id=document.pk, actor=request.user)
    except services.DocumentLocked:
        return _refuse_locked(request, document)
    except ValidationError as exc:  # the service's own check of the required fields
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        for name, messages_ in errors.items():
            for message in messages_:
                form.add_error(name if name in form.fields else None, message)
        return _not_issued(request, document, adapter, subject, form)
    messages.success(request, _("Numbered and queued for issue: the PDF is being produced."))
    return redirect("documents:detail", pk=document.pk)


@login_required
@require_POST
def document_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    document, _adapter, _subject = _document_for(request.user, pk)
    _require_drafter(request.user)
    try:
        services.document_retry(document_id=document.pk, actor=request.user)
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Producing the PDF again."))
    return redirect("documents:detail", pk=document.pk)


@login_required
@require_POST
def document_reissue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Start a correction: a new draft version of an issued document. The issued one is kept."""
    document, _adapter, _subject = _document_for(request.user, pk)
    _require_drafter(request.user)
    try:
        draft = services.document_reissue(document_id=document.pk, actor=request.user)
    except Conflict as exc:
        pending = selectors.document_pending_correction(document=document)
        if pending is not None:
            messages.info(request, _("A correction of this document is already being drafted."))
            return redirect("documents:detail", pk=pending.pk)
        messages.error(request, exc.message)
        return redirect("documents:detail", pk=document.pk)
    messages.success(
        request,
        _(
            "Correction drafted as version %(version)s. The issued version stays valid until this one is issued."
        )
        % {"version": draft.version},
    )
    return redirect("documents:detail", pk=draft.pk)


@login_required
@require_http_methods(["GET", "POST"])
@xframe_options_sameorigin
@never_cache
def document_preview(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The document as it prints, for the preview frame. A POST from the draft form previews the text
    being typed without saving it (and changes nothing)."""
    document, _adapter, _subject = _document_for(request.user, pk)
    if request.method == "POST":
        _require_drafter(request.user)
        if document.is_editable:
            form = DraftForm(_submitted(request, document), doc_type=document.doc_type)
            form.is_valid()
            document.fields = {**document.fields, **form.cleaned_data}
    font_url = reverse("documents:font", args=["x"])[:-1]
    html = services.document_preview_html(document=document, font_url=font_url)
    return _preview_policy(HttpResponse(html), framed=True)


@login_required
@require_GET
@never_cache
def document_status(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """How far the issue of a document has got, for the progress bar."""
    document, _adapter, _subject = _document_for(request.user, pk)
    return JsonResponse(
        {
            "status": document.status,
            "status_label": document.get_status_display(),
            "render_state": document.render_state,
            "render_state_label": document.get_render_state_display(),
            "render_progress": document.render_progress,
            "render_error": document.render_error,
        }
    )


@login_required
@require_GET
def document_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The issued PDF, byte for byte as stored (its SHA-256 is on the document page)."""
    document, _adapter, _subject = _document_for(request.user, pk)
    if document.status not in (DocumentStatus.ISSUED, DocumentStatus.SUPERSEDED) or not document.file:
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    return FileResponse(
        handle, as_attachment=True, filename=download_filename(document), content_type="application/pdf"
    )


@login_required
@require_GET
def document_font(request: AuthenticatedHttpRequest, name: str) -> FileResponse:
    """The packaged document faces, for the on-screen preview (PDFs embed them on their own)."""
    from .render import FONT_FILES, font_dir

    if name not in FONT_FILES.values():
        raise Http404
    response = FileResponse((font_dir() / name).open("rb"), content_type="font/otf")  # noqa: SIM115 - FileResponse closes it
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response
