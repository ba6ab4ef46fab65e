"""Reads of disputes, always scoped by the reader (``core.access``): the case list, its export, the case
page and the home-page counts.

Scoping goes through ``core.access.scoped``: the reach is a semi-join on indexed columns (the region's
subtree) or ``EXISTS`` (a mediator's own cases), never ``DISTINCT``, so ordering by joined columns,
annotations and ``COUNT`` stay plain.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Model,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.http import Http404
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_lazy
from django_fsm import has_transition_perm

from core.access import get_scoped_or_404, scoped
from core.crypto import blind_index
from core.masking import mask_id_number, mask_phone
from core.models import Organisation, Region, User, UserRole
from core.roles import Role

from . import seam
from .actions import ACTIONS
from .actions.dates import shown as shown_date
from .choices import OPEN_STATUSES, PartyRole, Stage, Status, statuses_of
from .clocks import overdue_q
from .models import (
    Attachment,
    Dispute,
    DisputeEvent,
    Litigation,
    MediatorAssignment,
    Note,
    Party,
    Resolution,
    ResolutionSession,
)
from .search import apply_search
from .transitions import RECON_OPEN

# A pseudo-stage for the filter: every case that is not closed (or rejected).
OPEN = "open"

# Groups the home page links to (a status filter value may list several statuses, comma-separated).
RESOLVING = [Status.ACCEPTED, Status.MEDIATING]
RECONSIDERING = [*RECON_OPEN, Status.RECON_SUSPENDED]

# Sort keys the list accepts, and the ORDER BY each means (ties broken so pages never overlap).
SORTS: dict[str, tuple[str, ...]] = {
    "-received_on": ("-received_on", "-created_at", "-pk"),
    "received_on": ("received_on", "created_at", "pk"),
    "-number": ("-year", "-kind", "-sequence", "-pk"),
    "number": ("year", "kind", "sequence", "pk"),
    "-status_changed_at": ("-status_changed_at", "-pk"),
    "status_changed_at": ("status_changed_at", "pk"),
    "respondent": ("respondent__name", "-received_on", "-pk"),
    "-respondent": ("-respondent__name", "-received_on", "-pk"),
}
DEFAULT_SORT = "-received_on"  # newest first


def _visible(user) -> QuerySet:
    """Disputes ``user`` may see (see the module docstring)."""
    return scoped(Dispute.objects.all(), user)


# --- search -------------------------------------------------------------------------------------------

# "〔2026〕郧西化字第12号", "第12号", "(2026)鄂0322行初12号": a number, searched as written. Full-text
# search splits it into bigrams and digit runs, and the SQLite fallback (substring per token) would
# then match "2" inside every "2026".
_NUMBER_LIKE = re.compile(r"\d+\s*号|字第")
_OFFICIAL_BRACKETS = str.maketrans(
    {"[": "〔", "【": "〔", "(": "〔", "（": "〔", "]": "〕", "】": "〕", ")": "〕", "）": "〕"}
)


# A whole resident ID number or mobile number: found by its keyed hash (the numbers are encrypted and
# kept out of the search text), as an exact match only.
_PERSONAL_NUMBER = re.compile(r"^(\d{17}[\dXx]|1[3-9]\d{9})$")


def _search(queryset: QuerySet, query: str) -> QuerySet:
    query = query.strip()
    compact = re.sub(r"[\s-]+", "", query)
    if _PERSONAL_NUMBER.match(compact):
        digest = blind_index(compact)
        return queryset.filter(
            pk__in=Party.objects.filter(Q(id_number_hash=digest) | Q(phone_hash=digest)).values("dispute_id")
        )
    if not _NUMBER_LIKE.search(query):
        return apply_search(queryset, query)
    compact = re.sub(r"\s+", "", query)
    return queryset.filter(
        Q(number__contains=compact.translate(_OFFICIAL_BRACKETS))
        | Q(court_case_number__icontains=compact)
        | Q(act_document_number__icontains=compact)
    )


# --- the list ------------------------------------------------------------------------------------------


def _pk(value: Any) -> Any:
    return getattr(value, "pk", value)


def dispute_list(*, user: User, filters: dict[str, Any] | None = None) -> QuerySet:
    """The case list (and its export) for ``user``, narrowed by ``filters`` (see ``dispute_filter``).

    Rows carry ``applicants`` (applicant parties, prefetched) and ``is_overdue``; the respondent,
    centre and region are joined, so a page costs the same number of queries for 10 rows as for 100.
    """
    qs = (
        _visible(user)
        .select_related("respondent", "centre", "region")
        .prefetch_related(
            Prefetch(
                "parties",
                queryset=Party.objects.filter(role=PartyRole.APPLICANT).order_by("pk"),
                to_attr="applicants",
            )
        )
        .annotate(is_overdue=ExpressionWrapper(overdue_q(), output_field=BooleanField()))
    )
    return dispute_filter(qs, filters=filters or {}, user=user)


def dispute_filter(queryset: QuerySet, *, filters: dict[str, Any], user: Any = None) -> QuerySet:
    """``queryset`` of disputes narrowed by ``filters`` and put in their sort order.

    ``filters`` holds checked values (``disputes.filters.DisputeFilterSet`` checks the input of the
    page, the API and the export); empty values are ignored: ``stage`` (a Stage or ``"open"``),
    ``status`` (one status or a list), ``source``, ``kind``, ``respondent`` / ``region`` /
    ``mediator`` (instance or id; a region includes its subregions), ``received_from`` /
    ``received_to`` (dates, inclusive), ``overdue`` (``"yes"``/``"no"`` or a bool), ``q`` (a case or
    document number as written, else full-text search of names, numbers and facts) and ``sort`` (a key
    of ``SORTS``; newest received first otherwise). ``user``, the reader the queryset is scoped to,
    lets the overdue filter start from the reader's region.
    """
    qs = queryset
    stage = filters.get("stage")
    if stage == OPEN:
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif stage:
        qs = qs.filter(status__in=statuses_of(stage))
    status = filters.get("status")
    if status:
        qs = qs.filter(status__in=[status] if isinstance(status, str) else list(status))
    if filters.get("source"):
        qs = qs.filter(source=filters["source"])
    if filters.get("kind"):
        qs = qs.filter(kind=filters["kind"])
    if filters.get("respondent"):
        qs = qs.filter(respondent_id=_pk(filters["respondent"]))
    region = filters.get("region")
    if region:
        if not isinstance(region, Region):
            region = Region.objects.filter(pk=region).first()
        qs = qs.filter(region__path__startswith=region.path) if region else qs.none()
    if filters.get("mediator"):
        qs = qs.filter(
            Exists(
                MediatorAssignment.objects.filter(
                    dispute=OuterRef("pk"), mediator_id=_pk(filters["mediator"])
                )
            )
        )
    if filters.get("received_from"):
        qs = qs.filter(received_on__gte=filters["received_from"])
    if filters.get("received_to"):
        qs = qs.filter(received_on__lte=filters["received_to"])
    overdue = filters.get("overdue")
    if overdue in (True, "yes", False, "no"):
        late = overdue_q()
        qs = qs.filter(late) if overdue in (True, "yes") else qs.exclude(late)
    if filters.get("q"):
        qs = _search(qs, filters["q"])

    return qs.order_by(*SORTS.get(filters.get("sort") or DEFAULT_SORT, SORTS[DEFAULT_SORT]))


def dispute_get(*, user: User, pk: int) -> Dispute:
    """One case with everything its page shows, or 404 when it is out of ``user``'s reach."""
    qs = Dispute.objects.select_related(
        "respondent", "centre", "region", "court", "registered_by", "series", "series__lead"
    ).prefetch_related(
        Prefetch("parties", queryset=Party.objects.select_related("represents").order_by("pk")),
        Prefetch("events", queryset=DisputeEvent.objects.select_related("actor").order_by("at", "pk")),
        Prefetch(
            "resolutions",
            queryset=Resolution.objects.select_related("confirmation_court", "transfer_to").prefetch_related(
                Prefetch("sessions", queryset=ResolutionSession.objects.select_related("recorded_by"))
            ),
        ),
        "reconsiderations",
        Prefetch("litigations", queryset=Litigation.objects.select_related("court")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
        Prefetch("notes", queryset=Note.objects.select_related("author")),
        Prefetch(
            "assignments", queryset=MediatorAssignment.objects.select_related("mediator", "assigned_by")
        ),
    )
    return get_scoped_or_404(qs, user, pk=pk)


# --- home page ---------------------------------------------------------------------------------------


# The home page's panels: which open statuses each counts.
HOME_PANELS: dict[str, Sequence[str]] = {
    "registered": [Status.REGISTERED],
    "correction": [Status.CORRECTION],
    "resolving": RESOLVING,
    "awaiting_confirmation": [Status.CONFIRMATION_REQUESTED],
    "reconsidering": RECONSIDERING,
    "litigating": statuses_of(Stage.LITIGATION),
    "performing": [Status.PERFORMANCE],
}


def home_counts(*, user: User) -> dict[str, int]:
    """Counts for the home-page panels over the cases ``user`` may see, in three queries, each read
    from an index alone: the open cases grouped by status (``(region, status)`` or ``(respondent,
    status)``; the panels add up the groups), the cases assigned to ``user`` as mediator by status
    (from the assignments), and the overdue cases (``overdue_count``).

    Keys: ``registered``, ``correction``, ``resolving`` (accepted or mediating), ``awaiting_confirmation``
    (an agreement before the court for judicial confirmation), ``reconsidering``
    (reconsideration under way, suspended included), ``litigating`` (litigation stage), ``performing``,
    ``open``, ``overdue``, and the same narrowed to cases assigned to ``user`` as mediator:
    ``mine_open``, ``mine_resolving``, ``mine_overdue``.
    """
    late = overdue_q()
    # COUNT(*), not COUNT(id): the count needs no column the index does not hold.
    groups = (
        _visible(user).filter(status__in=OPEN_STATUSES).order_by().values("status").annotate(n=Count("*"))
    )
    open_by_status = {g["status"]: g["n"] for g in groups}
    mine = (
        _visible(user)
        .filter(_assigned_to(user))
        .order_by()
        .values("status")
        .annotate(n=Count("pk"), late=Count("pk", filter=late))
    )
    mine_by_status = {g["status"]: g for g in mine}

    def total(by_status: dict[str, int], statuses: Iterable[str] = OPEN_STATUSES) -> int:
        return sum(by_status.get(s, 0) for s in statuses)

    mine_open = {s: g["n"] for s, g in mine_by_status.items()}
    return {
        **{name: total(open_by_status, statuses) for name, statuses in HOME_PANELS.items()},
        "open": total(open_by_status),
        "overdue": overdue_count(user=user),
        "mine_open": total(mine_open),
        "mine_resolving": total(mine_open, RESOLVING),
        # Closed cases too: a follow-up visit outlives its case.
        "mine_overdue": sum(g["late"] for g in mine_by_status.values()),
    }


def overdue_count(*, user: User) -> int:
    """The cases in ``user``'s reach with a clock past its last day, closed ones included (a follow-up
    visit outlives its case): a range of the case's earliest last day (``clocks.overdue_q``), in a
    partial index that holds only the cases with a running clock."""
    return _visible(user).filter(overdue_q()).count()


def _assigned_to(user: User) -> Q:
    # Uncorrelated: PostgreSQL hashes the user's few assignments once (a hashed SubPlan) instead of
    # probing the assignments for each case counted.
    return Q(pk__in=MediatorAssignment.objects.filter(mediator_id=user.pk).values("dispute_id"))


# --- choices for the list's filter bar -------------------------------------------------------------------


def respondent_choices(*, user: User) -> QuerySet:
    """Agencies the user may filter by (those within reach)."""
    return scoped(Organisation.objects.filter(kind=Organisation.Kind.AGENCY), user).order_by("name")


def region_choices(*, user: User) -> QuerySet:
    """The user's region and everything below it (a superuser too: the flag grants no reach)."""
    qs = Region.objects.order_by("path")
    organisation = user.organisation
    return qs.filter(path__startswith=organisation.region.path) if organisation else qs.none()


def mediator_choices(*, user: User) -> QuerySet:
    """People the user may filter by as mediator: mediators and anyone ever assigned, within reach."""
    qs = User.objects.filter(is_active=True).filter(
        Q(Exists(UserRole.objects.filter(user=OuterRef("pk"), role=Role.MEDIATOR)))
        | Q(Exists(MediatorAssignment.objects.filter(mediator=OuterRef("pk"))))
    )
    return scoped(qs, user).order_by("name", "username")


# --- actions: which the user may take now, and what each is called ------------------------------------

# Timeline entries that are not lifecycle transitions.
EVENT_LABELS = {
    "register": gettext_lazy("Registered"),
    "note": gettext_lazy("Note added"),
    "attach": gettext_lazy("File attached"),
    "join_series": gettext_lazy("Joined a series"),
}


@cache
def declared_transitions() -> dict[str, Any]:
    """Every lifecycle action as declared in ``disputes.transitions``, by name. django-fsm lists one
    transition per source status; an action's sources share its label, permission and conditions."""
    field = Dispute._meta.get_field("status")
    return {t.name: t for t in field.get_all_transitions(Dispute)}


def action_label(action: str) -> str:
    """What an action, or a timeline entry, is called: the button's label for a lifecycle action."""
    transition = declared_transitions().get(action)
    if transition is not None:
        return str(transition.custom.get("label", action))
    return str(EVENT_LABELS.get(action) or seam.event_label(action) or action)


def available_actions(dispute: Dispute, user: User) -> list[str]:
    """The lifecycle actions ``user`` may take on ``dispute`` now through ``dispute_transition`` (the
    API's ``allowed_actions``). A transition another app has taken over (``seam.CaseAction.performs``) is
    not among them: it is offered as that app's action (``case_actions``)."""
    performed = seam.performed_actions()
    return [name for name in _possible_actions(dispute, user) if name not in performed]


def _possible_actions(dispute: Dispute, user: User) -> list[str]:
    """The transitions the state machine allows ``user`` on ``dispute`` now, in declared order."""
    return [
        t.name
        for t in dispute.get_available_status_transitions()
        if t.name in ACTIONS and has_transition_perm(getattr(dispute, t.name), user)
    ]


def case_actions(dispute: Dispute, user: User) -> list[seam.OfferedAction]:
    """Every action the case page offers ``user`` now: the lifecycle actions in their declared order,
    an app's action in the place of the transition it performs, then the other apps' actions (in
    their statuses, to holders of their capabilities)."""
    declared = declared_transitions()
    offered: list[seam.OfferedAction] = []
    for name in _possible_actions(dispute, user):
        owner = seam.performing_action(name)
        if owner is not None:
            offered.append(seam.offer(owner, dispute))
            continue
        offered.append(
            seam.OfferedAction(
                name=name,
                label=action_label(name),
                tone=declared[name].custom.get("tone", "normal"),
                url=reverse("disputes:action", args=[dispute.pk, name]),
            )
        )
    for action in seam.app_actions():
        if action.performs:
            continue
        if action.statuses and dispute.status not in action.statuses:
            continue
        if action.capabilities and not any(user.can(c) for c in action.capabilities):
            continue
        offered.append(seam.offer(action, dispute))
    return offered


# --- possible duplicates -------------------------------------------------------------------------------


# How many look-alike cases the clerk is shown before registering a new one.
DUPLICATES_SHOWN = 20


def dispute_possible_duplicates(
    *,
    user: User,
    respondent: Organisation | int,
    act_date: date | None,
    parties: Iterable[Any],
    exclude_pk: int | None = None,
) -> list[Dispute]:
    """Cases within ``user``'s reach that look like a new one, newest first (at most
    ``DUPLICATES_SHOWN``): open or closed cases against the same agency about an act of the same date
    with the same applicant, by ID number or credit code when the new case's applicants have one,
    else by name. ``parties`` are the new case's parties (anything with ``role``, ``name``,
    ``id_number`` and ``credit_code``, e.g. ``services.PartyInput``). Shown before a new case is
    saved, on the register page and in the API; only cases the user may open are listed (a link to a
    404 helps no one)."""
    applicants = [p for p in parties if p.role == PartyRole.APPLICANT]
    ids = [blind_index(p.id_number) for p in applicants if p.id_number]
    codes = [p.credit_code for p in applicants if p.credit_code]
    match = Party.objects.filter(role=PartyRole.APPLICANT)
    if ids or codes:
        match = match.filter(Q(id_number_hash__in=ids) | Q(credit_code__in=codes))
    else:
        match = match.filter(name__in=[p.name for p in applicants if p.name])
    qs = _visible(user).filter(
        respondent_id=_pk(respondent), act_date=act_date, pk__in=match.values("dispute_id")
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    return list(
        qs.select_related("respondent")
        .prefetch_related("parties")
        .order_by("-created_at", "-pk")[:DUPLICATES_SHOWN]
    )


# --- history: every saved change of the case and its parties -------------------------------------------

# Bookkeeping fields that no history shows, on the case page or in the API: they change with every
# save or repeat what the status already says.
HISTORY_HIDDEN = frozenset(
    {
        "status_changed_at",
        "updated_at",
        "search_text",
        "status_before_suspension",
        "id_number_hash",
        "phone_hash",
    }
)
# Personal numbers in the history are shown masked, like everywhere else (the case page's "show" reveals
# the current value, audited; an earlier value is never shown in full).
HISTORY_MASKED = {"id_number": mask_id_number, "phone": mask_phone}


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: Any
    new: Any
    old_display: str | None  # None when the field was empty
    new_display: str | None


@dataclass(frozen=True)
class HistoryEntry:
    record: str  # "dispute" or "party"
    record_id: int
    record_label: str
    at: datetime
    type: str  # "+" created, "~" changed, "-" deleted
    type_display: str
    user: User | None
    reason: str | None  # as saved: a lifecycle action's name, or free text
    reason_display: str  # the action's label when ``reason`` names one
    changes: list[FieldChange]


def dispute_history(*, user: User, dispute: Dispute) -> list[HistoryEntry]:
    """Every recorded change of the case and of its parties (django-simple-history), oldest first;
    the first record of a row is its creation (no changes). The fields in ``HISTORY_HIDDEN`` are left
    out. Raises Http404 when the case is out of ``user``'s reach. Costs one query per history table
    plus one per model that changed foreign keys point to."""
    if not scoped(Dispute.objects.filter(pk=dispute.pk), user).exists():
        raise Http404
    # (record, model, its history, the field its name is in: the model's __str__). The name is read
    # from the history row itself: ``item.instance`` would fetch the fields history leaves out (a
    # query per row).
    sources = [
        ("dispute", Dispute, dispute.history.all(), "number"),
        ("party", Party, Party.history.filter(dispute_id=dispute.pk), "name"),
    ]
    rows = []
    for record, model, history, name_field in sources:
        hidden = [f for f in HISTORY_HIDDEN if _has_field(model, f)]
        previous: dict[int, Any] = {}
        for item in history.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(item.id)
            previous[item.id] = item
            changes = [] if before is None else item.diff_against(before, excluded_fields=hidden).changes
            rows.append((record, model, item, changes, getattr(item, name_field)))
    rows.sort(key=lambda row: (row[2].history_date, row[0], row[2].history_id))
    names = _related_names([(model, c) for _, model, _, changes, _ in rows for c in changes])
    return [
        HistoryEntry(
            record=record,
            record_id=item.id,
            record_label=f"{model._meta.verbose_name} {name}",
            at=item.history_date,
            type=item.history_type,
            type_display=str(item.get_history_type_display()),
            user=item.history_user,
            reason=item.history_change_reason,
            reason_display=_history_reason(item.history_change_reason or ""),
            changes=[_field_change(model, change, names) for change in changes],
        )
        for record, model, item, changes, name in rows
    ]


def _has_field(model, name: str) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _history_reason(reason: str) -> str:
    # A change made by a lifecycle action carries the action's name: show its label instead.
    if reason in declared_transitions() or reason in EVENT_LABELS:
        return action_label(reason)
    return reason


def _related_names(changes) -> dict[tuple[type[Model], Any], str]:
    """Names of the organisations, people, … that changed foreign keys point to: one query per model."""
    wanted: dict[type[Model], set] = {}
    for model, change in changes:
        field = model._meta.get_field(change.field)
        if field.is_relation and field.many_to_one:
            wanted.setdefault(field.related_model, set()).update(
                v for v in (change.old, change.new) if v is not None
            )
    return {
        (related, obj.pk): str(obj)
        for related, pks in wanted.items()
        for obj in related._default_manager.filter(pk__in=pks)
    }


def _field_change(model, change, names) -> FieldChange:
    field = model._meta.get_field(change.field)
    old, new = change.old, change.new
    mask = HISTORY_MASKED.get(change.field)
    if mask is not None:
        old, new = mask(old or ""), mask(new or "")

    def shown(value: Any) -> str | None:
        if value in (None, ""):
            return None
        if field.is_relation:
            return names.get((field.related_model, value), f"#{value}")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return gettext("Yes") if value else gettext("No")
        if isinstance(value, date):  # a datetime too: 2026年11月1日 10:00, in Beijing time
            return shown_date(value)
        return str(value)

    return FieldChange(
        field=change.field,
        label=capfirst(str(field.verbose_name)),
        old=old,
        new=new,
        old_display=shown(old),
        new_display=shown(new),
    )
