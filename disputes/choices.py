"""Enumerations of the dispute domain (the Chinese terms are the translations in locale/)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    COURT_PUSH = "court_push", _("Pushed by the court before filing")
    RECONSIDERATION = "reconsideration", _("Reconsideration application")
    WALK_IN = "walk_in", _("Walk-in application")
    PETITION_TRANSFER = "petition_transfer", _("Transferred from petitions office")
    AGENCY_TRANSFER = "agency_transfer", _("Transferred by an agency")
    GUIDED = "guided", _("Guided to reconsideration first")


class CaseKind(models.TextChoices):
    """Decides the number series: 〔2026〕郧西化字第12号 or 〔2026〕郧西复字第3号."""

    RESOLUTION = "resolution", _("Substantive resolution")
    RECONSIDERATION = "reconsideration", _("Administrative reconsideration")


CASE_KIND_NUMBER_CHAR: dict[str, str] = {CaseKind.RESOLUTION: "化", CaseKind.RECONSIDERATION: "复"}


class Stage(models.TextChoices):
    INTAKE = "intake", _("Intake")
    RESOLUTION = "resolution", _("Resolution at the centre")
    RECONSIDERATION = "reconsideration", _("Reconsideration")
    LITIGATION = "litigation", _("Litigation")
    POST_DECISION = "post_decision", _("Post-decision")
    CLOSED = "closed", _("Closed")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Awaiting acceptance")
    CORRECTION = "correction", _("Awaiting correction")
    REJECTED = "rejected", _("Not accepted")
    ACCEPTED = "accepted", _("Accepted, awaiting mediator")
    MEDIATING = "mediating", _("Mediating")
    AGREED = "agreed", _("Agreement reached")
    CONFIRMATION_REQUESTED = "confirmation_requested", _("Judicial confirmation requested")
    FAILED = "failed", _("Resolution failed")
    TRANSFERRED = "transferred", _("Transferred, awaiting feedback")
    RECON_ACCEPTED = "recon_accepted", _("Reconsideration accepted")
    RECON_REPLIED = "recon_replied", _("Respondent has replied")
    RECON_HEARING = "recon_hearing", _("Hearing scheduled")
    RECON_SUSPENDED = "recon_suspended", _("Reconsideration suspended")
    RECON_DECIDED = "recon_decided", _("Reconsideration decided")
    LIT_FILED = "lit_filed", _("Case filed in court")
    LIT_NOTICED = "lit_noticed", _("Response notice received")
    LIT_ANSWERED = "lit_answered", _("Answer filed")
    LIT_HEARD = "lit_heard", _("Court session held")
    LIT_DECIDED = "lit_decided", _("Court has decided")
    LIT_APPEALED = "lit_appealed", _("Under appeal")
    PERFORMANCE = "performance", _("Performing the decision")
    CLOSED = "closed", _("Closed")


STATUS_STAGE = {
    Status.REGISTERED: Stage.INTAKE,
    Status.CORRECTION: Stage.INTAKE,
    Status.REJECTED: Stage.CLOSED,
    Status.ACCEPTED: Stage.RESOLUTION,
    Status.MEDIATING: Stage.RESOLUTION,
    Status.AGREED: Stage.RESOLUTION,
    Status.CONFIRMATION_REQUESTED: Stage.RESOLUTION,
    Status.FAILED: Stage.RESOLUTION,
    Status.TRANSFERRED: Stage.RESOLUTION,
    Status.RECON_ACCEPTED: Stage.RECONSIDERATION,
    Status.RECON_REPLIED: Stage.RECONSIDERATION,
    Status.RECON_HEARING: Stage.RECONSIDERATION,
    Status.RECON_SUSPENDED: Stage.RECONSIDERATION,
    Status.RECON_DECIDED: Stage.RECONSIDERATION,
    Status.LIT_FILED: Stage.LITIGATION,
    Status.LIT_NOTICED: Stage.LITIGATION,
    Status.LIT_ANSWERED: Stage.LITIGATION,
    Status.LIT_HEARD: Stage.LITIGATION,
    Status.LIT_DECIDED: Stage.LITIGATION,
    Status.LIT_APPEALED: Stage.LITIGATION,
    Status.PERFORMANCE: Stage.POST_DECISION,
    Status.CLOSED: Stage.CLOSED,
}


def statuses_of(stage: str) -> list[str]:
    return [status for status, s in STATUS_STAGE.items() if s == stage]


# Every status of a case that is not closed (or rejected): what the home page counts, in the order declared.
OPEN_STATUSES = [s for s in Status.values if STATUS_STAGE[Status(s)] != Stage.CLOSED]


class Consent(models.TextChoices):
    NOT_ASKED = "not_asked", _("Not applicable")
    GIVEN = "given", _("Party consented")
    REFUSED = "refused", _("Party refused")


class MatterCategory(models.TextChoices):
    LAND = "land", _("Land requisition and compensation")
    DEMOLITION = "demolition", _("Housing expropriation and demolition")
    PUBLIC_SECURITY = "public_security", _("Public-security penalty")
    MARKET = "market", _("Market regulation")
    SOCIAL_INSURANCE = "social_insurance", _("Social insurance")
    WORK_INJURY = "work_injury", _("Work-injury recognition")
    INFORMATION = "information", _("Government information disclosure")
    PLANNING = "planning", _("Planning and construction")
    ENVIRONMENT = "environment", _("Environmental protection")
    TRANSPORT = "transport", _("Transport administration")
    LICENSING = "licensing", _("Administrative licensing")
    NATURAL_RESOURCES = "natural_resources", _("Natural resources (forest, water, mining)")
    OTHER = "other", _("Other")


class ActKind(models.TextChoices):
    PENALTY = "penalty", _("Administrative penalty")
    COMPULSION = "compulsion", _("Administrative compulsion")
    LICENSING = "licensing", _("Administrative licensing")
    EXPROPRIATION = "expropriation", _("Requisition or expropriation")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    FAILURE_TO_ACT = "failure_to_act", _("Failure to perform a duty")
    AGREEMENT = "agreement", _("Administrative agreement")
    INFORMATION = "information", _("Information disclosure reply")
    OTHER = "other", _("Other act")


class PartyRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant / plaintiff")
    THIRD_PARTY = "third_party", _("Third party")
    REPRESENTATIVE = "representative", _("Representative")
    LAWYER = "lawyer", _("Lawyer")


class PartyKind(models.TextChoices):
    PERSON = "person", _("Natural person")
    LEGAL_PERSON = "legal_person", _("Legal person or organisation")


class ClosingReason(models.TextChoices):
    CONFIRMED = "confirmed", _("Agreement judicially confirmed")
    AGREEMENT_PERFORMED = "agreement_performed", _("Agreement performed")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")
    RECON_DECIDED = "recon_decided", _("Reconsideration decided")
    JUDGMENT_EFFECTIVE = "judgment_effective", _("Court decision in effect")
    PERFORMED = "performed", _("Decision performed")
    SERIES = "series", _("Settled with the lead case of its series")
    OTHER = "other", _("Other")


class TransferTarget(models.TextChoices):
    RECONSIDERATION = "reconsideration", _("Reconsideration")
    LITIGATION = "litigation", _("Litigation")


class ConfirmationResult(models.TextChoices):
    """The court's ruling on an application for judicial confirmation of a resolution agreement."""

    CONFIRMED = "confirmed", _("Confirmed")
    NOT_CONFIRMED = "not_confirmed", _("Not confirmed")
    DISMISSED = "dismissed", _("Application dismissed")


class AfterRefusal(models.TextChoices):
    """Where a case goes when the court does not confirm its agreement: the centre may try again, or
    record that resolution failed (and transfer the case)."""

    MEDIATING = "mediating", _("Continue resolution at the centre")
    FAILED = "failed", _("Resolution failed")


class DecisionType(models.TextChoices):
    UPHOLD = "uphold", _("Uphold")
    REVOKE = "revoke", _("Revoke")
    MODIFY = "modify", _("Modify")
    CONFIRM_ILLEGAL = "confirm_illegal", _("Confirm illegal")
    ORDER_PERFORMANCE = "order_performance", _("Order performance")
    DISMISS = "dismiss", _("Dismiss")


# Decisions that correct the agency: the numerator of the correction rate (纠错率).
CORRECTING_DECISIONS = frozenset(
    {DecisionType.REVOKE, DecisionType.MODIFY, DecisionType.CONFIRM_ILLEGAL, DecisionType.ORDER_PERFORMANCE}
)


class LitigationOutcome(models.TextChoices):
    JUDGMENT = "judgment", _("Judgment")
    RULING = "ruling", _("Ruling")
    WITHDRAWAL = "withdrawal", _("Withdrawal of the suit")
    MEDIATION = "mediation", _("Mediation")


class Instance(models.TextChoices):
    FIRST = "first", _("First instance")
    SECOND = "second", _("Second instance")
