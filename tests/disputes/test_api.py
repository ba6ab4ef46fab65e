"""The disputes API as a client uses it: every request in Chinese, every case reached through the API.

What is pinned here: a case can only move by its lifecycle actions (never by writing ``status``),
refusals say why (400 by field, 403 role, 404 out of reach, 409 state) and write nothing, a retried
request does not act twice, and other agencies cannot learn that a case exists.
"""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import NumberSequence, Organisation
from core.roles import Role
from disputes.actions import ACTIONS
from disputes.models import Dispute, DisputeEvent, Party
from security.models import ApiToken, token_digest
from tests.disputes.factories import County, resident_id
from tests.factories import OrganisationFactory, user_with_role

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def _today():
    # 10 April 2026 in the centre's time zone: the cases below are received in March.
    with time_machine.travel(datetime(2026, 4, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def county():
    return County()


def as_user(client, user):
    client.force_authenticate(user)
    return client


def get(client, url, **params):
    return client.get(url, params, **ZH)


def post(client, url, data):
    return client.post(url, data, format="json", **ZH)


def act(client, dispute_id, action, expected_status, **fields):
    return post(
        client,
        f"/api/disputes/{dispute_id}/transitions/{action}/",
        {"expected_status": expected_status, **fields},
    )


def acted(client, dispute_id, action, expected_status, **fields):
    response = act(client, dispute_id, action, expected_status, **fields)
    assert response.status_code == 200, response.json()
    return response.json()


def register_payload(county, **overrides):
    data = {
        "kind": "resolution",
        "source": "walk_in",
        "received_on": "2026-03-02",
        "respondent": county.agency.pk,
        "act_kind": "expropriation",
        "act_date": "2026-01-15",
        "act_document_number": "郧西自然资征〔2026〕3号",
        "act_summary": "土门镇集体土地征收补偿安置决定",
        "matter": "land",
        "amount": "186000.00",
        "claims": "请求撤销补偿安置决定，按新标准补偿",
        "facts": "申请人房屋位于土门镇，征收补偿标准低于邻村",
        "parties": [
            {
                "role": "applicant",
                "kind": "person",
                "name": "王大山",
                "id_number": resident_id(),
                "phone": "139 0719 1234",
            }
        ],
    }
    data.update(overrides)
    return data


def nothing_written():
    return (
        not Dispute.objects.exists()
        and not Party.objects.exists()
        and not DisputeEvent.objects.exists()
        and not NumberSequence.objects.filter(last_value__gt=0).exists()
    )


# --- register ----------------------------------------------------------------------------------


def test_clerk_registers_a_case(api_client, county):
    as_user(api_client, county.clerk)
    response = post(api_client, "/api/disputes/", register_payload(county, status="closed"))

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["number"] == "〔2026〕郧西化字第1号"
    assert body["status"] == "registered"  # "status" in the body is not an input
    assert body["stage"] == "intake"
    assert body["status_display"] and body["stage_display"]
    assert body["centre"]["id"] == county.centre.pk
    assert body["respondent"]["name"] == "郧西县自然资源和规划局"
    # Masked in every answer; the whole number only through the audited reveal.
    assert [(p["name"], p["phone"]) for p in body["parties"]] == [("王大山", "139****1234")]
    assert {a["action"] for a in body["allowed_actions"]} >= {"accept", "reject", "request_correction"}
    assert Dispute.objects.get().events.get().action == "register"


def test_court_clerk_registers_at_the_centre_of_the_county(api_client, county):
    as_user(api_client, county.court_clerk)
    response = post(
        api_client,
        "/api/disputes/",
        register_payload(county, source="court_push", court=county.court.pk, consent="given"),
    )
    assert response.status_code == 201, response.json()
    assert response.json()["centre"]["id"] == county.centre.pk


def test_bad_id_number_is_refused_by_field_and_nothing_is_written(api_client, county):
    as_user(api_client, county.clerk)
    payload = register_payload(county)
    payload["parties"][0]["id_number"] = resident_id()[:-1] + ("0" if resident_id()[-1] != "0" else "1")

    response = post(api_client, "/api/disputes/", payload)

    assert response.status_code == 400
    errors = response.json()
    assert list(errors) == ["parties.0.id_number"]
    assert CHINESE.search(errors["parties.0.id_number"][0])
    assert nothing_written()


def test_future_date_is_refused_by_field_and_nothing_is_written(api_client, county):
    as_user(api_client, county.clerk)
    response = post(api_client, "/api/disputes/", register_payload(county, received_on="2026-04-11"))

    assert response.status_code == 400
    assert "received_on" in response.json()
    assert nothing_written()


def test_register_input_errors_name_their_fields(api_client, county):
    as_user(api_client, county.clerk)
    payload = register_payload(county, kind="nonsense", respondent=county.court.pk)
    payload["parties"].append({"role": "lawyer", "kind": "person", "name": "", "phone": "12345"})

    errors = post(api_client, "/api/disputes/", payload).json()
    assert {"kind", "respondent", "parties.1.name", "parties.1.phone"} == set(errors)

    payload = register_payload(county, act_date="2026-03-05", received_on="2026-03-02")
    payload["parties"].append({"role": "lawyer", "kind": "person", "name": "赵律师", "represents_index": 1})
    assert set(post(api_client, "/api/disputes/", payload).json()) == {"parties.1.represents_index"}

    payload["parties"].pop()
    assert set(post(api_client, "/api/disputes/", payload).json()) == {"act_date"}  # the act after receipt
    assert nothing_written()


def test_agency_liaison_may_not_register(api_client, county):
    as_user(api_client, county.liaison)
    assert post(api_client, "/api/disputes/", register_payload(county)).status_code == 403
    assert nothing_written()


def test_possible_duplicate_is_shown_before_registering_again(api_client, county):
    first = county.register()
    as_user(api_client, county.clerk)

    response = post(api_client, "/api/disputes/", register_payload(county))
    assert response.status_code == 409
    assert [d["number"] for d in response.json()["duplicates"]] == [first.number]
    assert Dispute.objects.count() == 1

    response = post(api_client, "/api/disputes/", register_payload(county, confirm_duplicate=True))
    assert response.status_code == 201
    assert response.json()["number"] == "〔2026〕郧西化字第2号"


# --- the two main paths, entirely through the API -------------------------------------------------


def test_resolution_path_agreement_confirmed_and_closed(api_client, county):
    as_user(api_client, county.clerk)
    case = post(api_client, "/api/disputes/", register_payload(county)).json()
    pk = case["id"]

    case = acted(api_client, pk, "accept", "registered", accepted_on="2026-03-03")
    assert case["status"] == "accepted" and case["stage"] == "resolution"
    assert case["resolution"]["due_on"]
    case = acted(api_client, pk, "assign_mediators", "accepted", mediators=[county.mediator.pk])
    assert case["mediators"] == [{"id": county.mediator.pk, "name": "陈建国"}]

    as_user(api_client, county.mediator)  # the assigned mediator now reaches the case
    case = acted(
        api_client, pk, "reach_agreement", "mediating", agreement_terms="补偿20万元", signed_on="2026-03-20"
    )
    assert case["status"] == "agreed"

    as_user(api_client, county.clerk)
    case = acted(
        api_client, pk, "request_confirmation", "agreed", court=county.court.pk, requested_on="2026-03-21"
    )
    assert case["resolution"]["confirmation_court"]["id"] == county.court.pk

    as_user(api_client, county.court_clerk)
    case = acted(
        api_client,
        pk,
        "confirm",
        "confirmation_requested",
        confirmed_on="2026-03-25",
        confirmation_number="(2026)鄂0322民特1号",
    )
    assert case["status"] == "closed" and case["stage"] == "closed"
    assert case["closing_reason"] == "confirmed"
    assert case["allowed_actions"] == []  # a court clerk cannot reopen

    events = get(api_client, f"/api/disputes/{pk}/events/").json()
    assert [e["action"] for e in events] == [
        "register",
        "accept",
        "assign_mediators",
        "reach_agreement",
        "request_confirmation",
        "confirm",
    ]
    assert [(e["from_status"], e["to_status"]) for e in events[1:3]] == [
        ("registered", "accepted"),
        ("accepted", "mediating"),
    ]
    assert events[3]["actor"]["name"] == "陈建国"
    assert all(e["action_label"] for e in events)


def test_failed_resolution_transferred_to_reconsideration_decided_and_in_effect(api_client, county):
    as_user(api_client, county.clerk)
    pk = post(api_client, "/api/disputes/", register_payload(county)).json()["id"]

    acted(api_client, pk, "accept", "registered", accepted_on="2026-03-03")
    # Form data works as well as JSON.
    response = api_client.post(
        f"/api/disputes/{pk}/transitions/fail/",
        {"expected_status": "accepted", "reason": "双方分歧过大，申请人坚持撤销"},
        **ZH,
    )
    assert response.status_code == 200, response.json()
    case = response.json()
    assert case["resolution"]["failure_reason"] == "双方分歧过大，申请人坚持撤销"
    case = acted(
        api_client,
        pk,
        "transfer",
        "failed",
        target="reconsideration",
        transfer_to=county.bureau.pk,
        transferred_on="2026-03-10",
    )
    assert case["status"] == "transferred"
    case = acted(
        api_client,
        pk,
        "receive_feedback",
        "transferred",
        feedback_on="2026-03-12",
        feedback_note="已受理复议申请",
    )
    assert case["status"] == "recon_accepted" and case["stage"] == "reconsideration"
    assert case["reconsideration"]["accepted_on"] == "2026-03-12"
    case = acted(
        api_client,
        pk,
        "decide",
        "recon_accepted",
        decision_type="uphold",
        decided_on="2026-04-08",
        decision_number="郧西复决〔2026〕1号",
    )
    assert case["reconsideration"]["decision_type"] == "uphold"
    case = acted(api_client, pk, "take_effect", "recon_decided", effective_on="2026-04-09")

    assert case["status"] == "closed"
    assert case["closing_reason"] == "recon_decided"
    actions = [e["action"] for e in get(api_client, f"/api/disputes/{pk}/events/").json()]
    assert actions == ["register", "accept", "fail", "transfer", "receive_feedback", "decide", "take_effect"]


# --- refusals ------------------------------------------------------------------------------------


def test_impossible_transition_is_409_in_chinese_and_writes_nothing(api_client, county):
    dispute = county.register()
    as_user(api_client, county.clerk)

    response = act(
        api_client, dispute.pk, "confirm", "registered", confirmed_on="2026-03-25", confirmation_number="x"
    )

    assert response.status_code == 409
    assert CHINESE.search(response.json()["detail"]), response.json()
    dispute.refresh_from_db()
    assert dispute.status == "registered"
    assert list(dispute.events.values_list("action", flat=True)) == ["register"]


def test_stale_expected_status_is_409(api_client, county):
    dispute = county.register()
    as_user(api_client, county.clerk)
    acted(api_client, dispute.pk, "accept", "registered", accepted_on="2026-03-03")

    # Someone else's screen still shows the case as registered and chooses another action.
    response = act(api_client, dispute.pk, "reject", "registered", reason="材料不全")

    assert response.status_code == 409
    assert response.json()["detail"]
    dispute.refresh_from_db()
    assert dispute.status == "accepted"
    assert dispute.events.count() == 2


def test_repeating_the_same_request_acts_once(api_client, county):
    dispute = county.register()
    as_user(api_client, county.clerk)

    first = act(api_client, dispute.pk, "accept", "registered", accepted_on="2026-03-03")
    again = act(api_client, dispute.pk, "accept", "registered", accepted_on="2026-03-03")

    assert first.status_code == again.status_code == 200
    assert again.json()["status"] == "accepted"
    assert dispute.events.filter(action="accept").count() == 1
    assert dispute.resolutions.count() == 1


def test_invalid_action_input_is_400_by_field(api_client, county):
    dispute = county.register()
    as_user(api_client, county.clerk)

    errors = act(api_client, dispute.pk, "accept", "registered", accepted_on="2026-02-01").json()
    assert list(errors) == ["accepted_on"]  # before the application was received
    assert "accepted_on" in act(api_client, dispute.pk, "accept", "registered").json()
    assert "expected_status" in post(api_client, f"/api/disputes/{dispute.pk}/transitions/accept/", {}).json()
    dispute.refresh_from_db()
    assert dispute.status == "registered" and dispute.events.count() == 1


def test_role_that_may_not_act_gets_403(api_client, county):
    dispute = county.register()
    as_user(api_client, county.liaison)  # the respondent's liaison sees the case but cannot accept it

    assert get(api_client, f"/api/disputes/{dispute.pk}/").json()["allowed_actions"] == []
    response = act(api_client, dispute.pk, "accept", "registered", accepted_on="2026-03-03")

    assert response.status_code == 403
    assert response.json()["detail"]
    dispute.refresh_from_db()
    assert dispute.status == "registered"


def test_unknown_action_is_404(api_client, county):
    dispute = county.register()
    as_user(api_client, county.clerk)
    assert act(api_client, dispute.pk, "teleport", "registered").status_code == 404


def test_another_agency_cannot_learn_the_case_exists(api_client, county):
    dispute = county.register()
    as_user(api_client, county.other_liaison)
    base = f"/api/disputes/{dispute.pk}"

    assert get(api_client, f"{base}/").status_code == 404
    assert get(api_client, f"{base}/events/").status_code == 404
    assert get(api_client, f"{base}/history/").status_code == 404
    assert act(api_client, dispute.pk, "accept", "registered", accepted_on="2026-03-03").status_code == 404
    assert post(api_client, f"{base}/notes/", {"text": "看看"}).status_code == 404
    assert get(api_client, "/api/disputes/").json()["count"] == 0
    assert dispute.events.count() == 1


def test_committee_member_reads_no_cases(api_client, county):
    dispute = county.register()
    committee = OrganisationFactory(
        name="郧西县行政争议化解委员会", kind=Organisation.Kind.COMMITTEE, region=county.region
    )
    as_user(api_client, user_with_role(Role.COMMITTEE_MEMBER, organisation=committee))

    assert get(api_client, "/api/disputes/").status_code == 403
    assert get(api_client, f"/api/disputes/{dispute.pk}/").status_code == 404


def test_status_cannot_be_written_directly(api_client, county):
    dispute = county.register()
    as_user(api_client, county.clerk)
    url = f"/api/disputes/{dispute.pk}/"

    assert api_client.patch(url, {"status": "closed"}, format="json", **ZH).status_code == 405
    assert api_client.put(url, {"status": "closed"}, format="json", **ZH).status_code == 405
    assert api_client.delete(url, **ZH).status_code == 405
    dispute.refresh_from_db()
    assert dispute.status == "registered"
    assert dispute.events.count() == 1


def test_anonymous_and_token_access(api_client, county):
    county.register()
    assert get(api_client, "/api/disputes/").status_code == 401

    county.clerk.username = "zhangmin"
    county.clerk.save()
    token = post(
        api_client, "/api/auth/token/", {"username": "zhangmin", "password": "pass-word-123"}
    ).json()["token"]
    assert ApiToken.objects.get(user=county.clerk).digest == token_digest(token)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    response = get(api_client, "/api/disputes/")
    assert response.status_code == 200
    assert [d["number"] for d in response.json()["results"]] == ["〔2026〕郧西化字第1号"]


# --- list, search, timeline, notes, files, history -----------------------------------------------


def test_list_filters_search_and_scope(api_client, county):
    first = county.register()
    second = county.register(
        applicant="李小花", received_on=datetime(2026, 3, 20).date(), act_summary="拆除违法建筑决定"
    )
    other = county.register(applicant="周大牛", respondent=county.other_agency, kind="reconsideration")
    from disputes.services import dispute_transition

    dispute_transition(
        dispute_id=second.pk, action="accept", actor=county.clerk, data={"accepted_on": "2026-03-21"}
    )
    as_user(api_client, county.clerk)

    def numbers(**params):
        response = get(api_client, "/api/disputes/", **params)
        assert response.status_code == 200, response.json()
        return {d["number"] for d in response.json()["results"]}

    assert numbers() == {first.number, second.number, other.number}
    assert numbers(status="accepted") == {second.number}
    assert numbers(status=["accepted", "registered"]) == {first.number, second.number, other.number}
    assert numbers(stage="intake") == {first.number, other.number}
    assert numbers(kind="reconsideration") == {other.number}
    assert numbers(respondent=county.other_agency.pk) == {other.number}
    assert numbers(received_from="2026-03-10", received_to="2026-03-31") == {second.number}
    # A reconsideration's acceptance is reviewed within 5 working days (行政复议法 第三十条): the one
    # still awaiting it is overdue; a case for the centre's resolution has no statutory intake clock.
    assert numbers(overdue="true") == {other.number}
    assert numbers(overdue="false") == {first.number, second.number}
    assert numbers(q="李小花") == {second.number}
    assert numbers(q="周大牛 拆除") == set()
    assert get(api_client, "/api/disputes/", status="nonsense").status_code == 400

    row = next(d for d in get(api_client, "/api/disputes/").json()["results"] if d["id"] == second.pk)
    assert row["applicants"] == "李小花"
    assert row["status"] == "accepted" and row["stage"] == "resolution"

    as_user(api_client, county.liaison)  # the agency sees its own cases only
    assert numbers() == {first.number, second.number}


def test_list_costs_the_same_queries_for_one_case_as_for_five(api_client, county):
    as_user(api_client, county.clerk)
    county.register()

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert get(api_client, "/api/disputes/").status_code == 200
        return len(ctx)

    queries()  # the working-day calendar is read once and then kept
    one = queries()
    for n in range(4):
        county.register(applicant=f"申请人{n}", act_date=datetime(2026, 1, 2 + n).date())
    assert queries() == one


def test_notes_attachments_and_history(api_client, county):
    dispute = county.register()
    as_user(api_client, county.clerk)
    base = f"/api/disputes/{dispute.pk}"

    response = post(api_client, f"{base}/notes/", {"text": "申请人来电询问进度"})
    assert response.status_code == 201
    assert response.json()["author"]["name"] == "张敏"
    assert "text" in post(api_client, f"{base}/notes/", {"text": "  "}).json()

    upload = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = api_client.post(
        f"{base}/attachments/", {"file": upload, "description": "行政复议申请书"}, **ZH
    )
    assert response.status_code == 201, response.json()
    assert response.json()["original_name"] == "申请书.pdf"
    bad = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    assert "file" in api_client.post(f"{base}/attachments/", {"file": bad}, **ZH).json()

    acted(api_client, dispute.pk, "accept", "registered", accepted_on="2026-03-03", reason="材料齐全")

    case = get(api_client, f"{base}/").json()
    assert [n["text"] for n in case["notes"]] == ["申请人来电询问进度"]
    assert [a["description"] for a in case["attachments"]] == ["行政复议申请书"]
    assert [e["action"] for e in get(api_client, f"{base}/events/").json()] == [
        "register",
        "note",
        "attach",
        "accept",
    ]

    history = get(api_client, f"{base}/history/").json()
    assert [(h["record"], h["type"]) for h in history[:2]] == [("dispute", "+"), ("party", "+")]
    accepted = history[-1]
    assert accepted["user"]["name"] == "张敏"
    assert accepted["reason"] == "材料齐全"
    status_change = next(c for c in accepted["changes"] if c["field"] == "status")
    assert (status_change["old"], status_change["new"]) == ("registered", "accepted")
    assert status_change["new_display"]


# --- the schema ------------------------------------------------------------------------------------


def test_schema_documents_the_endpoints_and_every_action(api_client, county):
    as_user(api_client, county.clerk)
    response = api_client.get("/api/schema/", HTTP_ACCEPT="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    schema = response.json()
    paths, components = schema["paths"], schema["components"]["schemas"]

    assert {
        "/api/disputes/",
        "/api/disputes/{id}/",
        "/api/disputes/{id}/events/",
        "/api/disputes/{id}/notes/",
        "/api/disputes/{id}/attachments/",
        "/api/disputes/{id}/history/",
    } <= set(paths)
    assert set(paths["/api/disputes/"]) == {"get", "post"}
    assert set(paths["/api/disputes/{id}/"]) == {"get"}  # no PUT, PATCH or DELETE of a case

    # Each action is its own operation, whose request body is the action's form.
    def body(action):
        operation = paths[f"/api/disputes/{{id}}/transitions/{action}/"]["post"]
        ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        return components[ref.rsplit("/", 1)[1]]

    for name in ACTIONS:
        assert "expected_status" in body(name)["required"], name
    extend = body("extend")
    assert {"days", "approved_by", "reason"} <= set(extend["required"])
    assert extend["properties"]["days"]["maximum"] == 30
    decide = body("decide")
    assert {"decision_type", "decided_on"} <= set(decide["required"])
    assert decide["properties"]["decided_on"]["format"] == "date"
    assign = body("assign_mediators")
    assert assign["properties"]["mediators"]["type"] == "array"
    assert assign["properties"]["mediators"]["items"]["type"] == "integer"


def test_idempotency_key_makes_a_repeated_session_record_once(api_client, county):
    dispute = county.register()
    as_user(api_client, county.clerk)
    acted(api_client, dispute.pk, "accept", "registered", accepted_on="2026-03-03")
    acted(api_client, dispute.pk, "assign_mediators", "accepted", mediators=[county.mediator.pk])
    url = f"/api/disputes/{dispute.pk}/transitions/record_session/"
    body = {"expected_status": "mediating", "held_on": "2026-03-05", "summary": "释法明理"}
    for _ in range(2):
        response = api_client.post(url, body, format="json", HTTP_IDEMPOTENCY_KEY="retry-7", **ZH)
        assert response.status_code == 200
    assert dispute.events.filter(action="record_session").count() == 1


# --- the contract: what the schema says is what the API answers ------------------------------------


def test_a_choice_not_made_yet_is_null_not_blank(api_client, county):
    dispute = county.register()
    as_user(api_client, county.clerk)
    acted(api_client, dispute.pk, "accept", "registered", accepted_on="2026-03-03")

    case = get(api_client, f"/api/disputes/{dispute.pk}/").json()
    assert case["closing_reason"] is None
    assert case["resolution"] is not None and case["resolution"]["transfer_target"] is None


@pytest.mark.parametrize(
    "params",
    [{"stage": ""}, {"status": ""}, {"q": " "}, {"overdue": ""}, {"respondent": ""}, {"stage": "nonsense"}],
)
def test_an_empty_or_unknown_filter_is_400_in_chinese_not_ignored(api_client, county, params):
    county.register()
    as_user(api_client, county.clerk)
    response = get(api_client, "/api/disputes/", **params)
    assert response.status_code == 400, response.json()
    (name,) = params
    assert CHINESE.search(response.json()[name][0])


def test_reversed_dates_and_another_agencys_id_are_400_by_parameter(api_client, county):
    county.register()
    as_user(api_client, county.liaison)
    response = get(api_client, "/api/disputes/", received_from="2026-03-10", received_to="2026-03-01")
    assert response.status_code == 400 and "received_to" in response.json()
    response = get(api_client, "/api/disputes/", respondent=county.other_agency.pk)
    assert response.status_code == 400 and "respondent" in response.json()


def test_an_actions_input_of_the_wrong_type_is_400_by_field_and_writes_nothing(api_client, county):
    dispute = county.register()
    as_user(api_client, county.clerk)
    response = act(api_client, dispute.pk, "accept", "registered", accepted_on=20260303, reason=["x"])
    assert response.status_code == 400
    assert {"accepted_on", "reason"} <= set(response.json())
    dispute.refresh_from_db()
    assert dispute.status == "registered" and dispute.events.count() == 1


def test_text_is_a_json_string_not_a_number(api_client, county):
    """The schema says ``type: string``: a number is refused, not turned into text (schemathesis found
    a note of ``0`` accepted as "0")."""
    case = county.register()
    api = as_user(api_client, county.clerk)
    notes_before = case.notes.count()
    response = api.post(f"/api/disputes/{case.pk}/notes/", {"text": 0}, format="json")
    assert response.status_code == 400 and "text" in response.json()
    assert case.notes.count() == notes_before
    response = api.post(
        f"/api/disputes/{case.pk}/transitions/accept/",
        {"accepted_on": "2026-03-03", "reason": 7, "expected_status": case.status},
        format="json",
    )
    assert response.status_code == 400 and "reason" in response.json()
    assert Dispute.objects.get(pk=case.pk).status == case.status
