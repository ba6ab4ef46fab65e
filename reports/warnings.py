"""Early warning (预警): what will break a 100% or add a 四不问题 if nobody acts, before the period closes.

Read from the running clocks of the deadline engine (each knows its case, the body that must act and,
where known, the person): a head's answer to a hearing not yet given, a legal-aid decision or assignment
near its limit, a follow-up visit coming due, a court answer, a summons report or a performance due. Each
is listed under the case's agency with the person to call: the clock's responsible person, or else the
people of the body that must act (the agency's liaison, the centre's clerks, the legal-aid staff). Four
queries whatever the number of warnings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from core import workdays
from core.models import User, UserRole
from core.roles import Role
from deadlines.models import Deadline, Status
from disputes.models import Dispute

from .metrics import Scope

HORIZON_DAYS = 7

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
    what: object
    due_on: date
    days_left: int
    body: str  # the body that must act
    contact: str  # the person to call, with a phone where known


@dataclass(frozen=True)
class AgencyWarnings:
    agency_id: int
    agency: str
    warnings: list[Warning]


def _contact(user: User) -> str:
    return f"{user.name} {user.phone}".strip() if user.phone else user.name


def early_warnings(
    scope: Scope, today: date | None = None, horizon: int = HORIZON_DAYS
) -> list[AgencyWarnings]:
    """The running clocks of ``scope``'s cases watched for the figures, due within ``horizon`` days, by
    agency (the most urgent agency first), each soonest due first."""
    today = today or workdays.today()
    cases = Dispute.objects.filter(scope.q())
    clocks = list(
        Deadline.objects.filter(
            status=Status.OPEN,
            rule__code__in=list(WATCHED),
            due_on__lte=today + timedelta(days=horizon),
            subject_type=ContentType.objects.get_for_model(Dispute),
            subject_id__in=cases.values("pk"),
        )
        .select_related("rule", "responsible_organisation", "responsible_person")
        .order_by("due_on", "pk")
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
    grouped: dict[int, AgencyWarnings] = {}
    for clock in clocks:
        number, agency, name = owners[clock.subject_id]
        threatens, what = WATCHED[clock.rule.code]
        if clock.responsible_person is not None:
            contact = _contact(clock.responsible_person)
        else:
            contact = "、".join(people.get(clock.responsible_organisation_id, [])[:2])
        entry = grouped.setdefault(agency, AgencyWarnings(agency, name, []))
        entry.warnings.append(
            Warning(
                dispute_id=clock.subject_id,
                case_number=number,
                agency_id=agency,
                agency=name,
                threatens=threatens,
                what=what,
                due_on=clock.due_on,
                days_left=(clock.due_on - today).days,
                body=clock.responsible_organisation.name,
                contact=contact,
            )
        )
    return sorted(grouped.values(), key=lambda a: (min(w.due_on for w in a.warnings), a.agency))
