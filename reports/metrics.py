"""Every figure the reports show, each defined once: the rows it counts (the units: a court-filed case, a
hearing held, an application, a decision, a court's first-instance decision…), which of them make the
denominator, the numerator and what is shown beside, the target, the label and a definition a committee
member can read.

A figure is computed in SQL for a ``Scope`` (the cases a user's reports cover, and a period): its units are
one queryset, annotated with the case, its respondent agency and its region, so that the same definition
gives the totals and every agency's and region's part (one ``GROUP BY`` query per figure, whatever the
number of agencies, ``figure_table``) and the cases behind each number (``Metric.compute``, the
drill-down). ``tests/reports/test_sql.py`` holds each to an independent hand-written query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db import connection, connections
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from core import workdays
from core.access import Reach, reaches, region_subtree
from core.models import Region, User
from disputes.choices import CORRECTING_DECISIONS, Consent, Instance, LitigationOutcome, Source
from disputes.models import Dispute, DisputeEvent, Litigation, Reconsideration, Resolution

TARGET = Decimal("100.00")
LOSS_SUPERVISION = Decimal("15.00")  # seed 004: an agency whose loss rate is over 15% is supervised on site


@dataclass(frozen=True)
class Scope:
    """The cases a report covers: a user's (their region and below, an agency only its own), or with no
    user a region's (``regions``: a bulletin built on schedule), narrowed to an agency or a region."""

    user: User | None
    first: date
    last: date
    agency: int | None = None  # narrowed to one respondent agency
    region: int | None = None  # narrowed to a region of the user's and those below it (``regions``)
    regions: tuple[int, ...] | None = None

    def _agency_only(self) -> bool:
        if self.user is None:
            return False
        kinds = reaches(self.user)
        return Reach.ORGANISATION in kinds and Reach.REGION not in kinds

    def covers(self) -> bool:
        if self.user is None:
            return self.regions is not None
        return self.user.organisation is not None and self.user.can("view_reports")

    def q(self, prefix: str = "") -> Q:
        """The cases the user's reports cover, whatever the period, as a condition on ``prefix`` (the path
        from the counted rows to their case): by region for the centre, the court, the committee and the
        administration; an agency's own cases; nothing otherwise."""
        if not self.covers():
            return Q(pk__in=[])
        if self.user is None:
            q = Q()
        elif self._agency_only():
            q = Q(**{f"{prefix}respondent_id": self.user.organisation_id})
        else:
            q = Q(**{f"{prefix}region_id__in": region_subtree(self.user)})
        if self.agency is not None:
            q &= Q(**{f"{prefix}respondent_id": self.agency})
        if self.regions is not None:
            q &= Q(**{f"{prefix}region_id__in": self.regions})
        return q

    def cases(self) -> QuerySet[Dispute]:
        return Dispute.objects.filter(self.q())

    @classmethod
    def of_region(cls, region: Region, first: date, last: date) -> Scope:
        """The cases of ``region`` and below, for a period, as its own users read them (no user: a
        centre's bulletin, a dashboard read ahead)."""
        return cls(None, first, last, region=region.pk, regions=regions_below(region))

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=workdays.SHANGHAI)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=workdays.SHANGHAI)


def regions_below(region: Region) -> tuple[int, ...]:
    """The ids of ``region`` and every region below it."""
    return tuple(Region.objects.filter(path__startswith=region.path).values_list("pk", flat=True))


def rate(numerator: int, denominator: int) -> Decimal | None:
    if not denominator:
        return None
    return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Figure:
    """A figure with the cases behind its numerator and its denominator, and what is shown beside it."""

    numerator: list[int]  # dispute ids (a case may stand more than once: one hearing, one party each)
    denominator: list[int]
    beside: dict[str, list[int]] = field(default_factory=dict)

    @property
    def value(self) -> Decimal | None:
        return rate(len(self.numerator), len(self.denominator))


@dataclass
class Counts:
    """A figure's counts: the totals, or one agency's or region's part."""

    numerator: int = 0
    denominator: int = 0
    beside: dict[str, int] = field(default_factory=dict)

    @property
    def value(self) -> Decimal | None:
        return rate(self.numerator, self.denominator)

    def add(self, row: dict[str, Any], names: list[str]) -> None:
        self.numerator += row["n_numerator"]
        self.denominator += row["n_denominator"]
        for name in names:
            self.beside[name] = self.beside.get(name, 0) + row[f"n_{name}"]

    def merge(self, other: Counts) -> None:
        self.numerator += other.numerator
        self.denominator += other.denominator
        for name, n in other.beside.items():
            self.beside[name] = self.beside.get(name, 0) + n


@dataclass(frozen=True)
class Metric:
    code: str
    label: object  # a lazy translation
    definition: object
    numerator_label: object
    denominator_label: object
    beside_labels: dict[str, object]
    units: Callable[[Scope], QuerySet[Any]]  # annotated with of_case, of_agency and of_region
    when: str  # the units' field that places them in a period (a day or a moment)
    denominator: Condition
    numerator: Condition  # within the denominator
    beside: dict[str, Condition] = field(default_factory=dict)
    short: object = ""  # a column heading in the tables
    target: Decimal | None = TARGET  # below it is red
    ceiling: Decimal | None = None  # over it is red (the loss rate)
    four: bool = False

    def alarm(self, value: Decimal | None) -> bool:
        if value is None:
            return False
        if self.ceiling is not None:
            return value > self.ceiling
        return self.target is not None and value < self.target

    def below_target(self, figure: Figure | Counts) -> bool:
        return self.alarm(figure.value)

    def compute(self, scope: Scope) -> Figure:
        """The cases behind each number: the drill-down (a case once per unit it has)."""
        units = self.units(scope)
        parts = self.parts()

        def cases(q: Q) -> list[int]:
            return list(units.filter(q).order_by("of_case", "pk").values_list("of_case", flat=True))

        return Figure(
            numerator=cases(parts.pop("numerator")),
            denominator=cases(parts.pop("denominator")),
            beside={name: cases(q) for name, q in parts.items()},
        )

    def part_names(self) -> list[str]:
        return ["numerator", "denominator", *self.beside]

    def cases_behind(self, scope: Scope, part: str) -> QuerySet[Dispute]:
        """The cases behind one part (``numerator``, ``denominator`` or a name beside), each once, by
        number: a semi-join, for a page of them at any volume."""
        units = self.units(scope).filter(self.parts()[part]).values("of_case")
        return Dispute.objects.filter(pk__in=units).order_by("number")

    def times_counted(self, scope: Scope, part: str, cases: list[int]) -> dict[int, int]:
        """How many units of ``part`` each of ``cases`` has (a case has several hearings or parties)."""
        units = self.units(scope).filter(self.parts()[part], of_case__in=cases)
        return {
            row["of_case"]: row["n"] for row in units.values("of_case").annotate(n=Count("pk")).order_by()
        }

    def parts(self) -> dict[str, Q]:
        """The conditions of the numerator (within the denominator), the denominator and each beside."""
        denominator = _now(self.denominator)
        return {
            "numerator": denominator & _now(self.numerator),
            "denominator": denominator,
            **{name: _now(q) for name, q in self.beside.items()},
        }

    def count(self, scope: Scope) -> Counts:
        counts = Counts()
        for row in self.grouped(self.units(scope), {}):
            counts.add(row, list(self.beside))
        return counts

    def grouped(self, units: QuerySet[Any], by: dict[str, Any]) -> list[dict[str, Any]]:
        """The counts of each part (``n_<part>``) for each group of ``units`` (``by``: name -> expression),
        in one query: the units' values each condition reads are selected once per unit in a derived
        table, and the parts are counted over it. (A condition inlined in each count would evaluate its
        subqueries once per part: the latest attendance, a decision's visits.)"""
        parts = self.parts()
        names = sorted({name for q in parts.values() for name in _names(q)})
        inner = units.annotate(
            **{f"k_{name}": F(name) for name in names}, **{f"g_{g}": e for g, e in by.items()}
        )
        # Unordered (a model's default ordering would sort the units before they are counted), and kept a
        # derived table on PostgreSQL (OFFSET 0: not merged into the counting, which would evaluate each
        # value once per part again).
        selected = inner.values(*(f"g_{g}" for g in by), *(f"k_{name}" for name in names)).order_by()
        sql, params = selected.query.sql_with_params()
        if connections[units.db].vendor == "postgresql":
            sql += " OFFSET 0"
        counted, counted_params = [], []
        for part, q in parts.items():
            condition, values = _condition_sql(q)
            counted.append(f'SUM(CASE WHEN {condition} THEN 1 ELSE 0 END) AS "n_{part}"')
            counted_params += values
        groups = [f'u."g_{g}"' for g in by]
        query = f"SELECT {', '.join([*groups, *counted])} FROM ({sql}) u" + (
            f" GROUP BY {', '.join(groups)}" if groups else ""
        )
        with connections[units.db].cursor() as cursor:
            cursor.execute(query, [*counted_params, *params])
            columns = [c[0] for c in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
        return [
            {**{g: row[f"g_{g}"] for g in by}, **{f"n_{part}": int(row[f"n_{part}"] or 0) for part in parts}}
            for row in rows
        ]


def _names(q: Q) -> set[str]:
    """The unit values a condition reads."""
    found: set[str] = set()
    for child in q.children:
        if isinstance(child, Q):
            found |= _names(child)
        else:
            found.add(cast(tuple[str, Any], child)[0].split("__")[0])
    return found


_OPERATORS = {"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}


def _condition_sql(q: Q) -> tuple[str, list[Any]]:
    """A condition of ``Metric.parts`` over the derived table of ``Metric.grouped`` (its values named
    ``k_<name>``): the lookups the figures use (exact, in, isnull, gt, gte, lt, lte), joined by AND and OR
    and negated as Django does (a negated condition holds where the value is null)."""
    clauses, params = [], []
    for child in q.children:
        if isinstance(child, Q):
            clause, values = _condition_sql(child)
        else:
            lookup, value = cast(tuple[str, Any], child)
            name, _sep, op = lookup.partition("__")
            column = f'u."k_{name}"'
            if isinstance(value, date):
                value = connection.ops.adapt_datefield_value(value)
            if op == "isnull":
                clause, values = f"{column} IS {'' if value else 'NOT '}NULL", []
            elif op == "in":
                items = list(value)
                clause, values = f"{column} IN ({', '.join(['%s'] * len(items))})", items
            else:
                clause, values = f"{column} {_OPERATORS[op or 'exact']} %s", [value]
        clauses.append(f"({clause})")
        params += values
    joined = f" {q.connector} ".join(clauses) or "1 = 1"
    if q.negated:
        joined = f"NOT COALESCE(({joined}), FALSE)"
    return joined, params


def _cases_of(qs: QuerySet[Any], scope: Scope, prefix: str, **annotations: Any) -> QuerySet[Any]:
    """``qs`` narrowed to the scope's cases and annotated with each row's case, agency and region (and
    ``annotations``)."""
    units: QuerySet[Any] = qs.filter(scope.q(prefix)).annotate(**annotations)
    units = units.annotate(
        of_case=F(f"{prefix}id") if prefix else F("pk"),
        of_agency=F(f"{prefix}respondent_id"),
        of_region=F(f"{prefix}region_id"),
    )
    return units


# --- the units ------------------------------------------------------------------------------------------


def _court_filed(scope: Scope) -> QuerySet[Any]:
    return _cases_of(
        Dispute.objects.filter(
            source=Source.COURT_PUSH, received_on__gte=scope.first, received_on__lte=scope.last
        ),
        scope,
        "",
    )


def _hearings_held(kind: str) -> Callable[[Scope], QuerySet[Any]]:
    """The hearings of ``kind`` scheduled in the period, with their latest attendance record (a hearing
    with none was not held: it is not counted)."""

    def units(scope: Scope) -> QuerySet[Any]:
        from hearings.models import Attendance, Hearing

        latest = Attendance.objects.filter(hearing=OuterRef("pk")).order_by("-recorded_at", "-pk")
        return _cases_of(
            Hearing.objects.filter(kind=kind, scheduled_at__gte=scope.start, scheduled_at__lt=scope.end),
            scope,
            "dispute__",
            attended=Subquery(latest.values("attended")[:1]),
            spoke=Subquery(latest.values("spoke")[:1]),
        )

    return units


def _applications(scope: Scope) -> QuerySet[Any]:
    """Legal-aid applications received in the period, with the party's latest screening and whether a
    lawyer was assigned (even if the aid later ended)."""
    from legal_aid.models import Application, Assignment, Screening

    latest = Screening.objects.filter(party=OuterRef("party")).order_by("-screened_at", "-pk")
    return _cases_of(
        Application.objects.filter(received_on__gte=scope.first, received_on__lte=scope.last),
        scope,
        "dispute__",
        screened=Subquery(latest.values("result")[:1]),
        has_lawyer=Exists(Assignment.objects.filter(application=OuterRef("pk"))),
    )


def _decisions(scope: Scope) -> QuerySet[Any]:
    """Reconsideration decisions recorded in the period, with the day their first visit is due (the first
    of a chain of visits; any visit when there is no first) and whether a visit reached the applicant."""
    from followups.models import Visit

    planned = Visit.objects.filter(decision_event=OuterRef("pk")).exclude(status=Visit.Status.CANCELLED)
    first = planned.order_by("due_on").values("due_on")[:1]
    return _cases_of(
        DisputeEvent.objects.filter(action="decide", at__gte=scope.start, at__lt=scope.end),
        scope,
        "dispute__",
        first_due=Coalesce(
            Subquery(planned.filter(follows__isnull=True).order_by("due_on").values("due_on")[:1]),
            Subquery(first),
        ),  # fmt: skip
        done=Exists(planned.filter(status=Visit.Status.DONE)),
    )


def _first_instance_decided(scope: Scope) -> QuerySet[Any]:
    """Administrative cases the court of first instance concluded in the period (审结)."""
    return _cases_of(
        Litigation.objects.filter(trial_level=Instance.FIRST, decided_on__gte=scope.first, decided_on__lte=scope.last)
        .exclude(outcome=""),
        scope,
        "dispute__",
    )  # fmt: skip


def _resolutions(scope: Scope) -> QuerySet[Any]:
    """Resolution attempts the centre opened in the period (a case accepted, or reopened), with whether
    a session recorded a preliminary intent."""
    from disputes.models import ResolutionSession

    return _cases_of(
        Resolution.objects.filter(opened_at__gte=scope.start, opened_at__lt=scope.end),
        scope,
        "dispute__",
        intent=Exists(ResolutionSession.objects.filter(resolution=OuterRef("pk"), intent=True)),
    )


def _recon_decided(scope: Scope) -> QuerySet[Any]:
    return _cases_of(
        Reconsideration.objects.filter(decided_on__gte=scope.first, decided_on__lte=scope.last).exclude(
            decision_type=""
        ),
        scope,
        "dispute__",
    )


HEADS = Q(attended__in=("principal", "deputy"))
HELD = Q(attended__isnull=False)
ALL = Q(pk__isnull=False)


def _eligible() -> Q:
    from legal_aid.models import Application, Result
    from legal_aid.selectors import ELIGIBLE_STATUSES

    return Q(status__in=ELIGIBLE_STATUSES) | Q(status=Application.Status.RECEIVED, screened=Result.ELIGIBLE)


def _visit_due() -> Q:
    return Q(done=True) | Q(first_due__lte=workdays.today())


Condition = Q | Callable[[], Q]  # a callable for a condition on today's date: built at each use


def _now(condition: Condition) -> Q:
    return condition() if callable(condition) else condition


FOUR: list[Metric] = [
    Metric(
        code="pushed_rate",
        short=_("Pushed"),
        label=_("Court-filed disputes pushed to resolution"),
        definition=_(
            "Of the disputes the court filed and pushed to the centre in the period, those whose party "
            "consented to resolution. A party who refused is not counted, and is shown beside."
        ),
        numerator_label=_("Pushed to resolution"),
        denominator_label=_("Court-filed (refusals apart)"),
        beside_labels={"refused": _("Party refused")},
        units=_court_filed,
        when="received_on",
        denominator=~Q(consent=Consent.REFUSED),
        numerator=Q(consent=Consent.GIVEN),
        beside={"refused": Q(consent=Consent.REFUSED)},
        four=True,
    ),
    Metric(
        code="hearing_head_rate",
        short=_("Heads at hearings"),
        label=_("Agency heads taking part in hearings"),
        definition=_(
            "Of the reconsideration hearings held in the period (an attendance recorded), those a "
            "principal or deputy head of the agency attended. The principal head's share is beside."
        ),
        numerator_label=_("With a head"),
        denominator_label=_("Hearings held"),
        beside_labels={"principal": _("With the principal head"), "silent": _("Head did not speak")},
        units=_hearings_held("recon_hearing"),
        when="scheduled_at",
        denominator=HELD,
        numerator=HEADS,
        beside={"principal": Q(attended="principal"), "silent": HEADS & Q(spoke=False)},
        four=True,
    ),
    Metric(
        code="legal_aid_coverage",
        short=_("Legal aid rate"),
        label=_("Legal aid for eligible parties"),
        definition=_(
            "Of the eligible parties without a representative who applied in the period, those assigned "
            "a legal-aid lawyer. Those still waiting are beside."
        ),
        numerator_label=_("Lawyer assigned"),
        denominator_label=_("Eligible applicants"),
        beside_labels={"waiting": _("Still waiting")},
        units=_applications,
        when="received_on",
        denominator=_eligible,
        numerator=Q(has_lawyer=True),
        beside={"waiting": lambda: _eligible() & Q(has_lawyer=False)},
        four=True,
    ),
    Metric(
        code="followup_rate",
        short=_("Follow-up rate"),
        label=_("Decisions followed up"),
        definition=_(
            "Of the reconsideration decisions of the period whose visit is due, those followed up by a "
            "visit that reached the applicant. Decisions whose visit is not yet due are shown apart."
        ),
        numerator_label=_("Followed up"),
        denominator_label=_("Visit due"),
        beside_labels={"not_yet_due": _("Not yet due"), "missed": _("Missed")},
        units=_decisions,
        when="at",
        denominator=_visit_due,
        numerator=Q(done=True),
        beside={
            "not_yet_due": lambda: Q(done=False, first_due__gt=workdays.today()),
            "missed": lambda: _visit_due() & Q(done=False),
        },
        four=True,
    ),
]

OTHERS: list[Metric] = [
    Metric(
        code="court_head_rate",
        short=_("Heads in court"),
        label=_("Agency heads appearing in court"),
        definition=_(
            "Of the court sessions held in the period (an attendance recorded), those a principal or "
            "deputy head of the respondent agency attended (负责人出庭应诉). The principal head's share and "
            "the heads who appeared but did not speak (出庭不出声) are beside."
        ),
        numerator_label=_("With a head"),
        denominator_label=_("Court sessions held"),
        beside_labels={"principal": _("With the principal head"), "silent": _("Head did not speak")},
        units=_hearings_held("court_session"),
        when="scheduled_at",
        denominator=HELD,
        numerator=HEADS,
        beside={"principal": Q(attended="principal"), "silent": HEADS & Q(spoke=False)},
    ),
    Metric(
        code="must_attend_rate",
        label=_("Heads appearing where they must"),
        definition=_(
            "Of the court sessions held in the period where the head must appear (the agency's first "
            "first-instance case of the year, a court's written suggestion, a case the head's presence "
            "helps resolve), those a head attended (应出尽出)."
        ),
        numerator_label=_("With a head"),
        denominator_label=_("Must-appear sessions held"),
        beside_labels={},
        units=_hearings_held("court_session"),
        when="scheduled_at",
        denominator=HELD & Q(must_attend=True),
        numerator=HEADS,
    ),
    Metric(
        code="mediation_withdrawal_rate",
        label=_("Mediated or withdrawn"),
        definition=_(
            "Of the administrative cases the court of first instance concluded in the period, those "
            "ended by mediation or by the plaintiff's withdrawal (调撤率)."
        ),
        numerator_label=_("Mediated or withdrawn"),
        denominator_label=_("Concluded at first instance"),
        beside_labels={"withdrawal": _("Withdrawn"), "mediation": _("Mediated")},
        units=_first_instance_decided,
        when="decided_on",
        denominator=ALL,
        numerator=Q(outcome__in=(LitigationOutcome.WITHDRAWAL, LitigationOutcome.MEDIATION)),
        beside={
            "withdrawal": Q(outcome=LitigationOutcome.WITHDRAWAL),
            "mediation": Q(outcome=LitigationOutcome.MEDIATION),
        },
        target=None,
    ),
    Metric(
        code="loss_rate",
        short=_("Loss rate"),
        label=_("Agency loss rate"),
        definition=_(
            "Of the administrative cases the court of first instance concluded in the period, those the "
            "agency lost (败诉率). An agency over 15 per cent is flagged for on-site supervision; the loss count is "
            "the numerator."
        ),
        numerator_label=_("Lost"),
        denominator_label=_("Concluded at first instance"),
        beside_labels={},
        units=_first_instance_decided,
        when="decided_on",
        denominator=ALL,
        numerator=Q(agency_lost=True),
        target=None,
        ceiling=LOSS_SUPERVISION,
    ),
    Metric(
        code="correction_rate",
        label=_("Reconsideration correction rate"),
        definition=_(
            "Of the reconsideration decisions of the period, those that corrected the agency: revoked, "
            "modified, confirmed illegal or ordered performance (纠错率)."
        ),
        numerator_label=_("Corrected"),
        denominator_label=_("Decisions"),
        beside_labels={},
        units=_recon_decided,
        when="decided_on",
        denominator=ALL,
        numerator=Q(decision_type__in=sorted(CORRECTING_DECISIONS)),
        target=None,
    ),
    Metric(
        code="resolution_success_rate",
        label=_("Resolved at the centre"),
        definition=_(
            "Of the cases the centre took up for resolution in the period, those resolved by a signed "
            "agreement. Those still in resolution with a preliminary intent recorded, and those that "
            "failed or were transferred, are beside."
        ),
        numerator_label=_("Resolved"),
        denominator_label=_("Taken up"),
        beside_labels={
            "intent": _("Preliminary intent"),
            "failed": _("Failed or transferred"),
        },
        units=_resolutions,
        when="opened_at",
        denominator=ALL,
        numerator=Q(agreement_signed_on__isnull=False),
        beside={
            "intent": Q(agreement_signed_on__isnull=True, intent=True, failure_reason="", transfer_target=""),
            "failed": Q(agreement_signed_on__isnull=True) & (~Q(failure_reason="") | ~Q(transfer_target="")),
        },
        target=None,
    ),
]

METRICS: list[Metric] = [*FOUR, *OTHERS]
BY_CODE = {m.code: m for m in METRICS}


# --- tables ---------------------------------------------------------------------------------------------


@dataclass
class Table:
    """Figures for a scope: the totals, and each agency's and each region's part, from one ``GROUP BY``
    query per figure (by agency and region together), whatever the number of agencies."""

    totals: dict[str, Counts]
    agencies: dict[int, dict[str, Counts]]
    regions: dict[int, dict[str, Counts]]


def figure_table(scope: Scope, metrics: list[Metric] = METRICS) -> Table:
    table = Table({}, {}, {})
    for metric in metrics:
        names = list(metric.beside)
        total = table.totals[metric.code] = Counts()
        rows = metric.grouped(metric.units(scope), {"of_agency": F("of_agency"), "of_region": F("of_region")})
        for row in rows:
            total.add(row, names)
            table.agencies.setdefault(row["of_agency"], {}).setdefault(metric.code, Counts()).add(row, names)
            table.regions.setdefault(row["of_region"], {}).setdefault(metric.code, Counts()).add(row, names)
    return table


def year_before(scope: Scope) -> Scope:
    """The same period a year earlier (29 February becomes the 28th)."""

    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)

    return replace(scope, first=back(scope.first), last=back(scope.last))


def change_in_points(now: Figure | Counts, before: Figure | Counts) -> Decimal | None:
    """The year-on-year change of a rate in percentage points (as seed 004 reports it: 同比下降9.37个百分点);
    none when either year has no figure."""
    if now.value is None or before.value is None:
        return None
    return now.value - before.value


def change_in_percent(now: int, before: int) -> Decimal | None:
    """The year-on-year change of a count, in percent of last year's (同比下降11.39%); none from nothing."""
    if not before:
        return None
    return (Decimal(now - before) * 100 / Decimal(before)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class _Ranked:
    """An agency's or a region's part of the figures, and how it ranks."""

    parts: dict[str, Counts]

    def rate(self, code: str) -> Decimal | None:
        part = self.parts.get(code)
        return part.value if part else None

    def below(self) -> int:
        """How many of the four are below target (the ranking: most first)."""
        return sum(1 for m in FOUR if m.alarm(self.rate(m.code)))


@dataclass(frozen=True)
class AgencyRow(_Ranked):
    """One agency's part of the figures (its cases) and its 四不问题 of the period."""

    agency_id: int
    agency: str
    parts: dict[str, Counts]
    problems: dict[str, int]

    @property
    def supervised(self) -> bool:
        """Flagged for on-site supervision (驻站式监督): a loss rate over 15% (seed 004; 15% is not over)."""
        return BY_CODE["loss_rate"].alarm(self.rate("loss_rate"))


def remedies_of(scope: Scope) -> QuerySet[Any]:
    """The remedy tasks of the misses of the period by the agencies of the scope's cases (四不问题), voided
    ones left out."""
    from deadlines.models import Remedy, RemedyStatus

    return (
        Remedy.objects.filter(missed_on__gte=scope.first, missed_on__lte=scope.last)
        .filter(organisation_id__in=Dispute.objects.filter(scope.q()).values("respondent_id"))
        .exclude(status=RemedyStatus.VOID)
    )


def by_agency(scope: Scope, table: Table) -> list[AgencyRow]:
    """The table's agencies, named, with each agency's 四不问题 (the remedy tasks of misses in the period,
    voided ones not counted), in two queries whatever the number of agencies. Ranked: the most of the
    four below target first, then the most 四不问题, then by name."""
    from core.models import Organisation

    misses = list(remedies_of(scope).values("organisation_id", "problem").annotate(n=Count("pk")).order_by())
    ids = set(table.agencies) | {m["organisation_id"] for m in misses}
    names = dict(Organisation.objects.filter(pk__in=ids).values_list("pk", "name"))
    rows = {pk: AgencyRow(pk, names[pk], table.agencies.get(pk, {}), {}) for pk in ids}
    for miss in misses:
        rows[miss["organisation_id"]].problems[miss["problem"]] = miss["n"]
    return sorted(rows.values(), key=lambda r: (-r.below(), -sum(r.problems.values()), r.agency))


@dataclass(frozen=True)
class RegionRow(_Ranked):
    region_id: int
    region: str
    parts: dict[str, Counts]


def by_region(scope: Scope, table: Table) -> list[RegionRow]:
    """The table rolled up to the regions directly below the user's (a city's counties, a province's
    cities), those with a figure, in one query for the regions; none for an agency or a user at the
    bottom of the tree. Ranked like the agencies."""
    if not scope.covers() or scope._agency_only():
        return []
    if scope.region is not None:
        top = Region.objects.get(pk=scope.region)
        within = list(scope.regions or ())
    else:
        assert scope.user is not None and scope.user.organisation is not None  # covers() said so
        top = scope.user.organisation.region
        within = region_subtree(scope.user)
    regions = list(Region.objects.filter(pk__in=within).values_list("pk", "path", "name", "level"))
    children = {path: (pk, name) for pk, path, name, level in regions if level == top.level + 1}
    if not children:
        return []
    parts: dict[int, dict[str, Counts]] = {pk: {} for pk, _name in children.values()}
    for pk, path, _name, level in regions:
        if level <= top.level or pk not in table.regions:
            continue
        child = next((c for p, c in children.items() if path == p or path.startswith(p + "/")), None)
        if child is None:
            continue
        for code, counts in table.regions[pk].items():
            parts[child[0]].setdefault(code, Counts()).merge(counts)
    rows = [RegionRow(pk, name, parts[pk]) for pk, name in children.values() if parts[pk]]
    return sorted(rows, key=lambda r: (-r.below(), r.region))


# --- volume ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Volume:
    """Cases received in the period by source and by matter category, and the first-instance cases the
    court filed (the litigation volume of 双下降)."""

    by_source: dict[str, int]
    by_category: dict[str, int]
    received: int
    litigation: int


def volume(scope: Scope) -> Volume:
    received = Dispute.objects.filter(scope.q(), received_on__gte=scope.first, received_on__lte=scope.last)
    by_source: dict[str, int] = {}
    by_category: dict[str, int] = {}
    total = 0
    for row in received.values("source", "matter").annotate(n=Count("pk")).order_by():
        by_source[row["source"]] = by_source.get(row["source"], 0) + row["n"]
        by_category[row["matter"]] = by_category.get(row["matter"], 0) + row["n"]
        total += row["n"]
    litigation = Litigation.objects.filter(
        scope.q("dispute__"), trial_level=Instance.FIRST, filed_on__gte=scope.first, filed_on__lte=scope.last
    ).count()
    return Volume(by_source, by_category, total, litigation)


def monthly(scope: Scope, metrics: list[Metric]) -> dict[str, list[tuple[date, Counts]]]:
    """Each figure month by month over the scope's period (the trend charts): one query per figure, its
    units grouped by the month of their ``when``; a month without units has no figure."""
    from django.db.models.functions import TruncMonth

    months: list[date] = []
    day = scope.first.replace(day=1)
    while day <= scope.last:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    trends: dict[str, list[tuple[date, Counts]]] = {}
    for metric in metrics:
        by_month: dict[date, Counts] = {}
        names = list(metric.beside)
        units = metric.units(scope)
        moment = units.model._meta.get_field(metric.when).get_internal_type() == "DateTimeField"
        rows = metric.grouped(
            units, {"month": TruncMonth(metric.when, tzinfo=workdays.SHANGHAI if moment else None)}
        )
        for row in rows:
            month = row["month"]
            # As the database gives it (no field converts a raw row): a datetime, a date, or text on SQLite.
            if isinstance(month, str):
                month = date.fromisoformat(month[:10])
            elif isinstance(month, datetime):
                month = month.date()
            by_month.setdefault(month, Counts()).add(row, names)
        trends[metric.code] = [(m, by_month.get(m, Counts())) for m in months]
    return trends
