"""The legal-aid API: the case's card, screening and the application from the case; the application's
decision, objection, lawyer and end; the roster and the coverage. Reach as on the pages (404 outside it),
the services' refusals as 400 by field and 403, and nothing written on a refusal."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.roles import Role
from disputes.models import DisputeEvent
from legal_aid.models import Application, Assignment, Engagement, Screening
from tests.factories import user_with_role
from tests.hearings.test_head_attendance import at
from tests.legal_aid.test_legal_aid import ELIGIBLE, AidCounty, applicant, apply, screen

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> AidCounty:
    return AidCounty()


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def case_url(d) -> str:
    return reverse("api-legal-aid-case", args=[d.pk])


def screening_url(d, party=None) -> str:
    return reverse("api-legal-aid-screening", args=[d.pk, (party or applicant(d)).pk])


def apply_url(d, party=None) -> str:
    return reverse("api-legal-aid-apply", args=[d.pk, (party or applicant(d)).pk])


def step_url(name: str, application) -> str:
    return reverse(f"api-legal-aid-{name}", args=[application.pk])


def granted(c, d, received_on: str = "2026-03-02") -> Application:
    application = apply(c, d, received_on=received_on)
    response = api(c.staff).post(
        step_url("decision", application), {"grant": True, "decided_on": received_on}, format="json"
    )
    assert response.status_code == 200, response.json()
    return application


# --- the case: its card and screening --------------------------------------------------------------------


def test_the_case_card_and_screening_within_reach(c):
    d = c.case()
    card = api(c.clerk).get(case_url(d))
    assert card.status_code == 200
    body = card.json()
    assert body["may_act"] is True
    [row] = body["parties"]
    assert (row["party"], row["screening"], row["application"], row["may_apply"]) == (
        applicant(d).pk,
        None,
        None,
        True,
    )

    made = api(c.clerk).post(
        screening_url(d), {"matter": "work_injury", "hardship_declared": True}, format="json"
    )
    assert made.status_code == 201, made.json()
    screening = made.json()
    assert (screening["computed"], screening["result"], screening["overridden"]) == (
        "eligible",
        "eligible",
        False,
    )
    assert len(screening["reasons"]) >= 3 and screening["matter"] == "work_injury"
    assert screening["situation"] == "" and screening["override_reason"] == ""
    row = api(c.clerk).get(case_url(d)).json()["parties"][0]
    assert row["screening"]["id"] == screening["id"] and row["screening"]["result"] == "eligible"

    # Out of reach: another agency's liaison, a lawyer not assigned to the case.
    for stranger in (c.other_liaison, c.expert.user):
        assert api(stranger).get(case_url(d)).status_code == 404
        assert api(stranger).post(screening_url(d), ELIGIBLE, format="json").status_code == 404
    # The respondent agency reaches the case, not its legal aid.
    assert api(c.liaison).get(case_url(d)).status_code == 403
    refused = api(c.liaison).post(
        screening_url(d), {"matter": "work_injury", "hardship_declared": True}, format="json"
    )
    assert refused.status_code == 403 and "detail" in refused.json()
    # A party of another case is not this case's.
    other = c.case(applicant="钱二")
    assert api(c.clerk).post(screening_url(d, applicant(other)), {}, format="json").status_code == 404
    assert Screening.objects.count() == 1


def test_an_override_without_a_reason_is_400_and_nothing_is_written(c):
    d = c.case()
    events = DisputeEvent.objects.count()
    refused = api(c.clerk).post(
        screening_url(d), {"matter": "work_injury", "result": "eligible"}, format="json"
    )
    assert refused.status_code == 400 and set(refused.json()) == {"override_reason"}
    # The shape is checked first: a boolean is a JSON boolean, a choice one of its values.
    wrong = api(c.clerk).post(screening_url(d), {"hardship_declared": "on", "matter": "land"}, format="json")
    assert wrong.status_code == 400 and {"hardship_declared", "matter"} <= set(wrong.json())
    assert not Screening.objects.exists() and DisputeEvent.objects.count() == events
    made = api(c.clerk).post(
        screening_url(d),
        {"matter": "work_injury", "result": "eligible", "override_reason": "已核实其领取低保，证件后补"},
        format="json",
    )
    assert made.status_code == 201
    assert (made.json()["computed"], made.json()["result"], made.json()["overridden"]) == (
        "needs_review",
        "eligible",
        True,
    )


# --- the application and its steps -----------------------------------------------------------------------


def test_the_application_from_filing_to_the_end_of_aid(c):
    d = c.case()
    with at(date(2026, 3, 2)):
        screen(c, d, **ELIGIBLE)
        filed = api(c.clerk).post(
            apply_url(d),
            {"received_on": "2026-03-02", "materials": ["identity", "hardship"], "limitation_ends_on": None},
            format="json",
        )
        assert filed.status_code == 201, filed.json()
        body = filed.json()
        assert (body["status"], body["provisional"], body["assignments"], body["candidates"]) == (
            "received",
            False,
            [],
            [],
        )
        assert (
            body["case_number"] == d.number and body["decided_by_name"] is None and body["end_reason"] == ""
        )
        application = Application.objects.get(pk=body["id"])
        # A second application while this one is open: refused by the service.
        again = api(c.clerk).post(
            apply_url(d), {"received_on": "2026-03-02", "materials": ["identity"]}, format="json"
        )
        assert again.status_code == 400

    # The list, filtered by status.
    listed = api(c.clerk).get(reverse("api-legal-aid-applications")).json()
    assert listed["count"] == 1 and listed["results"][0]["id"] == application.pk
    assert (
        api(c.clerk).get(reverse("api-legal-aid-applications"), {"status": "received"}).json()["count"] == 1
    )
    assert api(c.clerk).get(reverse("api-legal-aid-applications"), {"status": "granted"}).json()["count"] == 0
    for bad in ("bogus", ""):
        assert api(c.clerk).get(reverse("api-legal-aid-applications"), {"status": bad}).status_code == 400
    assert api(c.liaison).get(reverse("api-legal-aid-applications")).status_code == 403
    assert api(c.other_liaison).get(step_url("application", application)).status_code == 404

    with at(date(2026, 3, 3)):
        # The centre's clerk files; the legal-aid staff decide.
        decision = {"grant": True, "decided_on": "2026-03-03"}
        assert (
            api(c.clerk).post(step_url("decision", application), decision, format="json").status_code == 403
        )
        assert (
            api(c.other_liaison).post(step_url("decision", application), decision, format="json").status_code
            == 404
        )
        decided = api(c.staff).post(step_url("decision", application), decision, format="json")
    assert decided.status_code == 200, decided.json()
    assert decided.json()["status"] == "granted" and decided.json()["decided_by_name"] == c.staff.name
    proposal = decided.json()["candidates"]
    assert [x["lawyer"] for x in proposal] == [c.expert.pk, c.outsider.pk, c.generalist.pk]
    first = proposal[0]
    assert (
        first["name"],
        first["firm"],
        first["load"],
        first["capacity"],
        first["conflict"],
        first["available"],
    ) == (
        "李明",
        c.firm.name,
        0,
        5,
        "",
        True,
    )
    assert len(first["reasons"]) == 3
    # The centre's clerk sees the application, not the roster proposed.
    assert api(c.clerk).get(step_url("application", application)).json()["candidates"] == []

    with at(date(2026, 3, 4)):
        assigned = api(c.staff).post(
            step_url("assignment", application),
            {"lawyer": c.expert.pk, "assigned_on": "2026-03-04"},
            format="json",
        )
    assert assigned.status_code == 201, assigned.json()
    [made] = assigned.json()["assignments"]
    assert (made["lawyer"], made["lawyer_name"], made["running"], assigned.json()["status"]) == (
        c.expert.pk,
        "李明",
        True,
        "assigned",
    )
    # The assigned lawyer reaches the case's legal aid and the application; another lawyer does not.
    assert api(c.expert.user).get(case_url(d)).status_code == 200
    assert api(c.expert.user).get(case_url(d)).json()["parties"][0]["lawyer"]["id"] == c.expert.pk
    assert api(c.expert.user).get(step_url("application", application)).status_code == 200
    assert api(c.generalist.user).get(step_url("application", application)).status_code == 404
    assert api(c.generalist.user).get(case_url(d)).status_code == 404

    with at(date(2026, 3, 20)):
        incomplete = api(c.staff).post(
            step_url("end", application), {"end_reason": "own_lawyer"}, format="json"
        )
        assert incomplete.status_code == 400 and {"ended_on", "end_note"} <= set(incomplete.json())
        ended = api(c.staff).post(
            step_url("end", application),
            {"end_reason": "own_lawyer", "ended_on": "2026-03-20", "end_note": "申请人已自行委托律师"},
            format="json",
        )
    assert ended.status_code == 200, ended.json()
    assert (ended.json()["status"], ended.json()["end_reason"]) == ("ended", "own_lawyer")
    assert ended.json()["assignments"][0]["running"] is False
    assert api(c.expert.user).get(case_url(d)).status_code == 404


def test_a_refusal_its_objection_and_the_review(c):
    d = c.case()
    with at(date(2026, 3, 3)):
        application = apply(c, d)
        bare = api(c.staff).post(
            step_url("decision", application), {"grant": False, "decided_on": "2026-03-03"}, format="json"
        )
        assert bare.status_code == 400 and set(bare.json()) == {"refusal_reasons"}
        not_json = api(c.staff).post(
            step_url("decision", application), {"grant": "no", "decided_on": "2026-03-03"}
        )
        assert not_json.status_code == 415
        refused = api(c.staff).post(
            step_url("decision", application),
            {"grant": False, "decided_on": "2026-03-03", "refusal_reasons": "申请人家庭收入高于当地标准"},
            format="json",
        )
    assert refused.status_code == 200 and refused.json()["status"] == "refused"
    with at(date(2026, 3, 4)):
        objected = api(c.clerk).post(
            step_url("objection", application),
            {"objected_on": "2026-03-04", "objection": "收入证明有误"},
            format="json",
        )
    assert objected.status_code == 200 and objected.json()["status"] == "objected"
    with at(date(2026, 3, 6)):
        review = {"upheld": True, "reviewed_on": "2026-03-06"}
        assert (
            api(c.clerk).post(step_url("objection-review", application), review, format="json").status_code
            == 403
        )
        reviewed = api(c.staff).post(step_url("objection-review", application), review, format="json")
    assert reviewed.status_code == 200
    assert (reviewed.json()["status"], reviewed.json()["objection_upheld"]) == ("granted", True)


def test_a_conflicted_lawyer_is_refused_with_a_lawyer_error_and_nothing_written(c):
    d = c.case()
    with at(date(2026, 3, 4)):
        application = granted(c, d)
        Engagement.objects.create(agency=c.agency, firm=c.firm, note="常年法律顾问")
        refused = api(c.staff).post(
            step_url("assignment", application),
            {"lawyer": c.expert.pk, "assigned_on": "2026-03-04"},
            format="json",
        )
        assert refused.status_code == 400 and set(refused.json()) == {"lawyer"}
        assert c.agency.name in refused.json()["lawyer"][0]
        proposal = api(c.staff).get(step_url("application", application)).json()["candidates"]
        expert = next(x for x in proposal if x["lawyer"] == c.expert.pk)
        assert c.agency.name in expert["conflict"] and expert["available"] is False
        unknown = api(c.staff).post(
            step_url("assignment", application), {"lawyer": 10**9, "assigned_on": "2026-03-04"}, format="json"
        )
        assert unknown.status_code == 400 and "lawyer" in unknown.json()
    assert not Assignment.objects.exists()
    application.refresh_from_db()
    assert application.status == Application.Status.GRANTED


# --- the roster and the coverage -------------------------------------------------------------------------


def test_the_roster_is_the_legal_aid_staffs(c):
    assert api(c.clerk).get(reverse("api-legal-aid-lawyers")).status_code == 403
    assert api(c.expert.user).get(reverse("api-legal-aid-lawyers")).status_code == 403
    d = c.case()
    with at(date(2026, 3, 4)):
        application = granted(c, d)
        api(c.staff).post(
            step_url("assignment", application),
            {"lawyer": c.expert.pk, "assigned_on": "2026-03-04"},
            format="json",
        )
    roster = api(c.staff).get(reverse("api-legal-aid-lawyers"))
    assert roster.status_code == 200
    rows = {row["id"]: row for row in roster.json()["results"]}
    assert set(rows) == {c.expert.pk, c.generalist.pk, c.outsider.pk}
    expert = rows[c.expert.pk]
    assert (expert["name"], expert["firm_name"], expert["load"], expert["capacity"], expert["is_active"]) == (
        "李明",
        c.firm.name,
        1,
        5,
        True,
    )
    assert expert["regions"] == [{"id": c.region.pk, "name": c.region.name}]
    assert expert["expertise"] == ["work_injury"] and rows[c.outsider.pk]["regions"] == []


def test_the_coverage_within_reach(c):
    """A assigned, B granted without a lawyer (a gap, 5 days), C screened eligible and never applied:
    1 of 2, 50.00%."""
    a, b, unapplied = c.case(applicant="甲"), c.case(applicant="乙"), c.case(applicant="丙")
    assert api(c.clerk).get(reverse("api-legal-aid-coverage")).json()["rate"] is None
    with at(date(2026, 3, 9)):
        first = granted(c, a)
        api(c.staff).post(
            step_url("assignment", first), {"lawyer": c.expert.pk, "assigned_on": "2026-03-03"}, format="json"
        )
        gap = granted(c, b, received_on="2026-03-04")
        screen(c, unapplied, **ELIGIBLE)
        figure = api(c.clerk).get(reverse("api-legal-aid-coverage"))
    assert figure.status_code == 200
    body = figure.json()
    assert body["rate"] == "50.00"
    assert sorted(body["applied"]) == sorted([first.pk, gap.pk]) and body["assigned"] == [first.pk]
    [hole] = body["gaps"]
    assert (hole["application_id"], hole["dispute_id"], hole["case_number"], hole["days_waiting"]) == (
        gap.pk,
        b.pk,
        b.number,
        5,
    )
    assert body["not_applied"] == [applicant(unapplied).pk]
    assert api(c.staff).get(reverse("api-legal-aid-coverage")).json()["rate"] == "50.00"
    # Neither the agency nor a lawyer sees the figure; a clerk of another county sees nothing of these.
    assert api(c.liaison).get(reverse("api-legal-aid-coverage")).status_code == 403
    assert api(c.expert.user).get(reverse("api-legal-aid-coverage")).status_code == 403
    elsewhere = user_with_role(Role.CENTRE_CLERK)
    assert api(elsewhere).get(reverse("api-legal-aid-coverage")).json() == {
        "rate": None,
        "applied": [],
        "assigned": [],
        "gaps": [],
        "not_applied": [],
    }


def test_a_record_the_service_no_longer_reaches_is_404_not_a_server_error(c, monkeypatch):
    """A service that no longer reaches its record raises the model's ``DoesNotExist``: the project's
    exception handler (``core.api.exceptions``) answers 404, as for any record out of reach."""
    from legal_aid import services

    application = apply(c, c.case())

    def lost(**kwargs):
        raise Application.DoesNotExist

    monkeypatch.setattr(services, "application_decide", lost)
    response = api(c.staff).post(
        step_url("decision", application), {"grant": True, "decided_on": "2026-03-02"}, format="json"
    )
    assert response.status_code == 404 and "detail" in response.json()
