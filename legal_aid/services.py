"""Writes of the legal-aid app: screening, the application and its decision, the objection, the lawyer's
assignment and the end of aid. Each is on the case's timeline (``disputes.services.dispute_event_add``)
and runs its clock on the deadline engine (``aid_decision`` 7 days, ``aid_assignment`` 3 days,
``aid_objection_review`` 5 days: 法律援助法 第四十三条、第四十九条), keyed by the application."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.access import scoped
from core.models import Organisation, Region, User
from core.roles import Capability, Role
from deadlines.services import deadline_cancel, deadline_meet, deadline_plan
from disputes.choices import MatterCategory, PartyRole
from disputes.models import Dispute, Party
from disputes.services import dispute_event_add, dispute_locked
from notifications.services import notify

from .forms import (
    ApplicationForm,
    AssignmentForm,
    DecisionForm,
    EndForm,
    ObjectionForm,
    ObjectionReviewForm,
    ScreeningForm,
)
from .models import (
    Application,
    Art31Matter,
    Art32Situation,
    Art42Group,
    Assignment,
    Engagement,
    Lawyer,
    Result,
    Screening,
)

SCREEN_EVENT = "aid_screened"
APPLY_EVENT = "aid_applied"
DECIDE_EVENT = "aid_decided"
OBJECT_EVENT = "aid_objected"
REVIEW_EVENT = "aid_objection_reviewed"
ASSIGN_EVENT = "aid_assigned"
END_EVENT = "aid_ended"

DECISION_RULE, ASSIGNMENT_RULE, OBJECTION_RULE = "aid_decision", "aid_assignment", "aid_objection_review"
PROVISIONAL_DAYS = 7  # Art. 44: fewer than 7 days before a limitation period

# The parties who may have aid: those taking part on their own behalf (a representative acts for one).
AIDED_ROLES = (PartyRole.APPLICANT, PartyRole.THIRD_PARTY)


# --- who may ---------------------------------------------------------------------------------------------


def may_screen(user: User) -> bool:
    """The centre's clerks (who meet the party first) and the legal-aid staff."""
    return user.can(Capability.MANAGE_CASES) or user.can(Capability.MANAGE_LEGAL_AID)


def may_decide(user: User) -> bool:
    return user.can(Capability.MANAGE_LEGAL_AID)


def _application(application_id: int, actor: User) -> Application:
    application = (
        scoped(Application.objects.all(), actor)
        .select_for_update(of=("self",))
        .select_related("dispute__region", "dispute__respondent", "party")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Application.DoesNotExist
    return application


def unrepresented(party: Party) -> bool:
    """Whether ``party`` takes part on their own behalf with nobody acting for them."""
    return party.role in AIDED_ROLES and not party.representatives.exists()


def legal_aid_body(region: Region | None) -> Organisation | None:
    """The legal-aid centre of ``region``, or of the nearest region above that has one."""
    while region is not None:
        body = (
            Organisation.objects.filter(region=region, kind=Organisation.Kind.LEGAL_AID_CENTRE)
            .order_by("pk")
            .first()
        )
        if body is not None:
            return body
        region = region.parent
    return None


def _staff_of(body: Organisation | None) -> list[User]:
    if body is None:
        return []
    return list(
        User.objects.filter(organisation=body, is_active=True, roles__role=Role.LEGAL_AID_STAFF)
        .distinct()
        .order_by("pk")
    )


# --- screening -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    result: str
    reasons: list[str]


def evaluate(
    *, matter: str, situation: str, group: str, group_proof: str, hardship_declared: bool
) -> Verdict:
    """What the legal conditions give, with the reason for each criterion (a pure function):

    - a situation of Art. 32 needs no means test: eligible;
    - otherwise the matter must be one of Art. 31 (else not eligible), and the means shown: a group of
      Art. 42 with its proof, or the applicant's written declaration of hardship (eligible); a group
      claimed without proof, or nothing on the means, needs review."""
    reasons: list[str] = []
    if situation:
        reasons.append(
            _("Art. 32: %(situation)s, aid without a means test.")
            % {"situation": Art32Situation(situation).label}
        )
    else:
        reasons.append(_("Art. 32: none of its situations."))
    if matter:
        reasons.append(_("Art. 31: %(matter)s.") % {"matter": Art31Matter(matter).label})
    else:
        reasons.append(_("Art. 31: the dispute is none of its matters."))
    proven = bool(group and group_proof)
    if proven:
        reasons.append(
            _("Art. 42: %(group)s, proven by %(proof)s: the means check is waived.")
            % {"group": Art42Group(group).label, "proof": group_proof}
        )
    elif group:
        reasons.append(
            _("Art. 42: %(group)s claimed without proof: check the certificate.")
            % {"group": Art42Group(group).label}
        )
    if hardship_declared:
        reasons.append(_("Economic hardship declared in writing by the applicant."))
    elif not proven:
        reasons.append(_("Economic hardship not declared."))
    if situation:
        return Verdict(Result.ELIGIBLE, reasons)
    if not matter:
        return Verdict(Result.NOT_ELIGIBLE, reasons)
    return Verdict(Result.ELIGIBLE if proven or hardship_declared else Result.NEEDS_REVIEW, reasons)


def suggested_matter(dispute: Dispute) -> str:
    """The Art. 31 matter the case's category points to, pre-filled on the checklist."""
    matters: dict[str, str] = {
        MatterCategory.SOCIAL_INSURANCE: Art31Matter.SOCIAL_ASSISTANCE,
        MatterCategory.WORK_INJURY: Art31Matter.WORK_INJURY,
    }
    return matters.get(dispute.matter, "")


@transaction.atomic
def screening_record(*, dispute_id: int, party_id: int, actor: User, data: Any) -> Screening:
    """Screen a party without a representative against the conditions; the clerk may set another result
    only with a written reason. Refused with nothing written otherwise. On the case's timeline."""
    dispute = dispute_locked(dispute_id=dispute_id, actor=actor)
    if not may_screen(actor):
        raise PermissionDenied(_("The centre's clerks and the legal-aid staff screen parties."))
    party = Party.objects.filter(pk=party_id, dispute=dispute).first()
    if party is None:
        raise ValidationError({"party": _("This party is not one of the case's.")})
    if not unrepresented(party):
        raise ValidationError(_("Only a party without a representative is screened for legal aid."))
    form = ScreeningForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    verdict = evaluate(
        matter=cleaned["matter"],
        situation=cleaned["situation"],
        group=cleaned["group"],
        group_proof=cleaned["group_proof"].strip(),
        hardship_declared=cleaned["hardship_declared"],
    )
    result = cleaned["result"] or verdict.result
    reason = cleaned["override_reason"].strip()
    if result != verdict.result and not reason:
        raise ValidationError(
            {"override_reason": _("Give the reason for setting a result other than the conditions give.")}
        )
    screening = Screening.objects.create(
        dispute=dispute,
        party=party,
        matter=cleaned["matter"],
        situation=cleaned["situation"],
        group=cleaned["group"],
        group_proof=cleaned["group_proof"].strip(),
        hardship_declared=cleaned["hardship_declared"],
        computed=verdict.result,
        reasons=verdict.reasons,
        result=result,
        override_reason=reason if result != verdict.result else "",
        screened_by=actor,
    )
    summary = f"{party.name}：{screening.get_result_display()}"
    if screening.overridden:
        summary += "（" + _("overridden: %(reason)s") % {"reason": reason} + "）"
    dispute_event_add(
        dispute_id=dispute.pk,
        actor=actor,
        action=SCREEN_EVENT,
        reason=summary,
        data={"party": party.pk, "result": result, "computed": verdict.result},
    )
    return screening


def latest_screening(party: Party) -> Screening | None:
    return Screening.objects.filter(party=party).order_by("-screened_at", "-pk").first()


# --- the application and its decision --------------------------------------------------------------------


def _key(application: Application) -> str:
    return f"aid-{application.pk}"


def _plan(application: Application, rule: str, starts_on: date, actor: User) -> None:
    dispute = application.dispute
    body = legal_aid_body(dispute.region) or dispute.centre
    deadline_plan(
        subject=dispute,
        rule_code=rule,
        key=_key(application),
        starts_on=starts_on,
        responsible_organisation=body,
        region=dispute.region,
        actor=actor,
    )


def _tell(people: list[User], kind: str, application: Application, title: str, body: str = "") -> None:
    notify(
        recipients=people,
        kind=kind,
        key=f"{kind}:{application.pk}:{application.status}",
        title=title,
        body=body,
        url=application.get_absolute_url(),
    )


@transaction.atomic
def application_file(*, dispute_id: int, party_id: int, actor: User, data: Any) -> Application:
    """File a party's application with its materials: the decision is due in 7 days (``aid_decision``);
    fewer than 7 days before a limitation period, aid is granted provisionally at once (Art. 44) and the
    lawyer is due in 3 days. The legal-aid staff are told. On the case's timeline."""
    dispute = dispute_locked(dispute_id=dispute_id, actor=actor)
    if not may_screen(actor):
        raise PermissionDenied(_("The centre's clerks and the legal-aid staff file applications."))
    party = Party.objects.filter(pk=party_id, dispute=dispute).first()
    if party is None:
        raise ValidationError({"party": _("This party is not one of the case's.")})
    if not unrepresented(party):
        raise ValidationError(_("Only a party without a representative applies for legal aid."))
    if (
        Application.objects.filter(party=party)
        .exclude(status__in=[Application.Status.REFUSED, Application.Status.ENDED])
        .exists()
    ):
        raise ValidationError(_("This party's application is still open."))
    form = ApplicationForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    received = cleaned["received_on"]
    limit = cleaned["limitation_ends_on"]
    if limit is not None and limit < received:
        raise ValidationError(
            {"limitation_ends_on": _("The limitation period had ended before the application.")}
        )
    provisional = limit is not None and (limit - received).days < PROVISIONAL_DAYS
    application = Application.objects.create(
        dispute=dispute,
        party=party,
        screening=latest_screening(party),
        received_on=received,
        materials=cleaned["materials"],
        limitation_ends_on=limit,
        provisional=provisional,
        status=Application.Status.GRANTED if provisional else Application.Status.RECEIVED,
        decided_on=received if provisional else None,
        decided_by=actor if provisional else None,
        created_by=actor,
    )
    _plan(application, DECISION_RULE, received, actor)
    if provisional:
        deadline_meet(
            subject=dispute, rule_code=DECISION_RULE, key=_key(application), met_on=received, actor=actor
        )
        _plan(application, ASSIGNMENT_RULE, received, actor)
    summary = party.name
    if provisional:
        summary += "；" + _("provisional aid granted at once: the limitation period ends on %(day)s") % {
            "day": limit.isoformat() if limit else ""
        }
    dispute_event_add(
        dispute_id=dispute.pk,
        actor=actor,
        action=APPLY_EVENT,
        reason=summary,
        data={"application": application.pk, "provisional": provisional},
    )
    with override("zh-hans"):
        title = (
            _("Provisional legal aid: assign a lawyer to %(party)s (%(case)s)")
            if provisional
            else _("Legal-aid application to decide: %(party)s (%(case)s)")
        ) % {"party": party.name, "case": dispute.number}
    _tell(_staff_of(legal_aid_body(dispute.region)), "aid_application", application, title)
    return application


@transaction.atomic
def application_decide(*, application_id: int, actor: User, data: Any) -> Application:
    """Grant or refuse (refused: with written reasons, Art. 43); granting starts the 3 days to assign a
    lawyer. The filing clerk is told. On the case's timeline."""
    application = _application(application_id, actor)
    if not may_decide(actor):
        raise PermissionDenied(_("The legal-aid staff decide on applications."))
    if application.status != Application.Status.RECEIVED:
        raise ValidationError(_("This application is not awaiting a decision."))
    form = DecisionForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    if cleaned["decided_on"] < application.received_on:
        raise ValidationError({"decided_on": _("The decision cannot come before the application.")})
    granted = cleaned["grant"]
    application.status = Application.Status.GRANTED if granted else Application.Status.REFUSED
    application.decided_on, application.decided_by = cleaned["decided_on"], actor
    application.refusal_reasons = "" if granted else cleaned["refusal_reasons"]
    application.save(update_fields=["status", "decided_on", "decided_by", "refusal_reasons"])
    dispute = application.dispute
    deadline_meet(
        subject=dispute,
        rule_code=DECISION_RULE,
        key=_key(application),
        met_on=cleaned["decided_on"],
        actor=actor,
    )
    if granted:
        _plan(application, ASSIGNMENT_RULE, cleaned["decided_on"], actor)
    dispute_event_add(
        dispute_id=dispute.pk,
        actor=actor,
        action=DECIDE_EVENT,
        reason=f"{application.party.name}：{application.get_status_display()}"
        + (f"。{application.refusal_reasons}" if not granted else ""),
        data={"application": application.pk, "granted": granted},
    )
    with override("zh-hans"):
        title = _("Legal aid %(decision)s: %(party)s (%(case)s)") % {
            "decision": _("granted") if granted else _("refused"),
            "party": application.party.name,
            "case": dispute.number,
        }
    _tell([application.created_by], "aid_decided", application, title, application.refusal_reasons)
    return application


@transaction.atomic
def objection_record(*, application_id: int, actor: User, data: Any) -> Application:
    """The applicant objects to a refusal (Art. 49): reviewed within 5 days (``aid_objection_review``)."""
    application = _application(application_id, actor)
    if not may_screen(actor):
        raise PermissionDenied(_("The centre's clerks and the legal-aid staff record objections."))
    if application.status != Application.Status.REFUSED or application.objected_on is not None:
        raise ValidationError(_("Only a refusal not yet objected to can be objected to."))
    form = ObjectionForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    assert application.decided_on is not None
    if cleaned["objected_on"] < application.decided_on:
        raise ValidationError({"objected_on": _("The objection cannot come before the refusal.")})
    application.status = Application.Status.OBJECTED
    application.objected_on, application.objection = cleaned["objected_on"], cleaned["objection"]
    application.save(update_fields=["status", "objected_on", "objection"])
    _plan(application, OBJECTION_RULE, cleaned["objected_on"], actor)
    dispute_event_add(
        dispute_id=application.dispute_id,
        actor=actor,
        action=OBJECT_EVENT,
        reason=f"{application.party.name}：{application.objection}",
        data={"application": application.pk},
    )
    with override("zh-hans"):
        title = _("Objection to a legal-aid refusal to review: %(party)s (%(case)s)") % {
            "party": application.party.name,
            "case": application.dispute.number,
        }
    _tell(_staff_of(legal_aid_body(application.dispute.region)), "aid_objection", application, title)
    return application


@transaction.atomic
def objection_review(*, application_id: int, actor: User, data: Any) -> Application:
    """Uphold the objection (aid granted, a lawyer due in 3 days) or dismiss it (the refusal stands)."""
    application = _application(application_id, actor)
    if not may_decide(actor):
        raise PermissionDenied(_("The legal-aid staff review objections."))
    if application.status != Application.Status.OBJECTED:
        raise ValidationError(_("No objection is awaiting review."))
    form = ObjectionReviewForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    assert application.objected_on is not None
    if cleaned["reviewed_on"] < application.objected_on:
        raise ValidationError({"reviewed_on": _("The review cannot come before the objection.")})
    upheld = cleaned["upheld"]
    application.objection_upheld, application.objection_reviewed_on = upheld, cleaned["reviewed_on"]
    application.status = Application.Status.GRANTED if upheld else Application.Status.REFUSED
    if upheld:
        application.decided_on, application.decided_by = cleaned["reviewed_on"], actor
    application.save(
        update_fields=["objection_upheld", "objection_reviewed_on", "status", "decided_on", "decided_by"]
    )
    dispute = application.dispute
    deadline_meet(
        subject=dispute,
        rule_code=OBJECTION_RULE,
        key=_key(application),
        met_on=cleaned["reviewed_on"],
        actor=actor,
    )
    if upheld:
        _plan(application, ASSIGNMENT_RULE, cleaned["reviewed_on"], actor)
    dispute_event_add(
        dispute_id=dispute.pk,
        actor=actor,
        action=REVIEW_EVENT,
        reason=f"{application.party.name}：{_('objection upheld') if upheld else _('objection dismissed')}",
        data={"application": application.pk, "upheld": upheld},
    )
    return application


# --- the lawyer ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Conflicts:
    """What makes a lawyer conflicted for an application, read once (three queries) for the whole roster."""

    agency: str
    engaged_lawyers: frozenset[int]  # acted for the respondent agency themselves
    engaged_firms: frozenset[int]  # whose firm did
    named_firms: frozenset[str]  # firms of the lawyers and representatives named for another party
    acting_firms: frozenset[int]  # firms assigned to another party's aid in this case

    def of(self, lawyer: Lawyer) -> str:
        if lawyer.pk in self.engaged_lawyers or (
            lawyer.firm_id is not None and lawyer.firm_id in self.engaged_firms
        ):
            return _("%(lawyer)s or the firm acted for the respondent, %(agency)s.") % {
                "lawyer": lawyer.user.name,
                "agency": self.agency,
            }
        firm = lawyer.firm
        if firm is not None and (firm.name in self.named_firms or firm.pk in self.acting_firms):
            return _("%(firm)s already acts for another party of this case.") % {"firm": firm.name}
        return ""


def _conflicts(application: Application) -> _Conflicts:
    dispute = application.dispute
    engagements = list(
        Engagement.objects.filter(agency_id=dispute.respondent_id).values_list("lawyer_id", "firm_id")
    )
    named = (
        Party.objects.filter(dispute=dispute, role__in=[PartyRole.LAWYER, PartyRole.REPRESENTATIVE])
        .exclude(pk=application.party_id)
        .exclude(represents_id=application.party_id)
        .exclude(law_firm="")
        .values_list("law_firm", flat=True)
    )
    acting = (
        Assignment.objects.filter(dispute=dispute, ended_on__isnull=True, lawyer__firm_id__isnull=False)
        .exclude(application__party_id=application.party_id)
        .values_list("lawyer__firm_id", flat=True)
    )
    return _Conflicts(
        agency=dispute.respondent.name,
        engaged_lawyers=frozenset(lawyer for lawyer, _firm in engagements if lawyer is not None),
        engaged_firms=frozenset(firm for _lawyer, firm in engagements if firm is not None),
        named_firms=frozenset(named),
        acting_firms=frozenset(acting),
    )


def conflict(lawyer: Lawyer, application: Application) -> str:
    """Why ``lawyer`` may not act for the application's party, or "": the lawyer or the firm acted for
    the respondent agency, or the firm already acts for another party of the case (a lawyer of the firm
    named on the case, or assigned to another party's aid)."""
    return _conflicts(application).of(lawyer)


@dataclass(frozen=True)
class Candidate:
    lawyer: Lawyer
    load: int
    reasons: list[str]
    conflict: str
    score: tuple[int, int, int]

    @property
    def available(self) -> bool:
        return not self.conflict and self.load < self.lawyer.capacity


def candidates(application: Application) -> list[Candidate]:
    """Every lawyer on the roster for the application, best first: those free to act before the rest;
    then expertise in the case's matter, a region covering the case's, and the lowest load. Each with
    the reasons shown to the staff. One query for the roster and the loads."""
    dispute = application.dispute
    region_path = dispute.region.path
    lawyers = (
        Lawyer.objects.filter(is_active=True)
        .select_related("user", "firm")
        .prefetch_related("regions")
        .annotate(load=Count("assignments", filter=Q(assignments__ended_on__isnull=True)))
    )
    conflicts = _conflicts(application)
    rows = []
    for lawyer in lawyers:
        expert = dispute.matter in (lawyer.expertise or [])
        local = any(region_path.startswith(r.path) for r in lawyer.regions.all())
        load = lawyer.load
        reasons = [
            _("knows %(matter)s") % {"matter": dispute.get_matter_display()}
            if expert
            else _("no expertise in %(matter)s") % {"matter": dispute.get_matter_display()},
            _("takes cases in %(region)s") % {"region": dispute.region.name}
            if local
            else _("does not take cases in %(region)s") % {"region": dispute.region.name},
            _("%(load)s of %(capacity)s aid cases") % {"load": load, "capacity": lawyer.capacity},
        ]
        clash = conflicts.of(lawyer)
        rows.append(Candidate(lawyer, load, reasons, clash, (0 if expert else 1, 0 if local else 1, load)))
    return sorted(rows, key=lambda c: (not c.available, c.score, c.lawyer.user.name, c.lawyer.pk))


def proposed(application: Application) -> Candidate | None:
    best = candidates(application)
    return best[0] if best and best[0].available else None


@transaction.atomic
def assignment_make(*, application_id: int, actor: User, data: Any) -> Assignment:
    """Assign a lawyer to a granted application (or another lawyer in place of the running one): refused
    for a conflict of interest or a full caseload. The lawyer then reaches the case, its documents and its
    hearings. The lawyer is told. On the case's timeline."""
    application = _application(application_id, actor)
    if not may_decide(actor):
        raise PermissionDenied(_("The legal-aid staff assign lawyers."))
    if application.status not in (Application.Status.GRANTED, Application.Status.ASSIGNED):
        raise ValidationError(_("A lawyer is assigned once aid is granted."))
    form = AssignmentForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    lawyer: Lawyer = form.cleaned_data["lawyer"]
    assigned_on = form.cleaned_data["assigned_on"]
    assert application.decided_on is not None
    if assigned_on < application.decided_on:
        raise ValidationError({"assigned_on": _("The lawyer cannot be assigned before aid was granted.")})
    clash = conflict(lawyer, application)
    if clash:
        raise ValidationError({"lawyer": clash})
    running = application.assignments.filter(ended_on__isnull=True).select_for_update().first()
    if running is not None and running.lawyer_id == lawyer.pk:
        raise ValidationError({"lawyer": _("This lawyer is already assigned.")})
    load = Assignment.objects.filter(lawyer=lawyer, ended_on__isnull=True).count()
    if load >= lawyer.capacity:
        raise ValidationError(
            {
                "lawyer": _("%(lawyer)s has a full caseload (%(load)s of %(capacity)s).")
                % {"lawyer": lawyer.user.name, "load": load, "capacity": lawyer.capacity}
            }
        )
    if running is not None:
        running.ended_on, running.active_user, running.end_note = (
            assigned_on,
            None,
            _("Another lawyer assigned"),
        )
        running.save(update_fields=["ended_on", "active_user", "end_note"])
    pick = next((c for c in candidates(application) if c.lawyer.pk == lawyer.pk), None)
    assignment = Assignment.objects.create(
        dispute=application.dispute,
        application=application,
        lawyer=lawyer,
        active_user=lawyer.user,
        proposal=pick.reasons if pick else [],
        assigned_on=assigned_on,
        assigned_by=actor,
    )
    application.status = Application.Status.ASSIGNED
    application.save(update_fields=["status"])
    deadline_meet(
        subject=application.dispute,
        rule_code=ASSIGNMENT_RULE,
        key=_key(application),
        met_on=assigned_on,
        actor=actor,
    )
    dispute_event_add(
        dispute_id=application.dispute_id,
        actor=actor,
        action=ASSIGN_EVENT,
        reason=_("%(lawyer)s for %(party)s") % {"lawyer": lawyer, "party": application.party.name},
        data={"application": application.pk, "lawyer": lawyer.pk},
    )
    with override("zh-hans"):
        title = _("You are assigned: legal aid for %(party)s (%(case)s)") % {
            "party": application.party.name,
            "case": application.dispute.number,
        }
    notify(
        recipients=[lawyer.user],
        kind="aid_assigned",
        key=f"aid-assigned:{assignment.pk}",
        title=title,
        url=application.dispute.get_absolute_url(),
    )
    return assignment


@transaction.atomic
def aid_end(*, application_id: int, actor: User, data: Any) -> Application:
    """End the aid on a ground of Art. 48, with its facts: the lawyer no longer reaches the case, the
    clocks still running end. On the case's timeline."""
    application = _application(application_id, actor)
    if not may_decide(actor):
        raise PermissionDenied(_("The legal-aid staff end legal aid."))
    if application.status not in (Application.Status.GRANTED, Application.Status.ASSIGNED):
        raise ValidationError(_("Only aid granted can end."))
    form = EndForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    application.status = Application.Status.ENDED
    application.ended_on, application.end_reason, application.end_note = (
        cleaned["ended_on"],
        cleaned["end_reason"],
        cleaned["end_note"],
    )
    application.save(update_fields=["status", "ended_on", "end_reason", "end_note"])
    application.assignments.filter(ended_on__isnull=True).update(
        ended_on=cleaned["ended_on"], active_user=None, end_note=application.get_end_reason_display()[:200]
    )
    deadline_cancel(
        subject=application.dispute,
        rule_codes=[ASSIGNMENT_RULE],
        key=_key(application),
        reason=application.get_end_reason_display(),
        actor=actor,
        on=cleaned["ended_on"],
    )
    dispute_event_add(
        dispute_id=application.dispute_id,
        actor=actor,
        action=END_EVENT,
        reason=f"{application.party.name}：{application.get_end_reason_display()}。{application.end_note}",
        data={"application": application.pk, "reason": application.end_reason},
    )
    return application
