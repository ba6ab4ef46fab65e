"""Early warning (预警): what will break a 100% or add a 四不问题 if nobody acts, before the period closes.

Read from the running clocks of the deadline engine (each knows its case, the body that must act and,
where known, the person): a head's answer to a hearing not yet given, a legal-aid decision or assignment
near its limit, a follow-up visit coming due, a court answer, a summons report or a performance due. Each
is listed under the case's agency with the person to call: the clock's responsible person, or else the
people of the body that must act (the agency's liaison, the centre's clerks, the legal-aid staff). Five
queries whatever the number of warnings; the soonest ``LIMIT`` are listed, every agency's count whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from core import workdays
from core.models import User, UserRole
from core.roles import Role
from deadlines.models import Deadline, Status
from disputes.models import Dispute

from .metrics import Scope

HORIZON_DAYS = 7
LIMIT = 100  # the rows listed, soonest due first (every agency's count is whole)

# rule code -> (the figure it threatens, what is at risk)
WATCHED: dict[str, tuple[str, object]] = {
    "hearing_head_answer": ("hearing_head_rate", _("A head's attendance not yet confirmed")),
    "court_head_notice": ("court_head_rate", _("The head's court appearance not yet notified")),
    "aid_decision": ("legal_aid_coverage", _("Legal-aid decision due")),
    "aid_assignment": ("legal_aid_coverage", _("Legal-aid lawyer to be assigned")),
    "followup_visit": ("followup_rate", _("Follow-up visit due")),
    "lit_answer": ("not_answering", _("Court answer due")),
    "report_receipt": ("not_answering", _("Court papers not yet reported")),
    "performance": ("not_performing", _("Performance due")),
}

# Whom to call at a body, by its kind, when the clock names no one.
CONTACTS = (Role.AGENCY_LIAISON, Role.AGENCY_HEAD_DEPUTY, Role.CENTRE_CLERK, Role.LEGAL_AID_STAFF,
            Role.COURT_CLERK)  # fmt: skip


@dataclass(frozen=True)
class Warning:
    dispute_id: int
    case_number: str
    agency_id: int
    agency: str
    threatens: str  # a figure's code, or a 四不问题
    rule: str  # the clock's rule: what is at risk (``what``)
    due_on: date
    days_left: int
    body: str  # the body that must act
    contact: str  # the person to call, with a phone where known

    @property
    def what(self) -> object:
        return WATCHED[self.rule][1]


@dataclass(frozen=True)
class AgencyWarnings:
    agency_id: int
    agency: str
    count: int  # all of the agency's (``warnings`` may list fewer: the page's limit)
    warnings: list[Warning]

    @property
    def more(self) -> int:
        return self.count - len(self.warnings)


@dataclass(frozen=True)
class Warnings:
    agencies: list[AgencyWarnings]
    total: int


def _contact(user: User) -> str:
    return f"{user.name} {user.masked_phone}".strip() if user.phone else user.name


def early_warnings(
    scope: Scope, today: date | None = None, horizon: int = HORIZON_DAYS, limit: int = LIMIT
) -> Warnings:
    """The running clocks of ``scope``'s cases watched for the figures, due from today to ``horizon``
    days on (one already past is a miss: a remedy task, not a warning), by agency (the most urgent
    agency first), each soonest due first; ``limit`` rows in all, every agency's count whole."""
    today = today or workdays.today()
    cases = Dispute.objects.filter(scope.q())
    watched = Deadline.objects.filter(
        status=Status.OPEN,
        rule__code__in=list(WATCHED),
        due_on__gte=today,
        due_on__lte=today + timedelta(days=horizon),
        subject_type=ContentType.objects.get_for_model(Dispute),
        subject_id__in=cases.values("pk"),
    )
    counts = {
        row["agency"]: row["n"]
        for row in watched.annotate(agency=Subquery(cases.filter(pk=OuterRef("subject_id")).values("respondent_id")[:1]))
        .values("agency")
        .annotate(n=Count("pk"))
        .order_by()
    }  # fmt: skip
    clocks = list(
        watched.select_related("rule", "responsible_organisation", "responsible_person").order_by(
            "due_on", "pk"
        )[:limit]
    )
    owners = {
        pk: (number, agency, name)
        for pk, number, agency, name in Dispute.objects.filter(
            pk__in={c.subject_id for c in clocks}
        ).values_list("pk", "number", "respondent_id", "respondent__name")
    }
    bodies = {c.responsible_organisation_id for c in clocks if c.responsible_person_id is None}
    people: dict[int, list[str]] = {}
    for role in (
        UserRole.objects.filter(user__organisation_id__in=bodies, user__is_active=True, role__in=CONTACTS)
        .select_related("user")
        .order_by("user__name", "user_id")
    ):
        named = people.setdefault(role.user.organisation_id or 0, [])
        if _contact(role.user) not in named:
            named.append(_contact(role.user))
    listed: dict[int, list[Warning]] = {}
    names: dict[int, str] = {}
    for clock in clocks:
        number, agency, name = owners[clock.subject_id]
        names[agency] = name
        threatens = WATCHED[clock.rule.code][0]
        if clock.responsible_person is not None:
            contact = _contact(clock.responsible_person)
        else:
            contact = "、".join(people.get(clock.responsible_organisation_id, [])[:2])
        listed.setdefault(agency, []).append(
            Warning(
                dispute_id=clock.subject_id,
                case_number=number,
                agency_id=agency,
                agency=name,
                threatens=threatens,
                rule=clock.rule.code,
                due_on=clock.due_on,
                days_left=(clock.due_on - today).days,
                body=clock.responsible_organisation.name,
                contact=contact,
            )
        )
    missing = set(counts) - set(names)
    if missing:
        from core.models import Organisation

        names.update(Organisation.objects.filter(pk__in=missing).values_list("pk", "name"))
    agencies = [AgencyWarnings(pk, names[pk], n, listed.get(pk, [])) for pk, n in counts.items()]
    agencies.sort(key=lambda a: (a.warnings[0].due_on if a.warnings else date.max, a.agency))
    return Warnings(agencies, sum(counts.values()))
