"""Writes to disputes. Views, the API and tasks call these; nothing else changes a case.

Every service is atomic and takes keyword arguments. Transitions lock the case row, so two people
acting on one case at once are serialised: the second sees the first's result and is told so.

Refusals are exceptions, and because every service is one transaction a refused call writes nothing
(no timeline entry, no history row, no number taken):

* ``PermissionDenied``: the user's role may never do this, or the case is outside their reach;
* ``TransitionRefused`` (HTTP 409): the case's status, or a condition on it, does not allow it now;
* ``ValidationError``: the input is wrong; ``message_dict`` names the field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed

from core.access import can, scoped
from core.api.exceptions import Conflict
from core.models import Organisation, User
from core.roles import Capability
from core.uploads import check_upload
from security import audit
from security.models import AuditAction, AuditResult

from . import seam
from .actions import ACTIONS
from .actions.dates import earliest
from .choices import CaseKind, Consent, PartyRole, Source, Status
from .models import Attachment, Dispute, DisputeEvent, DisputeSeries, Note, Party
from .numbering import case_number_take
from .search import search_text_for
from .selectors import action_label, declared_transitions


class TransitionRefused(Conflict):
    """The case's state does not allow the action (the API answers 409). ``message`` is for the user."""


@dataclass(frozen=True)
class PartyInput:
    role: str
    kind: str
    name: str
    id_number: str = ""
    credit_code: str = ""
    legal_representative: str = ""
    phone: str = ""
    address: str = ""
    law_firm: str = ""
    represents_index: int | None = None  # position of the represented party in the list


def _within_reach(dispute: Dispute, actor: User) -> bool:
    """Whether ``actor`` may see the case at all (``core.access``): views answer 404 before getting
    here; the services refuse too, so that no other caller can act on a case out of reach."""
    return scoped(Dispute.objects.filter(pk=dispute.pk), actor).exists()


def _ensure_reach(dispute: Dispute, actor: User) -> None:
    if not _within_reach(dispute, actor):
        raise PermissionDenied(_("This case is outside your reach."))


def _record(
    dispute: Dispute,
    *,
    action: str,
    actor: User,
    from_status: str = "",
    reason: str = "",
    data=None,
    document="",
    request_key: str = "",
) -> DisputeEvent:
    event = DisputeEvent.objects.create(
        dispute=dispute,
        request_key=request_key,
        action=action,
        from_status=from_status,
        to_status=dispute.status,
        actor=actor,
        reason=reason,
        data=data or {},
        document=document,
    )
    audit.record(
        AuditAction.TRANSITION,
        user=actor,
        obj=dispute,
        detail={"action": action, "from": from_status, "to": dispute.status, "event": event.pk},
    )
    return event


def _refresh_search_text(dispute: Dispute) -> None:
    # ID and phone numbers never enter the search text: they are found by their keyed hash.
    parties = list(dispute.parties.values_list("name", "credit_code"))
    dispute.search_text = search_text_for(
        dispute.number,
        dispute.court_case_number,
        dispute.act_summary,
        dispute.act_document_number,
        dispute.claims,
        dispute.facts,
        dispute.respondent.name,
        *(" ".join(p) for p in parties),
    )
    Dispute.objects.filter(pk=dispute.pk).update(search_text=dispute.search_text)


@transaction.atomic
def dispute_register(
    *, actor: User, centre: Organisation, data: dict[str, Any], parties: list[PartyInput]
) -> Dispute:
    """Register a dispute and give it its number. ``data`` holds the Dispute fields of the intake form.

    A court-filed case whose party refused pre-filing resolution is registered too (so that the
    push rate shows it), straight into litigation, with the refusal and its reason recorded.
    """
    if not (can(actor, Capability.REGISTER_DISPUTE)):
        raise PermissionDenied
    if centre.kind not in ("centre", "justice_bureau"):
        raise ValidationError({"centre": _("Cases are registered at a resolution centre or justice bureau.")})
    if not (actor.organisation and centre.region.path.startswith(actor.organisation.region.path)):
        # A case registered elsewhere would at once be out of the registering user's own reach.
        raise PermissionDenied(_("You cannot register cases at a centre outside your region."))
    data = dict(data)
    for field in ("kind", "source", "received_on"):
        if not data.get(field):
            raise ValidationError({field: _("This field is required.")})
    for field in ("received_on", "act_date"):
        if isinstance(data.get(field), str):
            try:
                data[field] = cast("models.Field[Any, Any]", Dispute._meta.get_field(field)).to_python(
                    data[field]
                )
            except ValidationError as exc:
                raise ValidationError({field: exc.messages}) from exc
    if not any(p.role == PartyRole.APPLICANT for p in parties):
        raise ValidationError({"parties": _("Name at least one applicant.")})
    for index, p in enumerate(parties):
        if p.represents_index is not None and not 0 <= p.represents_index < index:
            raise ValidationError(
                {f"parties.{index}.represents": _("A representative follows the party they act for.")}
            )
    source = data["source"]
    if source == Source.COURT_PUSH:
        if not data.get("court"):
            raise ValidationError({"court": _("Name the court that pushes the case.")})
        if data.get("consent") not in (Consent.GIVEN, Consent.REFUSED):
            raise ValidationError(
                {"consent": _("Record whether the party consented to pre-filing resolution.")}
            )
        if data["consent"] == Consent.REFUSED and not (data.get("consent_note") or "").strip():
            raise ValidationError({"consent_note": _("Record the reason the party gave for refusing.")})
    today = timezone.localdate()
    for field in ("received_on", "act_date"):
        if data.get(field) and data[field] > today:
            raise ValidationError({field: _("This date is in the future.")})
    if data.get("act_date") and data["received_on"] < data["act_date"]:
        raise ValidationError({"received_on": _("The application cannot precede the act it disputes.")})

    kind = data["kind"]
    if kind not in CaseKind.values:
        raise ValidationError({"kind": _("Choose a valid case kind.")})
    year = data["received_on"].year
    # Taken inside this transaction: if anything below fails, the number is given back (no gaps).
    sequence, number = case_number_take(centre=centre, year=year, kind=kind)
    if Dispute.objects.filter(number=number).exists():
        raise ValidationError(
            {
                "centre": _(
                    "Case number %(number)s is already used by another centre with the same short name. "
                    "Give each centre a distinct short name."
                )
                % {"number": number}
            }
        )
    dispute = Dispute(
        number=number,
        year=year,
        sequence=sequence,
        centre=centre,
        region=centre.region,
        registered_by=actor,
        **data,
    )
    dispute._history_user = actor
    dispute.full_clean(exclude=["status"])  # the protected FSM field is set by transitions only
    dispute.save()

    created: list[Party] = []
    for p in parties:
        party = Party(
            dispute=dispute,
            role=p.role,
            kind=p.kind,
            name=p.name,
            id_number=p.id_number,
            credit_code=p.credit_code,
            legal_representative=p.legal_representative,
            phone=p.phone,
            address=p.address,
            law_firm=p.law_firm,
            represents=created[p.represents_index] if p.represents_index is not None else None,
        )
        party._history_user = actor
        try:
            party.full_clean(exclude=["dispute", "represents"])
        except ValidationError as exc:
            raise ValidationError(
                {f"parties.{len(created)}.{k}": v for k, v in exc.message_dict.items()}
            ) from exc
        party.save()
        created.append(party)

    event = _record(
        dispute, action="register", actor=actor, data={"source": source, "consent": dispute.consent}
    )
    seam.run_transition_handlers(
        dispute=dispute, action="register", from_status="", actor=actor, data=data, event=event
    )
    if source == Source.COURT_PUSH and dispute.consent == Consent.REFUSED:
        # Stays with the court: straight into litigation, the refusal on record.
        dispute_transition(
            dispute_id=dispute.pk,
            action="file_suit",
            actor=actor,
            data={
                "court": dispute.court_id,
                "court_case_number": dispute.court_case_number or "—",
                "filed_on": dispute.received_on,
                "reason": dispute.consent_note,
            },
            check_permission=False,
        )
        dispute.refresh_from_db()
    _refresh_search_text(dispute)
    return dispute


@transaction.atomic
def dispute_transition(
    *,
    dispute_id: int,
    action: str,
    actor: User,
    data: dict[str, Any],
    expected_status: str | None = None,
    request_key: str = "",
    check_permission: bool = True,
    by_app: str = "",
) -> Dispute:
    """Run one lifecycle action on a case.

    The checks run in this order, and the first that fails refuses the action with nothing written:
    the user's role and reach (``PermissionDenied``), ``expected_status`` (see below), the case's status
    and the transition's conditions (``TransitionRefused`` saying why), the input (``ValidationError``
    naming the field).

    ``expected_status`` is the status the user saw when they chose the action. If the case has moved
    on since: when the last thing that happened is this very action from that status (a double click,
    a retried request, a redelivered task), nothing is done and the case is returned; otherwise the
    action is refused with TransitionRefused. Actions that leave the status unchanged (a session, a
    performance report) cannot be recognised as repeats that way: ``request_key`` (a key the page or
    the client makes once per intended action) can. A key already on the case's timeline makes the call
    a no-op, whatever the action.

    ``check_permission=False`` is for services acting on the system's behalf (registration of a
    refused court push), never for a user's request.

    A transition another app has taken over (``seam.CaseAction.performs``, e.g. the hearings app's
    scheduling) is refused unless that app calls it, passing its label as ``by_app``. After the action
    is recorded, the transition handlers of the apps above run (``seam``), in this transaction: one
    that raises refuses the action, with nothing written.
    """
    spec = ACTIONS.get(action)
    if spec is None:
        raise TransitionRefused(_("Unknown action “%(action)s”.") % {"action": action})
    # Lock the case row only: the joined region and agency rows are shared by every other case.
    dispute = (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("region", "respondent")
        .get(pk=dispute_id)
    )
    method = getattr(dispute, action)

    if check_permission:
        declared = _declared(dispute, action)
        if declared is None or not declared.has_perm(dispute, actor):
            raise PermissionDenied(
                _("Your role does not allow “%(action)s”.") % {"action": action_label(action)}
            )
        _ensure_reach(dispute, actor)

    owner = seam.performing_action(action)
    if owner is not None and by_app != owner.app:
        raise TransitionRefused(
            _("“%(action)s” is taken in %(app)s, on its own page, which records its details.")
            % {"action": action_label(action), "app": apps.get_app_config(owner.app).verbose_name}
        )

    request_key = (request_key or "").strip()[:64]
    if request_key and dispute.events.filter(request_key=request_key).exists():
        return dispute  # this very request was carried out before: succeed quietly

    if expected_status and dispute.status != expected_status:
        last = dispute.events.order_by("-at", "-pk").first()
        if last and last.action == action and last.from_status == expected_status:
            return dispute  # already done: succeed quietly
        raise TransitionRefused(
            _(
                "The case has changed in the meantime (now: %(status)s). Reload the page and check before acting."
            )
            % {"status": dispute.get_status_display()}
        )

    if not can_proceed(method):
        raise TransitionRefused(_not_now(dispute, action))

    form = spec.form(data=data if data is not None else {}, dispute=dispute, action=action)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = dict(form.cleaned_data)

    from_status = dispute.status
    try:
        method(**spec.transition_kwargs(form.cleaned_data))
    except TransitionNotAllowed as exc:  # pragma: no cover - can_proceed() checked the same
        raise TransitionRefused(_not_now(dispute, action)) from exc

    cleaned["_from"] = from_status
    spec.apply(dispute, actor, cleaned)
    dispute.status_changed_at = timezone.now() if dispute.status != from_status else dispute.status_changed_at
    dispute._history_user = actor
    dispute._change_reason = (cleaned.get("reason") or action)[:100]
    dispute.save()
    event = _record(
        dispute,
        action=action,
        actor=actor,
        from_status=from_status,
        reason=cleaned.get("reason", ""),
        data=_jsonable({k: v for k, v in cleaned.items() if k not in ("reason", "_from")}),
        document=spec.document_for(cleaned),
        request_key=request_key,
    )
    seam.run_transition_handlers(
        dispute=dispute,
        action=action,
        from_status=from_status,
        actor=actor,
        data={k: v for k, v in cleaned.items() if k != "_from"},
        event=event,
    )
    dispute.__dict__.pop("_deadline_rows", None)  # read by the conditions; the clocks have moved since
    return dispute


def _declared(dispute: Dispute, action: str):
    """The declaration of ``action`` (any of its sources: they share label, permission and conditions)."""
    return declared_transitions().get(action)


def _not_now(dispute: Dispute, action: str) -> str:
    """Why ``action`` cannot run now: the blocking condition's message when the status allows it,
    otherwise that the status does not."""
    method = getattr(dispute, action, None)
    transition = _declared(dispute, action)
    if transition is not None and method is not None and can_proceed(method, check_conditions=False):
        current = method._django_fsm.get_transition(dispute.status) or transition
        for condition in current.conditions:
            if not condition(dispute):
                return str(getattr(condition, "message", "") or _("A condition of this action is not met."))
    return _("“%(action)s” is not possible while the case is “%(status)s”.") % {
        "action": action_label(action),
        "status": dispute.get_status_display(),
    }


def _jsonable(data: dict) -> dict:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if hasattr(value, "pk"):
            out[key] = {"id": value.pk, "name": str(value)}
        elif hasattr(value, "all") or isinstance(value, list | tuple):
            out[key] = [{"id": v.pk, "name": str(v)} if hasattr(v, "pk") else v for v in value]
        elif hasattr(value, "isoformat"):
            out[key] = value.isoformat()
        else:
            out[key] = value
    return out


def dispute_locked(*, dispute_id: int, actor: User) -> Dispute:
    """The case, locked for the caller's transaction, if ``actor`` reaches it; ``Dispute.DoesNotExist``
    otherwise (404 in the pages and the API, as for any case out of reach). For the apps above that
    write beside the case (a court session, a legal-aid application)."""
    dispute = (
        scoped(Dispute.objects.all(), actor)
        .select_for_update(of=("self",))
        .select_related("respondent", "region", "centre", "court")
        .filter(pk=dispute_id)
        .first()
    )
    if dispute is None:
        raise Dispute.DoesNotExist
    return dispute


@transaction.atomic
def dispute_event_add(
    *, dispute_id: int, actor: User, action: str, reason: str = "", data: dict | None = None
) -> DisputeEvent:
    """A timeline entry of an app above (``disputes.seam.register_event_label`` names it): something that
    happened on the case without changing its status (a head's answer to a hearing, its attendance),
    by ``actor``, who must reach the case."""
    dispute = Dispute.objects.select_for_update(of=("self",)).get(pk=dispute_id)
    _ensure_reach(dispute, actor)
    return _record(dispute, action=action, actor=actor, from_status=dispute.status, reason=reason, data=data)


@transaction.atomic
def note_add(*, dispute_id: int, actor: User, text: str) -> Note:
    """A free-text note on the case's timeline, by anyone who can see the case."""
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the note first.")})
    dispute = Dispute.objects.select_for_update(of=("self",)).get(pk=dispute_id)
    _ensure_reach(dispute, actor)
    note = Note.objects.create(dispute=dispute, text=text, author=actor)
    _record(dispute, action="note", actor=actor, from_status=dispute.status, reason=text)
    return note


MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@transaction.atomic
def attachment_add(*, dispute_id: int, actor: User, upload, description: str = "") -> Attachment:
    from .models import ALLOWED_UPLOAD_EXTENSIONS

    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"file": _("The file is larger than 20 MB.")})
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in ALLOWED_UPLOAD_EXTENSIONS:
        raise ValidationError(
            {
                "file": _("Files of this type cannot be attached. Allowed: %(types)s.")
                % {"types": ", ".join(ALLOWED_UPLOAD_EXTENSIONS)}
            }
        )
    # By content, not by name: a web page renamed .pdf is refused before anything is written.
    check_upload(upload, extension=extension)
    dispute = Dispute.objects.select_for_update(of=("self",)).get(pk=dispute_id)
    _ensure_reach(dispute, actor)
    attachment = Attachment(
        dispute=dispute,
        file=upload,
        original_name=upload.name[:255],
        size=upload.size,
        content_type=getattr(upload, "content_type", "") or "application/octet-stream",
        description=description,
        uploaded_by=actor,
    )
    attachment.full_clean()
    attachment.save()
    _record(
        dispute,
        action="attach",
        actor=actor,
        from_status=dispute.status,
        data={"file": attachment.original_name},
    )
    return attachment


@transaction.atomic
def series_create(
    *, actor: User, name: str, lead_id: int, member_ids: list[int], description: str = ""
) -> DisputeSeries:
    """Group similar cases against one agency behind a lead (demonstration) case (示范性化解).

    A case belongs to at most one series; every member must concern the lead's agency. Joining is
    recorded on each case's timeline and history."""
    if not can(actor, Capability.MANAGE_CASES):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Name the series.")})
    wanted = {lead_id, *member_ids}
    # Locked in primary-key order, so that two clerks grouping overlapping cases cannot deadlock.
    cases = {
        d.pk: d for d in Dispute.objects.select_for_update(of=("self",)).filter(pk__in=wanted).order_by("pk")
    }
    if lead_id not in cases:
        raise ValidationError({"lead_id": _("The lead case does not exist.")})
    missing = wanted - cases.keys()
    if missing:
        raise ValidationError({"member_ids": _("Some of the chosen cases do not exist.")})
    lead = cases[lead_id]
    members = [d for pk, d in cases.items() if pk != lead_id]
    if not members:
        raise ValidationError({"member_ids": _("Choose at least one other case for the series.")})
    for d in [lead, *members]:
        _ensure_reach(d, actor)
        if d.series_id:
            raise ValidationError(
                {"member_ids": _("%(number)s already belongs to a series.") % {"number": d.number}}
            )
        if d.respondent_id != lead.respondent_id:
            raise ValidationError(
                {"member_ids": _("%(number)s concerns another agency.") % {"number": d.number}}
            )
    series = DisputeSeries.objects.create(
        name=name,
        centre=lead.centre,
        region=lead.region,
        lead=lead,
        description=description,
        created_by=actor,
    )
    for d in [lead, *members]:
        d.series = series
        d._history_user = actor
        d._change_reason = "join_series"
        d.save(update_fields=["series", "updated_at"])
        _record(
            d,
            action="join_series",
            actor=actor,
            from_status=d.status,
            data={"series": name, "lead": lead.number},
        )
    return series


@transaction.atomic
def series_apply_lead_agreement(*, series_id: int, actor: User, member_ids: list[int]) -> list[Dispute]:
    """Apply the lead case's agreement to the chosen members, each in its own transition (its own
    timeline entry and history row). All or nothing: if one member cannot take it, none does, and the
    refusal names that member."""
    series = DisputeSeries.objects.select_related("lead").get(pk=series_id)
    lead = series.lead
    resolution = lead.current_resolution if lead else None
    if lead is None or resolution is None or not resolution.agreement_signed_on:
        raise TransitionRefused(_("The lead case has no agreement yet."))
    wanted = {int(pk) for pk in member_ids} - {lead.pk}
    if not wanted:
        raise ValidationError({"member_ids": _("Choose the member cases to apply the agreement to.")})
    members = dict(series.members.filter(pk__in=wanted).order_by("pk").values_list("pk", "number"))
    if wanted - members.keys():
        raise ValidationError({"member_ids": _("Some of the chosen cases are not members of this series.")})
    lead_signed_on = resolution.agreement_signed_on
    data = {
        "agreement_terms": resolution.agreement_terms,
        "signed_on": lead_signed_on,
        "perform_by": resolution.agreement_perform_by or "",
        "reason": _("Agreement of lead case %(number)s applied") % {"number": lead.number},
    }
    applied = []
    for pk, number in members.items():
        # A member accepted after the lead signed adopts the agreement no earlier than its own events.
        bound = earliest("adopt_series_agreement", "signed_on", Dispute.objects.get(pk=pk), data)
        signed = max(lead_signed_on, bound) if bound and lead_signed_on else lead_signed_on
        try:
            applied.append(
                dispute_transition(
                    dispute_id=pk,
                    action="adopt_series_agreement",
                    actor=actor,
                    data={**data, "signed_on": signed},
                )
            )
        except TransitionRefused as exc:
            raise TransitionRefused(
                _("%(number)s: %(reason)s Nothing was applied.") % {"number": number, "reason": exc.message}
            ) from exc
        except ValidationError as exc:
            raise ValidationError(
                {
                    "member_ids": _("%(number)s: %(reason)s Nothing was applied.")
                    % {"number": number, "reason": " ".join(exc.messages)}
                }
            ) from exc
    return applied


__all__ = [
    "PartyInput",
    "TransitionRefused",
    "dispute_register",
    "dispute_transition",
    "note_add",
    "attachment_add",
    "series_create",
    "series_apply_lead_agreement",
    "Status",
]


# --- personal data -------------------------------------------------------------------------------------


def party_numbers_reveal(*, user: User, dispute: Dispute, party_id: int) -> Party:
    """A party's ID and phone numbers in full, for a user whose role needs them (the case already in
    their reach): the showing is written to the audit log first. Raises PermissionDenied otherwise,
    Party.DoesNotExist for a party not of this case."""
    if not user.can(Capability.REVEAL_PERSONAL_DATA):
        audit.record(
            AuditAction.UNMASKED,
            user=user,
            object_type="disputes.party",
            object_id=party_id,
            label=dispute.number,
            result=AuditResult.REFUSED,
        )
        raise PermissionDenied(_("Your role does not show ID and phone numbers in full."))
    party = Party.objects.get(pk=party_id, dispute=dispute)
    audit.record(
        AuditAction.UNMASKED,
        user=user,
        obj=party,
        label=f"{dispute.number} · {party.name}",
        detail={"dispute_id": dispute.pk, "fields": [f for f in ("id_number", "phone") if getattr(party, f)]},
    )
    return party
