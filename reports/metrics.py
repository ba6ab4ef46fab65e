"""The four 100% (seed 000), each defined once: numerator, denominator, what is shown apart, the target,
the label and a definition a committee member can read, and the cases behind each number.

A figure is computed for a ``Scope``: the cases a user's reports cover (a committee member's or clerk's
region and everything below it, an agency only itself) and a period. The figures come from the apps'
own selectors (``hearings``, ``legal_aid``, ``followups``), so the numbers on the dashboard are the ones
those apps test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from core import workdays
from core.access import Reach, reaches, region_subtree
from core.models import User
from disputes.choices import Consent, Source
from disputes.models import Dispute, DisputeEvent

TARGET = Decimal("100.00")


@dataclass(frozen=True)
class Scope:
    user: User
    first: date
    last: date

    def cases(self) -> QuerySet[Dispute]:
        """The cases the user's reports cover, whatever the period: by region for the centre, the court,
        the committee and the administration; an agency's own cases; nothing otherwise."""
        user = self.user
        if user.organisation is None or not user.can("view_reports"):
            return Dispute.objects.none()
        kinds = reaches(user)
        if Reach.ORGANISATION in kinds and Reach.REGION not in kinds:
            return Dispute.objects.filter(respondent_id=user.organisation_id)
        return Dispute.objects.filter(region_id__in=region_subtree(user))

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, tzinfo=workdays.SHANGHAI)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=workdays.SHANGHAI)


@dataclass(frozen=True)
class Figure:
    """A rate with the cases behind its numerator and its denominator, and what is shown beside it."""

    numerator: list[int]  # dispute ids (a case may stand more than once: one hearing, one party each)
    denominator: list[int]
    beside: dict[str, list[int]] = field(default_factory=dict)

    @property
    def value(self) -> Decimal | None:
        if not self.denominator:
            return None
        return (Decimal(len(self.numerator)) * 100 / Decimal(len(self.denominator))).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )


@dataclass(frozen=True)
class Metric:
    code: str
    label: object  # a lazy translation
    definition: object
    numerator_label: object
    denominator_label: object
    beside_labels: dict[str, object]
    compute: Callable[[Scope], Figure]
    target: Decimal = TARGET

    def below_target(self, figure: Figure) -> bool:
        return figure.value is not None and figure.value < self.target


def _pushed(scope: Scope) -> Figure:
    filed = scope.cases().filter(
        source=Source.COURT_PUSH, received_on__gte=scope.first, received_on__lte=scope.last
    )
    rows = list(filed.order_by("pk").values_list("pk", "consent"))
    counted = [pk for pk, consent in rows if consent != Consent.REFUSED]
    return Figure(
        numerator=[pk for pk, consent in rows if consent == Consent.GIVEN],
        denominator=counted,
        beside={"refused": [pk for pk, consent in rows if consent == Consent.REFUSED]},
    )


def _hearing_heads(scope: Scope) -> Figure:
    from hearings.models import Hearing, HearingKind
    from hearings.selectors import head_participation

    held = Hearing.objects.filter(
        dispute__in=scope.cases().values("pk"),
        kind=HearingKind.RECON_HEARING,
        scheduled_at__gte=scope.start,
        scheduled_at__lt=scope.end,
    )
    figures = head_participation(held)
    case_of = dict(Hearing.objects.filter(pk__in=figures.held).values_list("pk", "dispute_id"))
    return Figure(
        numerator=[case_of[h] for h in figures.with_head],
        denominator=[case_of[h] for h in figures.held],
        beside={
            "principal": [case_of[h] for h in figures.with_principal],
            "silent": [case_of[h] for h in figures.silent_heads],
        },
    )


def _legal_aid(scope: Scope) -> Figure:
    from legal_aid.models import Application
    from legal_aid.selectors import aid_coverage

    coverage = aid_coverage(scope.cases(), today=min(scope.last, workdays.today()))
    in_period = dict(
        Application.objects.filter(
            pk__in=coverage.applied, received_on__gte=scope.first, received_on__lte=scope.last
        ).values_list("pk", "dispute_id")
    )
    return Figure(
        numerator=[in_period[a] for a in coverage.assigned if a in in_period],
        denominator=[in_period[a] for a in coverage.applied if a in in_period],
        beside={
            "waiting": [g.dispute_id for g in coverage.gaps if g.application_id in in_period],
        },
    )


def _followups(scope: Scope) -> Figure:
    from followups.selectors import followup_figures

    decided = DisputeEvent.objects.filter(
        dispute__in=scope.cases().values("pk"), action="decide", at__gte=scope.start, at__lt=scope.end
    )
    figures = followup_figures(
        Dispute.objects.filter(pk__in=decided.values("dispute_id")), today=workdays.today()
    )
    in_period = dict(decided.values_list("pk", "dispute_id"))
    return Figure(
        numerator=[in_period[e] for e in figures.followed_up if e in in_period],
        denominator=[in_period[e] for e in figures.due if e in in_period],
        beside={
            "not_yet_due": [in_period[e] for e in figures.not_yet_due if e in in_period],
            "missed": [in_period[e] for e in figures.missed if e in in_period],
        },
    )


FOUR: list[Metric] = [
    Metric(
        code="pushed_rate",
        label=_("Court-filed disputes pushed to resolution"),
        definition=_(
            "Of the disputes the court filed and pushed to the centre in the period, those whose party "
            "consented to resolution. A party who refused is not counted, and is shown beside."
        ),
        numerator_label=_("Pushed to resolution"),
        denominator_label=_("Court-filed (refusals apart)"),
        beside_labels={"refused": _("Party refused")},
        compute=_pushed,
    ),
    Metric(
        code="hearing_head_rate",
        label=_("Agency heads taking part in hearings"),
        definition=_(
            "Of the reconsideration hearings held in the period (an attendance recorded), those a "
            "principal or deputy head of the agency attended. The principal head's share is beside."
        ),
        numerator_label=_("With a head"),
        denominator_label=_("Hearings held"),
        beside_labels={"principal": _("With the principal head"), "silent": _("Head did not speak")},
        compute=_hearing_heads,
    ),
    Metric(
        code="legal_aid_coverage",
        label=_("Legal aid for eligible parties"),
        definition=_(
            "Of the eligible parties without a representative who applied in the period, those assigned "
            "a legal-aid lawyer. Those still waiting are beside."
        ),
        numerator_label=_("Lawyer assigned"),
        denominator_label=_("Eligible applicants"),
        beside_labels={"waiting": _("Still waiting")},
        compute=_legal_aid,
    ),
    Metric(
        code="followup_rate",
        label=_("Decisions followed up"),
        definition=_(
            "Of the reconsideration decisions of the period whose visit is due, those followed up by a "
            "visit that reached the applicant. Decisions whose visit is not yet due are shown apart."
        ),
        numerator_label=_("Followed up"),
        denominator_label=_("Visit due"),
        beside_labels={"not_yet_due": _("Not yet due"), "missed": _("Missed")},
        compute=_followups,
    ),
]
BY_CODE = {m.code: m for m in FOUR}


@dataclass(frozen=True)
class AgencyRow:
    """One agency's part of the four figures (its cases), and its 四不问题 of the period."""

    agency_id: int
    agency: str
    parts: dict[str, tuple[int, int]]  # metric code -> (numerator, denominator)
    problems: dict[str, int]

    def rate(self, code: str) -> Decimal | None:
        numerator, denominator = self.parts.get(code, (0, 0))
        if not denominator:
            return None
        return (Decimal(numerator) * 100 / Decimal(denominator)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )

    def below(self) -> int:
        """How many of its figures are below target (the ranking: most first)."""
        return sum(1 for code in self.parts if (r := self.rate(code)) is not None and r < TARGET)


def by_agency(scope: Scope, figures: dict[str, Figure]) -> list[AgencyRow]:
    """The figures split by respondent agency, with each agency's 四不问题 (the remedy tasks of misses in
    the period, voided ones not counted): two queries, whatever the number of agencies. Ranked: the most figures below target
    first, then the most 四不问题, then by name."""
    from django.db.models import Count

    from deadlines.models import Remedy, RemedyStatus

    ids = {pk for f in figures.values() for pk in (*f.numerator, *f.denominator)}
    owner = {pk: (agency, name) for pk, agency, name in
             Dispute.objects.filter(pk__in=ids).values_list("pk", "respondent_id", "respondent__name")}  # fmt: skip
    rows: dict[int, AgencyRow] = {}

    def row(agency: int, name: str) -> AgencyRow:
        return rows.setdefault(agency, AgencyRow(agency, name, {}, {}))

    for code, figure in figures.items():
        for part, index in ((figure.numerator, 0), (figure.denominator, 1)):
            for pk in part:
                agency, name = owner[pk]
                entry = row(agency, name)
                counts = list(entry.parts.get(code, (0, 0)))
                counts[index] += 1
                entry.parts[code] = (counts[0], counts[1])
    misses = (
        Remedy.objects.filter(
            missed_on__gte=scope.first,
            missed_on__lte=scope.last,
            organisation_id__in=scope.cases().values("respondent_id"),
        )
        .exclude(status=RemedyStatus.VOID)
        .values("organisation_id", "organisation__name", "problem")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for miss in misses:
        row(miss["organisation_id"], miss["organisation__name"]).problems[miss["problem"]] = miss["n"]
    return sorted(rows.values(), key=lambda r: (-r.below(), -sum(r.problems.values()), r.agency))


def year_before(scope: Scope) -> Scope:
    """The same period a year earlier (29 February becomes the 28th)."""

    def back(day: date) -> date:
        try:
            return day.replace(year=day.year - 1)
        except ValueError:
            return day.replace(year=day.year - 1, day=28)

    return Scope(scope.user, back(scope.first), back(scope.last))


def change_in_points(now: Figure, before: Figure) -> Decimal | None:
    """The year-on-year change of a rate in percentage points (as seed 004 reports it: 同比下降9.37个百分点);
    none when either year has no figure."""
    if now.value is None or before.value is None:
        return None
    return now.value - before.value
