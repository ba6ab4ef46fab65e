"""Legal aid (the third of the four 100%): screening against the conditions with an override only for a
reason, the application with its 7-day decision and 3-day assignment (a holiday inside the window),
provisional aid, the refusal and its objection, the lawyer proposed and refused for a conflict, the
lawyer's reach, the end of aid, and the coverage figure against a hand count."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from core.models import Organisation
from core.roles import Role
from deadlines.models import Status as ClockStatus
from disputes.choices import MatterCategory, PartyKind, PartyRole
from disputes.clocks import case_deadlines
from disputes.models import Dispute, DisputeEvent, Party
from legal_aid import services
from legal_aid.models import Application, Assignment, Engagement, Lawyer, Result, Screening
from legal_aid.selectors import aid_coverage
from notifications.models import Notification
from tests.disputes.factories import County
from tests.disputes.test_lifecycle import act
from tests.factories import OrganisationFactory, user_with_role
from tests.hearings.test_head_attendance import at

pytestmark = pytest.mark.django_db

ELIGIBLE = {"matter": "work_injury", "hardship_declared": "on"}


class AidCounty(County):
    def __init__(self):
        super().__init__()
        self.aid_centre = OrganisationFactory(
            name="郧西县法律援助中心", kind=Organisation.Kind.LEGAL_AID_CENTRE, region=self.region
        )
        self.staff = user_with_role(Role.LEGAL_AID_STAFF, organisation=self.aid_centre, name="周静")
        self.firm = OrganisationFactory(
            name="湖北上津律师事务所", kind=Organisation.Kind.LAW_FIRM, region=self.region
        )
        self.other_firm = OrganisationFactory(
            name="湖北汉江律师事务所", kind=Organisation.Kind.LAW_FIRM, region=self.region
        )
        self.expert = self.lawyer("李明", self.firm, expertise=[MatterCategory.WORK_INJURY])
        self.generalist = self.lawyer("王芳", self.other_firm, expertise=[MatterCategory.LAND])
        self.outsider = self.lawyer(
            "赵强", self.other_firm, expertise=[MatterCategory.WORK_INJURY], local=False
        )

    def lawyer(self, name: str, firm, *, expertise, local: bool = True, capacity: int = 5) -> Lawyer:
        user = user_with_role(Role.LEGAL_AID_LAWYER, organisation=firm, name=name)
        lawyer = Lawyer.objects.create(user=user, firm=firm, expertise=list(expertise), capacity=capacity)
        if local:
            lawyer.regions.add(self.region)
        return lawyer

    def case(self, **kw) -> Dispute:
        return self.register(matter=MatterCategory.WORK_INJURY, **kw)


@pytest.fixture
def c() -> AidCounty:
    return AidCounty()


def applicant(d: Dispute) -> Party:
    return d.parties.get(role=PartyRole.APPLICANT)


def screen(c, d, **data) -> Screening:
    return services.screening_record(dispute_id=d.pk, party_id=applicant(d).pk, actor=c.clerk, data=data)


def apply(c, d, received_on="2026-03-02", **data) -> Application:
    return services.application_file(
        dispute_id=d.pk,
        party_id=applicant(d).pk,
        actor=c.clerk,
        data={"received_on": received_on, "materials": ["identity", "hardship"], **data},
    )


def clock(d: Dispute, rule: str, application: Application):
    return case_deadlines().get(subject_id=d.pk, rule__code=rule, key=f"aid-{application.pk}")


# --- screening -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "result"),
    [
        ({"situation": "brave_act"}, Result.ELIGIBLE),  # Art. 32: no means test, whatever the matter
        ({"matter": "work_injury", "hardship_declared": True}, Result.ELIGIBLE),
        ({"matter": "wages", "group": "migrant_worker", "group_proof": "务工证明"}, Result.ELIGIBLE),
        ({"matter": "pension", "group": "dependent"}, Result.NEEDS_REVIEW),  # the group claimed, not proven
        ({"matter": "social_assistance"}, Result.NEEDS_REVIEW),  # the means not shown
        ({"hardship_declared": True}, Result.NOT_ELIGIBLE),  # no matter of Art. 31
    ],
)
def test_the_conditions_give_a_result_with_a_reason_for_each_criterion(answers, result):
    verdict = services.evaluate(
        **{
            "matter": "",
            "situation": "",
            "group": "",
            "group_proof": "",
            "hardship_declared": False,
            **answers,
        }
    )
    assert verdict.result == result
    # A reason for each article, in the user's language (第三十二条 in Chinese).
    assert any("三十二" in r or "32" in r for r in verdict.reasons)
    assert any("三十一" in r or "31" in r for r in verdict.reasons)


def test_an_override_needs_a_written_reason_and_is_kept(c):
    d = c.case()
    with pytest.raises(ValidationError) as refused:
        screen(c, d, matter="work_injury", result="eligible")  # needs review by the conditions
    assert set(refused.value.message_dict) == {"override_reason"}
    assert not Screening.objects.exists() and not DisputeEvent.objects.filter(action="aid_screened").exists()
    screening = screen(
        c, d, matter="work_injury", result="eligible", override_reason="已核实其领取低保，证件后补"
    )
    assert (screening.computed, screening.result, screening.overridden) == ("needs_review", "eligible", True)
    event = DisputeEvent.objects.get(dispute=d, action="aid_screened")
    assert event.actor == c.clerk and "已核实其领取低保" in event.reason
    # A represented party is not screened; another agency's liaison cannot even reach the case.
    lawyer = Party.objects.create(
        dispute=d, role=PartyRole.LAWYER, kind=PartyKind.PERSON, name="孙律师", represents=applicant(d)
    )
    with pytest.raises(ValidationError):
        screen(c, d, **ELIGIBLE)
    lawyer.delete()
    with pytest.raises(PermissionDenied):
        services.screening_record(dispute_id=d.pk, party_id=applicant(d).pk, actor=c.liaison, data=ELIGIBLE)
    with pytest.raises(Dispute.DoesNotExist):
        services.screening_record(
            dispute_id=d.pk, party_id=applicant(d).pk, actor=c.other_liaison, data=ELIGIBLE
        )


# --- the application, its decision and the lawyer --------------------------------------------------------


def test_the_decision_in_7_days_and_the_lawyer_in_3_with_the_national_day_inside(c):
    d = c.case()
    screen(c, d, **ELIGIBLE)
    with at(date(2026, 9, 28)):
        application = apply(c, d, received_on="2026-09-28")
    decision = clock(d, "aid_decision", application)
    # 28 September + 7 days = 5 October, inside the National Day holiday (1-7 October): the next working
    # day, Thursday 8 October.
    assert (decision.status, decision.due_on, decision.responsible_organisation) == (
        ClockStatus.OPEN,
        date(2026, 10, 8),
        c.aid_centre,
    )
    assert Notification.objects.filter(recipient=c.staff, kind="aid_application").exists()
    with at(date(2026, 9, 29)):
        with pytest.raises(PermissionDenied):  # the centre's clerk files; the legal-aid staff decide
            services.application_decide(
                application_id=application.pk,
                actor=c.clerk,
                data={"grant": "yes", "decided_on": "2026-09-29"},
            )
        services.application_decide(
            application_id=application.pk, actor=c.staff, data={"grant": "yes", "decided_on": "2026-09-29"}
        )
    decision.refresh_from_db()
    assert (decision.status, decision.met_on) == (ClockStatus.MET, date(2026, 9, 29))
    assignment = clock(d, "aid_assignment", application)
    # 29 September + 3 days = 2 October, a holiday: 8 October.
    assert (assignment.status, assignment.due_on) == (ClockStatus.OPEN, date(2026, 10, 8))
    best = services.proposed(application)
    assert best is not None and best.lawyer == c.expert  # expertise and region, lowest load
    # Expertise first, then the region, then the load.
    assert [x.lawyer for x in services.candidates(application)] == [c.expert, c.outsider, c.generalist]
    with at(date(2026, 9, 30)):
        made = services.assignment_make(
            application_id=application.pk,
            actor=c.staff,
            data={"lawyer": c.expert.pk, "assigned_on": "2026-09-30"},
        )
    assignment.refresh_from_db()
    assert (assignment.status, assignment.met_on) == (ClockStatus.MET, date(2026, 9, 30))
    assert made.active_user == c.expert.user and any("工伤" in r or "Work" in r for r in made.proposal)
    application.refresh_from_db()
    assert application.status == Application.Status.ASSIGNED
    assert Notification.objects.filter(recipient=c.expert.user, kind="aid_assigned").exists()


def test_a_conflicted_lawyer_is_refused_with_nothing_written(c):
    d = c.case()
    application = apply(c, d)
    services.application_decide(
        application_id=application.pk, actor=c.staff, data={"grant": "yes", "decided_on": "2026-03-03"}
    )
    # The firm is the respondent's standing legal adviser: every lawyer of it is in conflict.
    Engagement.objects.create(agency=c.agency, firm=c.firm, note="常年法律顾问")
    with pytest.raises(ValidationError) as refused:
        services.assignment_make(
            application_id=application.pk,
            actor=c.staff,
            data={"lawyer": c.expert.pk, "assigned_on": "2026-03-04"},
        )
    assert c.agency.name in refused.value.message_dict["lawyer"][0]
    assert not Assignment.objects.exists()
    assert services.proposed(application).lawyer != c.expert
    # The other firm already acts for another party of the case (a third party's lawyer).
    third = Party.objects.create(dispute=d, role=PartyRole.THIRD_PARTY, kind=PartyKind.PERSON, name="钱某")
    Party.objects.create(
        dispute=d,
        role=PartyRole.LAWYER,
        kind=PartyKind.PERSON,
        name="吴律师",
        represents=third,
        law_firm=c.other_firm.name,
    )
    with pytest.raises(ValidationError) as refused:
        services.assignment_make(
            application_id=application.pk,
            actor=c.staff,
            data={"lawyer": c.generalist.pk, "assigned_on": "2026-03-04"},
        )
    assert c.other_firm.name in refused.value.message_dict["lawyer"][0]
    assert services.proposed(application) is None  # nobody on the roster is free to act
    assert not Assignment.objects.exists()
    assert clock(d, "aid_assignment", application).status == ClockStatus.OPEN


def test_provisional_aid_at_once_before_a_limitation_period(c):
    d = c.case()
    with at(date(2026, 3, 10)):
        application = apply(c, d, received_on="2026-03-10", limitation_ends_on="2026-03-15")
    assert (application.provisional, application.status, application.decided_on) == (
        True,
        Application.Status.GRANTED,
        date(2026, 3, 10),
    )
    assert clock(d, "aid_decision", application).status == ClockStatus.MET
    assert clock(d, "aid_assignment", application).due_on == date(2026, 3, 13)
    assert (
        "provisional" in Notification.objects.get(recipient=c.staff).title.lower()
        or "先行" in Notification.objects.get(recipient=c.staff).title
    )


def test_a_refusal_gives_reasons_and_an_objection_is_reviewed_in_5_days(c):
    d = c.case()
    application = apply(c, d)
    with pytest.raises(ValidationError) as refused:
        services.application_decide(
            application_id=application.pk, actor=c.staff, data={"grant": "no", "decided_on": "2026-03-03"}
        )
    assert set(refused.value.message_dict) == {"refusal_reasons"}
    application.refresh_from_db()
    assert application.status == Application.Status.RECEIVED
    services.application_decide(
        application_id=application.pk,
        actor=c.staff,
        data={"grant": "no", "decided_on": "2026-03-03", "refusal_reasons": "申请人家庭收入高于当地标准"},
    )
    assert (
        Notification.objects.get(recipient=c.clerk, kind="aid_decided").body == "申请人家庭收入高于当地标准"
    )
    with at(date(2026, 3, 4)):
        services.objection_record(
            application_id=application.pk,
            actor=c.clerk,
            data={"objected_on": "2026-03-04", "objection": "收入证明有误"},
        )
    review = clock(d, "aid_objection_review", application)
    assert (review.due_on, review.status) == (date(2026, 3, 9), ClockStatus.OPEN)
    with at(date(2026, 3, 6)):
        services.objection_review(
            application_id=application.pk, actor=c.staff, data={"upheld": "yes", "reviewed_on": "2026-03-06"}
        )
    application.refresh_from_db()
    assert (application.status, application.objection_upheld) == (Application.Status.GRANTED, True)
    assert clock(d, "aid_assignment", application).status == ClockStatus.OPEN


def test_the_lawyer_reaches_the_assigned_case_and_nothing_else_until_the_aid_ends(c):
    d, other = c.case(), c.case(applicant="钱二")
    application = apply(c, d)
    services.application_decide(
        application_id=application.pk, actor=c.staff, data={"grant": "yes", "decided_on": "2026-03-03"}
    )
    with at(date(2026, 3, 4)):
        services.assignment_make(
            application_id=application.pk,
            actor=c.staff,
            data={"lawyer": c.expert.pk, "assigned_on": "2026-03-04"},
        )
    client = Client()
    client.force_login(c.expert.user)
    assert client.get(d.get_absolute_url()).status_code == 200
    assert client.get(other.get_absolute_url()).status_code == 404
    listed = client.get(reverse("disputes:list")).content.decode()
    assert d.number in listed and other.number not in listed
    stranger = Client()
    stranger.force_login(c.generalist.user)
    assert stranger.get(d.get_absolute_url()).status_code == 404
    # Its hearings too (reached through the case), and the case's legal-aid application.
    from hearings.services import meeting_schedule

    with at(date(2026, 3, 4)):
        act(d, "accept", c.clerk, accepted_on="2026-03-03")
        hearing = meeting_schedule(
            dispute_id=d.pk, actor=c.clerk, data={"meeting_at": "2026-03-10T09:30", "place": "第一调解室"}
        )
    assert client.get(hearing.get_absolute_url()).status_code == 200
    assert stranger.get(hearing.get_absolute_url()).status_code == 404
    assert client.get(application.get_absolute_url()).status_code == 200
    assert stranger.get(application.get_absolute_url()).status_code == 404
    with at(date(2026, 3, 20)):
        with pytest.raises(ValidationError):
            services.aid_end(application_id=application.pk, actor=c.staff, data={"end_reason": "own_lawyer"})
        services.aid_end(
            application_id=application.pk,
            actor=c.staff,
            data={"end_reason": "own_lawyer", "ended_on": "2026-03-20", "end_note": "申请人已自行委托律师"},
        )
    assert client.get(d.get_absolute_url()).status_code == 404
    assert Assignment.objects.get().active_user is None


# --- the coverage figure ---------------------------------------------------------------------------------


def test_the_coverage_equals_a_hand_count_and_each_gap_links_its_case(c):
    """Eight parties: A assigned; B assigned and later ended (still covered); C granted, no lawyer yet
    (a gap, 10 days); D awaiting the decision, screened eligible (a gap, 12 days); E awaiting the decision,
    screened needs-review (not counted); F refused (not eligible); G screened eligible, never applied; H
    screened not eligible, never applied. Covered 2 of 4: 50.00%."""
    cases = {name: c.case(applicant=name) for name in "ABCDEFGH"}

    def granted(name: str, received: str = "2026-03-02") -> Application:
        application = apply(c, cases[name], received_on=received)
        services.application_decide(
            application_id=application.pk, actor=c.staff, data={"grant": "yes", "decided_on": received}
        )
        return application

    with at(date(2026, 3, 14)):
        a, b = granted("A"), granted("B")
        for application in (a, b):
            services.assignment_make(
                application_id=application.pk,
                actor=c.staff,
                data={"lawyer": c.expert.pk, "assigned_on": "2026-03-03"},
            )
        services.aid_end(
            application_id=b.pk,
            actor=c.staff,
            data={"end_reason": "case_ended", "ended_on": "2026-03-10", "end_note": "已撤回"},
        )
        gap_c = granted("C", "2026-03-04")
        screen(c, cases["D"], **ELIGIBLE)
        gap_d = apply(c, cases["D"], received_on="2026-03-02")
        screen(c, cases["E"], matter="work_injury")
        apply(c, cases["E"])
        f = apply(c, cases["F"])
        services.application_decide(
            application_id=f.pk,
            actor=c.staff,
            data={"grant": "no", "decided_on": "2026-03-03", "refusal_reasons": "不符合"},
        )
        g = screen(c, cases["G"], **ELIGIBLE)
        screen(c, cases["H"], hardship_declared="on")
    figure = aid_coverage(Dispute.objects.all(), today=date(2026, 3, 14))
    assert sorted(figure.applied) == sorted([a.pk, b.pk, gap_c.pk, gap_d.pk])
    assert sorted(figure.assigned) == sorted([a.pk, b.pk])
    assert figure.rate == Decimal("50.00")
    assert [(g_.application_id, g_.days_waiting) for g_ in figure.gaps] == [(gap_d.pk, 12), (gap_c.pk, 10)]
    assert figure.not_applied == [g.party_id]
    # Each gap links to its case.
    client = Client()
    client.force_login(c.staff)
    page = client.get(reverse("legal_aid:coverage")).content.decode()
    for gap in figure.gaps:
        assert reverse("disputes:detail", args=[gap.dispute_id]) in page
    assert aid_coverage(Dispute.objects.none()).rate is None


def test_a_refusal_is_drafted_in_writing_with_its_reasons(c):
    from documents.models import Document

    d = c.case()
    application = apply(c, d)
    services.application_decide(
        application_id=application.pk,
        actor=c.staff,
        data={"grant": "no", "decided_on": "2026-03-03", "refusal_reasons": "申请人家庭收入高于当地标准"},
    )
    client = Client()
    client.force_login(c.staff)
    response = client.post(application.get_absolute_url(), {"form": "refusal_document"})
    doc = Document.objects.get(doc_type="aid_refusal")
    assert response.status_code == 302 and response["Location"] == reverse("documents:detail", args=[doc.pk])
    assert (
        doc.fields["reason"] == "申请人家庭收入高于当地标准" and doc.fields["addressee"] == applicant(d).name
    )
    assert doc.issuer == c.aid_centre
