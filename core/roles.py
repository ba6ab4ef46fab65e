"""Roles and what each may do. The single table of who-may-what; ``core.access`` applies it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CENTRE_CLERK = "centre_clerk", _("Centre clerk")
    COURT_CLERK = "court_clerk", _("Court clerk")
    MEDIATOR = "mediator", _("Mediator")
    AGENCY_LIAISON = "agency_liaison", _("Agency liaison")
    AGENCY_HEAD_PRINCIPAL = "agency_head_principal", _("Agency head (principal)")
    AGENCY_HEAD_DEPUTY = "agency_head_deputy", _("Agency head (deputy)")
    LEGAL_AID_STAFF = "legal_aid_staff", _("Legal-aid staff")
    LEGAL_AID_LAWYER = "legal_aid_lawyer", _("Legal-aid lawyer")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    ADMINISTRATOR = "administrator", _("Administrator")
    # 三权分立: the system administrator (above) runs organisations and users; the security administrator
    # unlocks accounts and resets second factors; the audit administrator reads the audit log. None of
    # the three holds another's powers, and neither of the last two sees a case.
    SECURITY_ADMINISTRATOR = "security_administrator", _("Security administrator")
    AUDIT_ADMINISTRATOR = "audit_administrator", _("Audit administrator")


class Capability(models.TextChoices):
    """Things a user may do, independent of which record. Which records: see ``core.access.Reach``."""

    VIEW_CASES = "view_cases", _("View cases")
    REGISTER_DISPUTE = "register_dispute", _("Register disputes")
    MANAGE_CASES = "manage_cases", _("Run acceptance, resolution and reconsideration")
    RECORD_LITIGATION = "record_litigation", _("Record litigation events")
    PUSH_COURT_CASE = "push_court_case", _("Push court-filed cases to the centre")
    MEDIATE = "mediate", _("Record mediation")
    ATTEND_HEARING = "attend_hearing", _("Confirm and record attendance")
    AGENCY_FEEDBACK = "agency_feedback", _("Report receipt and feedback for an agency")
    MANAGE_LEGAL_AID = "manage_legal_aid", _("Review legal-aid applications and assign lawyers")
    VIEW_REPORTS = "view_reports", _("Read dashboards and bulletins")
    VIEW_DIRECTORY = "view_directory", _("Read the organisation directory")
    ADMINISTER = "administer", _("Administer organisations and users")
    REVEAL_PERSONAL_DATA = "reveal_personal_data", _("Show ID and phone numbers in full")
    MANAGE_SECURITY = "manage_security", _("Unlock accounts and reset second factors")
    VIEW_AUDIT = "view_audit", _("Read and export the audit log")


_ALL_CASE_WORK = {Capability.VIEW_CASES, Capability.VIEW_DIRECTORY}

ROLE_CAPABILITIES: dict[str, frozenset[str]] = {
    Role.CENTRE_CLERK: frozenset(
        _ALL_CASE_WORK
        | {
            Capability.REVEAL_PERSONAL_DATA,
            Capability.REGISTER_DISPUTE,
            Capability.MANAGE_CASES,
            Capability.MEDIATE,
            Capability.RECORD_LITIGATION,
            Capability.VIEW_REPORTS,
        }
    ),
    Role.COURT_CLERK: frozenset(
        _ALL_CASE_WORK
        | {
            Capability.REGISTER_DISPUTE,
            Capability.PUSH_COURT_CASE,
            Capability.RECORD_LITIGATION,
            Capability.REVEAL_PERSONAL_DATA,
        }
    ),
    # Mediators call the parties: their work needs the numbers (each showing is audited).
    Role.MEDIATOR: frozenset(_ALL_CASE_WORK | {Capability.MEDIATE, Capability.REVEAL_PERSONAL_DATA}),
    Role.AGENCY_LIAISON: frozenset(_ALL_CASE_WORK | {Capability.AGENCY_FEEDBACK}),
    # An agency's heads read their agency's own figures (the reports' scope: the agency itself).
    Role.AGENCY_HEAD_PRINCIPAL: frozenset(
        _ALL_CASE_WORK | {Capability.ATTEND_HEARING, Capability.VIEW_REPORTS}
    ),
    Role.AGENCY_HEAD_DEPUTY: frozenset(_ALL_CASE_WORK | {Capability.ATTEND_HEARING, Capability.VIEW_REPORTS}),
    Role.LEGAL_AID_STAFF: frozenset(
        _ALL_CASE_WORK | {Capability.MANAGE_LEGAL_AID, Capability.REVEAL_PERSONAL_DATA}
    ),
    # A legal-aid lawyer calls the client they were assigned (their reach is those cases alone).
    Role.LEGAL_AID_LAWYER: frozenset(_ALL_CASE_WORK | {Capability.REVEAL_PERSONAL_DATA}),
    # Committee members read reports only: no case records, no directory.
    Role.COMMITTEE_MEMBER: frozenset({Capability.VIEW_REPORTS}),
    Role.ADMINISTRATOR: frozenset(_ALL_CASE_WORK | {Capability.ADMINISTER, Capability.VIEW_REPORTS}),
    Role.SECURITY_ADMINISTRATOR: frozenset({Capability.MANAGE_SECURITY}),
    Role.AUDIT_ADMINISTRATOR: frozenset({Capability.VIEW_AUDIT}),
}

_ANY_KIND = frozenset(
    {
        "centre",
        "justice_bureau",
        "court",
        "procuratorate",
        "agency",
        "legal_aid_centre",
        "committee",
        "law_firm",
    }
)

# Which organisation kinds a role may be held in; a role held elsewhere is refused on save.
ROLE_ORGANISATION_KINDS: dict[str, frozenset[str]] = {
    Role.CENTRE_CLERK: frozenset({"centre", "justice_bureau"}),
    Role.COURT_CLERK: frozenset({"court"}),
    Role.MEDIATOR: frozenset({"centre", "justice_bureau", "court"}),
    Role.AGENCY_LIAISON: frozenset({"agency"}),
    Role.AGENCY_HEAD_PRINCIPAL: frozenset({"agency"}),
    Role.AGENCY_HEAD_DEPUTY: frozenset({"agency"}),
    Role.LEGAL_AID_STAFF: frozenset({"legal_aid_centre", "justice_bureau"}),
    Role.LEGAL_AID_LAWYER: frozenset({"legal_aid_centre", "law_firm"}),
    Role.COMMITTEE_MEMBER: frozenset(
        {"committee", "court", "justice_bureau", "agency", "procuratorate", "centre"}
    ),
    Role.SECURITY_ADMINISTRATOR: _ANY_KIND,
    Role.AUDIT_ADMINISTRATOR: _ANY_KIND,
    Role.ADMINISTRATOR: frozenset(
        {
            "centre",
            "justice_bureau",
            "court",
            "procuratorate",
            "agency",
            "legal_aid_centre",
            "committee",
            "law_firm",
        }
    ),
}


# Who handles an organisation's duties (its clocks, what it is reminded of), by the organisation's kind.
DUTY_ROLES: dict[str, tuple[Role, ...]] = {
    "centre": (Role.CENTRE_CLERK,),
    "justice_bureau": (Role.CENTRE_CLERK,),
    "court": (Role.COURT_CLERK,),
    "agency": (Role.AGENCY_LIAISON,),
    "legal_aid_centre": (Role.LEGAL_AID_STAFF,),
}
