"""Writes of the followups app. A reconsideration decision plans its visit (a transition handler,
``apps.py``); the clerk records it with its outcome, which meets the case's ``followup_visit`` clock, or
records an attempt that did not reach the applicant, which plans the next one; a visit finding the
dispute can still be resolved reopens resolution on the case (the lifecycle's ``reopen``, through
``disputes.services``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import workdays
from core.access import scoped
from core.models import User
from core.roles import Capability
from deadlines.reminders import centre_clerks_of
from deadlines.services import RUNNING, deadline_meet, deadline_plan
from disputes.clocks import case_deadlines
from disputes.models import Dispute
from disputes.seam import TransitionContext
from disputes.services import dispute_event_add, dispute_transition

from .forms import VisitForm
from .models import CentrePolicy, Visit

RULE = "followup_visit"
VISIT_EVENT = "followup_visit"
NEXT_ATTEMPT_DAYS = 7  # a visit that could not reach the applicant is tried again a week later
DEFAULT_DAYS = 30


def _clock_due(dispute: Dispute) -> date | None:
    row = (
        case_deadlines()
        .filter(subject_id=dispute.pk, rule__code=RULE, status__in=RUNNING)
        .order_by("-due_on")
        .first()
    )
    return row.due_on if row is not None else None


# The actions after which a visit is planned: the decision always; the others as the centre's policy says.
PLANNED_AFTER = {
    "decide": "",
    "reach_agreement": "after_agreements",
    "adopt_series_agreement": "after_agreements",
    "record_outcome": "after_court_outcomes",
}
EVENT_DAY_FIELDS = ("decided_on", "signed_on")


def policy_for(dispute: Dispute) -> CentrePolicy:
    """The centre's follow-up policy, or the defaults (30 days, decisions only)."""
    return CentrePolicy.objects.filter(centre_id=dispute.centre_id).first() or CentrePolicy(
        centre_id=dispute.centre_id
    )


def visit_plan_on_decision(context: TransitionContext) -> None:
    """Transition handler: plan the visit after a reconsideration decision, and after an agreement or a
    court outcome when the centre's policy says so; due the policy's days later (the decision's
    ``followup_visit`` clock counted to the same day; the others get a clock of their own), for the clerk
    who recorded it (or the centre's first clerk). A new decision replaces a visit still planned."""
    dispute = context.dispute
    policy = policy_for(dispute)
    flag = PLANNED_AFTER[context.action]
    if flag and not getattr(policy, flag):
        return
    Visit.objects.filter(dispute=dispute, status=Visit.Status.PLANNED).update(status=Visit.Status.CANCELLED)
    actor = context.actor
    clerk = (
        actor if actor.can(Capability.MANAGE_CASES) else next(iter(centre_clerks_of(dispute.region)), actor)
    )
    day = next((context.data[f] for f in EVENT_DAY_FIELDS if context.data.get(f)), None) or workdays.today()
    due = day + timedelta(days=policy.visit_days)
    clock_due = _clock_due(dispute) if context.action == "decide" else None
    if clock_due is None or policy.visit_days != DEFAULT_DAYS:
        # The centre's own length (or a visit the law's rule does not plan): the clock counts to it.
        key = f"visit-{context.event.pk}" if context.action != "decide" else _decision_key(dispute)
        deadline_plan(
            subject=dispute,
            rule_code=RULE,
            key=key,
            starts_on=day,
            due_on=due,
            responsible_organisation=dispute.centre,
            region=dispute.region,
            actor=actor,
        )
    else:
        due = clock_due
    Visit.objects.create(dispute=dispute, decision_event=context.event, due_on=due, assigned_to=clerk)


def _decision_key(dispute: Dispute) -> str:
    """The key the case's steps gave the decision's ``followup_visit`` clock (its reconsideration)."""
    row = case_deadlines().filter(subject_id=dispute.pk, rule__code=RULE).order_by("-pk").first()
    if row is not None:
        return row.key
    recon = dispute.current_reconsideration
    return str(recon.pk) if recon else ""


def may_record(visit: Visit, user: User) -> bool:
    return user.can(Capability.MANAGE_CASES) and user.organisation_id != visit.dispute.respondent_id


@transaction.atomic
def visit_record(*, visit_id: int, actor: User, data: Any) -> Visit:
    """Record a planned visit with its outcome (all of it, or nothing is written): reached, with the
    method, whom, the satisfaction, the performance, what remains and whether it can still be resolved
    (which reopens resolution on the case, linked to the visit); or not reached, with what was tried,
    which plans the next attempt. On the case's timeline."""
    visit = (
        scoped(Visit.objects.all(), actor)
        .select_for_update(of=("self",))
        .select_related("dispute__region", "dispute__respondent")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise Visit.DoesNotExist
    if not may_record(visit, actor):
        raise PermissionDenied(_("The centre's clerks record follow-up visits."))
    if visit.status != Visit.Status.PLANNED:
        raise ValidationError(_("This visit is recorded already."))
    form = VisitForm(data=data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    cleaned = form.cleaned_data
    decided = timezone.localtime(visit.decision_event.at, workdays.SHANGHAI).date()
    if cleaned["visited_on"] < decided:
        raise ValidationError({"visited_on": _("The visit cannot come before the decision.")})
    visit.visited_on, visit.method = cleaned["visited_on"], cleaned["method"]
    visit.recorded_by, visit.recorded_at = actor, timezone.now()
    dispute = visit.dispute
    if not cleaned["reached_applicant"]:
        visit.status = Visit.Status.UNREACHABLE
        visit.attempt_note = cleaned["attempt_note"]
        visit.save()
        nxt = Visit.objects.create(
            dispute=dispute,
            decision_event=visit.decision_event,
            follows=visit,
            due_on=cleaned["visited_on"] + timedelta(days=NEXT_ATTEMPT_DAYS),
            assigned_to=visit.assigned_to,
        )
        dispute_event_add(
            dispute_id=dispute.pk,
            actor=actor,
            action=VISIT_EVENT,
            reason=_("Could not reach the applicant (%(method)s): %(note)s. Next attempt by %(day)s.")
            % {
                "method": visit.get_method_display(),
                "note": visit.attempt_note,
                "day": nxt.due_on.isoformat(),
            },
            data={"visit": visit.pk, "reached": False},
        )
        return visit
    visit.status = Visit.Status.DONE
    visit.reached, visit.satisfaction, visit.performed = (
        cleaned["reached"],
        cleaned["satisfaction"],
        cleaned["performed"],
    )
    visit.remaining, visit.resolvable = cleaned["remaining"], cleaned["resolvable"]
    visit.save()
    for row in case_deadlines().filter(subject_id=dispute.pk, rule__code=RULE, status__in=RUNNING):
        deadline_meet(subject=dispute, rule_code=RULE, key=row.key, met_on=visit.visited_on, actor=actor)
    summary = "；".join(
        part
        for part in (
            f"{visit.get_method_display()}，{visit.reached}",
            visit.get_satisfaction_display(),
            visit.get_performed_display(),
            _("remains: %(text)s") % {"text": visit.remaining} if visit.remaining else "",
            _("can still be resolved") if visit.resolvable else _("nothing left to resolve"),
        )
        if part
    )
    dispute_event_add(
        dispute_id=dispute.pk,
        actor=actor,
        action=VISIT_EVENT,
        reason=summary,
        data={"visit": visit.pk, "reached": True, "resolvable": visit.resolvable},
    )
    if visit.resolvable:
        reopened = dispute_transition(
            dispute_id=dispute.pk,
            action="reopen",
            actor=actor,
            data={
                "reason": _("Follow-up visit of %(day)s: the dispute can still be resolved. %(text)s")
                % {"day": visit.visited_on.isoformat(), "text": visit.remaining}
            },
        )
        visit.reopened_by = reopened.events.filter(action="reopen").order_by("-at", "-pk").first()
        visit.save(update_fields=["reopened_by"])
    return visit
