"""GET /api/deadlines/: the user's reachable deadlines, filtered, documented in the schema."""

from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from core.roles import Role
from deadlines import services
from deadlines.selectors import deadline_list, deadlines_for_subject, open_deadlines_overdue_count
from tests.factories import OrganisationFactory, county, user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(plan, subject, clerk):
    reply = plan("recon_reply", date(2026, 2, 13), responsible_organisation=subject)
    decision = plan("recon_decision", date(2026, 1, 20))
    services.deadline_meet(subject=subject, rule_code="recon_decision", met_on=date(2026, 3, 1), actor=clerk)
    return reply, decision


@time_machine.travel(date(2026, 3, 2), tick=False)
def test_the_list_shows_each_clock_with_how_it_was_counted(api_client, clerk, planned, subject):
    reply, decision = planned
    api_client.force_authenticate(clerk)
    body = api_client.get("/api/deadlines/").json()
    assert body["count"] == 2
    first = body["results"][1]
    assert first == {
        "id": decision.pk,
        "rule": "recon_decision",
        "label": "行政复议决定",
        "basis": "行政复议法 第六十二条",
        "start_event": "受理行政复议申请之日",
        "starts_on": "2026-01-20",
        "length": 60,
        "unit": "days",
        "due_on": "2026-03-23",
        "status": "met",
        "met_on": "2026-03-01",
        "days_left": None,
        "provisional": False,
        "explanation": "60 日，自 2026年1月20日 次日起算；末日为休息日，顺延至 2026年3月23日",
        "subject_type": "core.organisation",
        "subject_id": subject.pk,
        "responsible_organisation": decision.responsible_organisation_id,
        "responsible_organisation_name": decision.responsible_organisation.name,
    }
    second = body["results"][0]
    assert (second["rule"], second["due_on"], second["days_left"]) == ("recon_reply", "2026-03-05", 3)
    assert second["explanation"] == "10 个工作日，自 2026年2月13日 次日起算，节假日不计；末日 2026年3月5日"

    english = api_client.get("/api/deadlines/", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert english["label"] == "Respondent's reply and evidence"


def test_filters(api_client, clerk, planned, subject):
    api_client.force_authenticate(clerk)

    def rules(**params):
        return [d["rule"] for d in api_client.get("/api/deadlines/", params).json()["results"]]

    assert rules(status="open") == ["recon_reply"]
    assert rules(status=["open", "met"]) == ["recon_reply", "recon_decision"]
    assert rules(rule="recon_decision") == ["recon_decision"]
    assert rules(due_before="2026-03-05") == ["recon_reply"]
    assert rules(due_after="2026-03-06") == ["recon_decision"]
    assert rules(organisation=subject.pk) == ["recon_reply"]
    bad = api_client.get("/api/deadlines/", {"due_before": "soon"})
    assert bad.status_code == 400 and "due_before" in bad.json()
    # An id is a whole number from 1 that fits a database key (schemathesis found a float read as a
    # decimal, and a number too large for SQLite answering 500).
    for not_an_id in ("2.6e-129", "1.5", "0", "-130000101948161718747136", str(2**63)):
        bad = api_client.get("/api/deadlines/", {"organisation": not_an_id})
        assert bad.status_code == 400 and "organisation" in bad.json(), not_an_id
    assert [d.rule.code for d in deadline_list(user=clerk, filters={"status": "met"})] == ["recon_decision"]


def test_a_foreign_organisation_sees_none_and_gets_404(api_client, clerk, planned, subject):
    reply, decision = planned
    stranger = user_with_role(
        Role.AGENCY_LIAISON, organisation=OrganisationFactory(region=county("远县", "420999"))
    )
    api_client.force_authenticate(stranger)
    assert api_client.get("/api/deadlines/").json()["count"] == 0
    assert api_client.get(f"/api/deadlines/{reply.pk}/").status_code == 404
    # The responsible agency sees its own clock and not the centre's.
    liaison = user_with_role(Role.AGENCY_LIAISON, organisation=subject)
    api_client.force_authenticate(liaison)
    assert [d["rule"] for d in api_client.get("/api/deadlines/").json()["results"]] == ["recon_reply"]
    assert api_client.get(f"/api/deadlines/{decision.pk}/").status_code == 404
    assert [d.pk for d in deadlines_for_subject(user=liaison, subject=subject)] == [reply.pk]
    # A subject page that has checked its own reach shows every clock of the subject.
    assert len(deadlines_for_subject(user=liaison, subject=subject, subject_reached=True)) == 2
    api_client.force_authenticate(None)
    assert api_client.get("/api/deadlines/").status_code == 401


def test_the_overdue_count_reads_the_stored_rows(clerk, planned):
    assert open_deadlines_overdue_count(user=clerk, today=date(2026, 3, 5)) == 0
    assert open_deadlines_overdue_count(user=clerk, today=date(2026, 3, 6)) == 1
    stranger = user_with_role(Role.CENTRE_CLERK, region=county("远县", "420999"))
    assert open_deadlines_overdue_count(user=stranger, today=date(2026, 3, 6)) == 0


def test_the_schema_documents_the_list_and_its_filters(tmp_path):
    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    import yaml

    schema = yaml.safe_load(path.read_text())
    operation = schema["paths"]["/api/deadlines/"]["get"]
    assert {p["name"] for p in operation["parameters"]} >= {
        "status",
        "rule",
        "due_before",
        "due_after",
        "organisation",
    }
    assert "/api/deadlines/{id}/" in schema["paths"]
