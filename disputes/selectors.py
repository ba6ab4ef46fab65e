"""Reads of disputes, always scoped by the reader (``core.access``): the case list, its export, the case
page and the home-page counts.

Scoping goes through ``core.access.scoped``. ``Dispute.access`` crosses the mediators M2M, so
``scoped`` adds ``DISTINCT``; the list instead selects ``pk IN (the scoped, distinct ids)``, which keeps
ordering by joined columns (the respondent's name), annotations and ``COUNT`` plain.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from core import workdays
from core.access import get_scoped_or_404, scoped
from core.models import Organisation, Region, User, UserRole
from core.roles import Role

from .choices import PartyRole, Stage, Status, statuses_of
from .clocks import (
    ACCEPTANCE_REVIEW_WORKING_DAYS,
    CORRECTION_WORKING_DAYS,
    DECISION_DAYS,
    DECISION_DAYS_SIMPLIFIED,
    RECON_OPEN,
)
from .models import (
    Attachment,
    Dispute,
    DisputeEvent,
    Litigation,
    MediatorAssignment,
    Note,
    Party,
    Reconsideration,
    Resolution,
    ResolutionSession,
)
from .search import apply_search

# A pseudo-stage for the filter: every case that is not closed (or rejected).
OPEN = "open"
OPEN_STATUSES = [s for s in Status.values if s not in statuses_of(Stage.CLOSED)]

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


def _scoped_ids(user) -> QuerySet:
    return scoped(Dispute.objects.all(), user).values("pk")


def _visible(user) -> QuerySet:
    """Disputes ``user`` may see, without DISTINCT (see the module docstring)."""
    return Dispute.objects.filter(pk__in=_scoped_ids(user))


# --- overdue: the statutory clock of the current status has run out -----------------------------------


class _DaysAfter(Func):
    """Whole calendar days from ``earlier`` to ``later`` (``later - earlier``), both dates."""

    arity = 2
    output_field = IntegerField()

    def __init__(self, later, earlier):
        super().__init__(Cast(later, DateField()), Cast(earlier, DateField()))

    def as_sql(self, compiler, connection, **extra):
        # PostgreSQL: date - date is an integer number of days.
        return super().as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # Dates are ISO text; julianday() of two midnights differs by a whole number.
        return super().as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
            **extra,
        )


def today_in_china() -> date:
    """The day statutory periods are counted against (as on the case page: Beijing time)."""
    return timezone.localdate(timezone=workdays.SHANGHAI)


def overdue_q(today: date | None = None) -> Q:
    """Cases whose current statutory clock ran out before ``today`` — the SQL twin of
    ``disputes.clocks.current_clock(...).overdue``, exact rather than approximate:

    * a deadline stored as a date (resolution ``due_on``, litigation ``answer_due``, ``perform_by``)
      is overdue when it lies before today;
    * a working-day period (acceptance review 5, correction 10 working days) has run out when it
      started before the N-th working day before today (the calendar is read in Python, once);
    * the reconsideration decision, ``add_days(accepted_on, 60|30 + extension + suspended)``, is
      overdue when that sum reaches L, the last working day before today: a period whose last day
      falls on a rest day ends on the next working day, and that day is before today exactly when
      some working day lies between the sum and today. Days are counted in SQL (``_DaysAfter``).

    Unlike the case page, a performance deadline stops counting once ``performed_on`` is recorded.
    A suspended reconsideration is never overdue (第三十九条 stops the clock).
    """
    today = today or today_in_china()
    acceptance_cutoff = workdays.add_working_days(today, -ACCEPTANCE_REVIEW_WORKING_DAYS)
    correction_cutoff = workdays.add_working_days(today, -CORRECTION_WORKING_DAYS)
    last_working_day = workdays.add_working_days(today, -1)
    correction_cutoff_at = timezone.make_aware(datetime.combine(correction_cutoff, time.min))

    # Acceptance review: received_on + 5 working days < today.
    acceptance = Q(status=Status.REGISTERED, received_on__lt=acceptance_cutoff)

    # Correction: 10 working days from the (latest) request for correction, on the local calendar.
    asked = DisputeEvent.objects.filter(dispute=OuterRef("pk"), action="request_correction")
    correction = (
        Q(status=Status.CORRECTION)
        & Q(Exists(asked))
        & ~Q(Exists(asked.filter(at__gte=correction_cutoff_at)))
    )

    # Resolution period of the current resolution attempt.
    latest_resolution = (
        Resolution.objects.filter(dispute=OuterRef("dispute")).order_by("-opened_at", "-pk").values("pk")[:1]
    )
    resolution = Q(status__in=RESOLVING) & Q(
        Exists(
            Resolution.objects.filter(
                dispute=OuterRef("pk"), pk=Subquery(latest_resolution), due_on__lt=today
            )
        )
    )

    # Reconsideration decision of the current reconsideration.
    latest_recon = (
        Reconsideration.objects.filter(dispute=OuterRef("dispute"))
        .order_by("-accepted_on", "-pk")
        .values("pk")[:1]
    )
    late_recon = (
        Reconsideration.objects.filter(
            dispute=OuterRef("pk"), pk=Subquery(latest_recon), decided_on__isnull=True
        )
        .alias(
            elapsed=_DaysAfter(Value(last_working_day), F("accepted_on")),
            allowed=Case(
                When(simplified=True, then=Value(DECISION_DAYS_SIMPLIFIED)),
                default=Value(DECISION_DAYS),
                output_field=IntegerField(),
            )
            + F("extension_days")
            + F("suspended_days"),
        )
        .filter(elapsed__gte=F("allowed"))
    )
    reconsideration = Q(status__in=RECON_OPEN) & Q(Exists(late_recon))

    # The agency's answer to the court (current instance).
    latest_litigation = (
        Litigation.objects.filter(dispute=OuterRef("dispute")).order_by("-filed_on", "-pk").values("pk")[:1]
    )
    answer = Q(status=Status.LIT_NOTICED) & Q(
        Exists(
            Litigation.objects.filter(
                dispute=OuterRef("pk"),
                pk=Subquery(latest_litigation),
                answer_due__lt=today,
                answered_on__isnull=True,
            )
        )
    )

    performance = Q(status=Status.PERFORMANCE, perform_by__lt=today, performed_on__isnull=True)

    return acceptance | correction | resolution | reconsideration | answer | performance


# --- search -------------------------------------------------------------------------------------------

# "〔2026〕郧西化字第12号", "第12号", "(2026)鄂0322行初12号": a number, searched as written. Full-text
# search splits it into bigrams and digit runs, and the SQLite fallback (substring per token) would
# then match "2" inside every "2026".
_NUMBER_LIKE = re.compile(r"\d+\s*号|字第")
_OFFICIAL_BRACKETS = str.maketrans(
    {"[": "〔", "【": "〔", "(": "〔", "（": "〔", "]": "〕", "】": "〕", ")": "〕", "）": "〕"}
)


def _search(queryset: QuerySet, query: str) -> QuerySet:
    query = query.strip()
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
    return dispute_filter(qs, filters=filters or {})


def dispute_filter(queryset: QuerySet, *, filters: dict[str, Any]) -> QuerySet:
    """``queryset`` of disputes narrowed by ``filters`` and put in their sort order.

    ``filters`` holds checked values (``disputes.filters.DisputeFilterSet`` checks the input of the
    page, the API and the export); empty values are ignored: ``stage`` (a Stage or ``"open"``),
    ``status`` (one status or a list), ``source``, ``kind``, ``respondent`` / ``region`` /
    ``mediator`` (instance or id; a region includes its subregions), ``received_from`` /
    ``received_to`` (dates, inclusive), ``overdue`` (``"yes"``/``"no"`` or a bool), ``q`` (a case or
    document number as written, else full-text search of names, numbers and facts) and ``sort`` (a key
    of ``SORTS``; newest received first otherwise).
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
    if overdue in (True, "yes"):
        qs = qs.filter(overdue_q())
    elif overdue in (False, "no"):
        qs = qs.exclude(overdue_q())
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


def home_counts(*, user: User) -> dict[str, int]:
    """Counts for the home-page panels, in one query over the cases ``user`` may see.

    Keys: ``registered``, ``correction``, ``resolving`` (accepted or mediating), ``reconsidering``
    (reconsideration under way, suspended included), ``litigating`` (litigation stage), ``performing``,
    ``open``, ``overdue``, and the same narrowed to cases assigned to ``user`` as mediator:
    ``mine_open``, ``mine_resolving``, ``mine_overdue``.
    """
    late = overdue_q()
    mine = Q(Exists(MediatorAssignment.objects.filter(dispute=OuterRef("pk"), mediator_id=user.pk)))
    open_ = Q(status__in=OPEN_STATUSES)
    return _visible(user).aggregate(
        registered=Count("pk", filter=Q(status=Status.REGISTERED)),
        correction=Count("pk", filter=Q(status=Status.CORRECTION)),
        resolving=Count("pk", filter=Q(status__in=RESOLVING)),
        reconsidering=Count("pk", filter=Q(status__in=RECONSIDERING)),
        litigating=Count("pk", filter=Q(status__in=statuses_of(Stage.LITIGATION))),
        performing=Count("pk", filter=Q(status=Status.PERFORMANCE)),
        open=Count("pk", filter=open_),
        overdue=Count("pk", filter=late),
        mine_open=Count("pk", filter=mine & open_),
        mine_resolving=Count("pk", filter=mine & Q(status__in=RESOLVING)),
        mine_overdue=Count("pk", filter=mine & late),
    )


# --- choices for the list's filter bar -------------------------------------------------------------------


def respondent_choices(*, user: User) -> QuerySet:
    """Agencies the user may filter by (those within reach)."""
    return scoped(Organisation.objects.filter(kind=Organisation.Kind.AGENCY), user).order_by("name")


def region_choices(*, user: User) -> QuerySet:
    """The user's region and everything below it (every region for a superuser)."""
    qs = Region.objects.order_by("path")
    if user.is_superuser:
        return qs
    organisation = user.organisation
    return qs.filter(path__startswith=organisation.region.path) if organisation else qs.none()


def mediator_choices(*, user: User) -> QuerySet:
    """People the user may filter by as mediator: mediators and anyone ever assigned, within reach."""
    qs = User.objects.filter(is_active=True).filter(
        Q(Exists(UserRole.objects.filter(user=OuterRef("pk"), role=Role.MEDIATOR)))
        | Q(Exists(MediatorAssignment.objects.filter(mediator=OuterRef("pk"))))
    )
    return scoped(qs, user).order_by("name", "username")
