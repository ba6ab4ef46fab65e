"""The documents API as a client uses it, on the demo county: draft, edit, issue, download, re-issue.

What is pinned here: an issued document never changes (a PATCH is 409 and writes nothing; the PDF
served is the one whose SHA-256 was recorded), a correction is a new version that supersedes the old
one only once issued, and a document is visible exactly when its case is — other agencies, other
counties and the committee get 404, never 403 — while only the roles that run cases may write.
"""

import hashlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
import yaml
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from drf_spectacular.drainage import GENERATOR_STATS

from core.models import User
from demo.services import demo_seed
from disputes.models import Dispute
from documents.models import Document, DocumentStatus
from documents.types import DocumentType

pytestmark = pytest.mark.django_db

ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}
NUMBER = re.compile(r"^郧西化受〔2026〕\d+号$")


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime(2026, 4, 10, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True):
        yield


@pytest.fixture
def demo():
    demo_seed()
    # Registered two days ago, against the natural-resources bureau (whose liaison is "liaison").
    return Dispute.objects.get(act_document_number="郧西自然资征〔2026〕11号")


def zh(msgid: str) -> str:
    """A message as the (Chinese-speaking) user reads it. The catalogue is merged after the code, so a
    test compares with the translation rather than with a copy of it."""
    with translation.override("zh-hans"):
        return translation.gettext(msgid)


def client_for(api_client, username):
    api_client.force_authenticate(User.objects.get(username=username))
    return api_client


def drafted(client, case, doc_type="acceptance_notice", **fields):
    body = {"doc_type": doc_type, **({"fields": fields} if fields else {})}
    response = client.post(f"/api/disputes/{case.pk}/documents/", body, format="json", **ZH)
    assert response.status_code == 201, response.json()
    return response.json()


def issued(client, document_id, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/api/documents/{document_id}/issue/", **ZH)
    assert response.status_code == 202, response.json()
    detail = client.get(f"/api/documents/{document_id}/", **ZH).json()
    assert detail["status"] == "issued", detail
    return detail


def download(client, document_id, **headers):
    response = client.get(f"/api/documents/{document_id}/pdf/", **ZH, **headers)
    assert response.status_code == 200, response
    return response, b"".join(response.streaming_content)


def test_draft_edit_issue_and_download(api_client, demo, django_capture_on_commit_callbacks):
    clerk = client_for(api_client, "clerk")

    draft = drafted(clerk, demo)
    assert draft["status"] == "draft" and draft["editable"] is True
    with translation.override("zh-hans"):
        assert draft["doc_type_display"] == str(DocumentType.ACCEPTANCE_NOTICE.label)
    assert draft["title"] == "受理通知书"
    assert draft["subject_id"] == demo.pk and draft["version"] == 1
    assert draft["number"] == "" and draft["sha256"] == "" and draft["download_url"] is None
    assert draft["fields"]["addressee"] == "王大山"  # pre-filled from the case
    assert demo.number in draft["fields"]["body"]
    assert [spec["name"] for spec in draft["field_specs"]] == ["addressee", "body", "closing"]

    body = "你（单位）提出的行政争议化解申请收悉，经审查符合受理条件，本中心决定予以受理。"
    response = clerk.patch(f"/api/documents/{draft['id']}/", {"fields": {"body": body}}, format="json", **ZH)
    assert response.status_code == 200, response.json()
    assert response.json()["fields"] == {**draft["fields"], "body": body}

    # Not downloadable while a draft.
    response = clerk.get(f"/api/documents/{draft['id']}/pdf/", **ZH)
    assert response.status_code == 404
    assert response.json() == {"detail": zh("The document has not been issued yet.")}
    # The refusal is JSON even to a client that asked for a PDF.
    response = clerk.get(f"/api/documents/{draft['id']}/pdf/", HTTP_ACCEPT="application/pdf", **ZH)
    assert response.status_code == 404
    assert response.json() == {"detail": zh("The document has not been issued yet.")}

    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(f"/api/documents/{draft['id']}/issue/", **ZH)
        assert response.status_code == 202, response.json()
        accepted = response.json()
        # Numbered at once; rendered once the request's transaction has committed.
        assert accepted["status"] == "issuing" and accepted["render_state"] == "queued"
        assert NUMBER.match(accepted["number"])

    detail = clerk.get(f"/api/documents/{draft['id']}/", **ZH).json()
    assert detail["status"] == "issued" and detail["editable"] is False
    with translation.override("zh-hans"):
        assert detail["status_display"] == str(DocumentStatus.ISSUED.label)
    assert detail["number"] == accepted["number"]
    assert detail["render_state"] == "done" and detail["render_progress"] == 100
    assert detail["render_error"] == ""
    assert detail["issued_by"]["name"] and detail["issued_at"]
    assert detail["template_version"]
    assert detail["pages"] >= 1
    assert detail["download_url"] == f"/api/documents/{draft['id']}/pdf/"

    response, pdf = download(clerk, draft["id"])
    assert pdf.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert hashlib.sha256(pdf).hexdigest() == detail["sha256"]
    assert len(pdf) == detail["size"]
    assert response["ETag"] == f'"{detail["sha256"]}"'
    assert response["Cache-Control"] == "no-store"  # it prints ID numbers in full
    assert "attachment" in response["Content-Disposition"]

    # A client asking for the PDF by its media type gets it too.
    _, same = download(clerk, draft["id"], HTTP_ACCEPT="application/pdf")
    assert same == pdf

    # Issuing again does nothing: the same number, the same file.
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(f"/api/documents/{draft['id']}/issue/", **ZH)
    assert response.status_code == 202
    assert response.json()["number"] == detail["number"]
    assert response.json()["sha256"] == detail["sha256"]


def test_an_issued_document_cannot_be_edited(api_client, demo, django_capture_on_commit_callbacks):
    clerk = client_for(api_client, "clerk")
    document = issued(clerk, drafted(clerk, demo)["id"], django_capture_on_commit_callbacks)
    stored = Document.objects.get(pk=document["id"])
    _, pdf = download(clerk, document["id"])

    response = clerk.patch(
        f"/api/documents/{document['id']}/", {"fields": {"body": "改过的正文"}}, format="json", **ZH
    )

    assert response.status_code == 409
    assert response.json() == {
        "detail": zh("An issued document cannot be changed. Re-issue it to correct it.")
    }
    after = Document.objects.get(pk=document["id"])
    assert (after.fields, after.sha256, after.file.name, after.status) == (
        stored.fields,
        stored.sha256,
        stored.file.name,
        "issued",
    )
    assert download(clerk, document["id"])[1] == pdf


def test_a_document_being_issued_cannot_be_edited(api_client, demo, django_capture_on_commit_callbacks):
    clerk = client_for(api_client, "clerk")
    draft = drafted(clerk, demo)
    with django_capture_on_commit_callbacks(execute=False):  # the render has not run yet
        assert clerk.post(f"/api/documents/{draft['id']}/issue/", **ZH).status_code == 202

    response = clerk.patch(f"/api/documents/{draft['id']}/", {"fields": {"body": "x"}}, format="json", **ZH)

    assert response.status_code == 409
    assert Document.objects.get(pk=draft["id"]).fields == draft["fields"]


def test_reissue_keeps_both_versions(api_client, demo, django_capture_on_commit_callbacks):
    clerk = client_for(api_client, "clerk")
    first = issued(clerk, drafted(clerk, demo)["id"], django_capture_on_commit_callbacks)
    _, first_pdf = download(clerk, first["id"])

    response = clerk.post(f"/api/documents/{first['id']}/reissue/", **ZH)
    assert response.status_code == 201, response.json()
    second = response.json()
    assert second["status"] == "draft" and second["version"] == 2
    assert second["supersedes"] == first["id"] and second["fields"] == first["fields"]

    # A second correction of the same version while one is pending is refused.
    assert clerk.post(f"/api/documents/{first['id']}/reissue/", **ZH).status_code == 409

    # Until the new version is issued the old one stands.
    listed = {d["id"]: d for d in clerk.get(f"/api/disputes/{demo.pk}/documents/", **ZH).json()}
    assert listed[first["id"]]["status"] == "issued"
    assert listed[first["id"]]["superseded_by"] == second["id"]
    assert listed[second["id"]]["status"] == "draft"

    corrected = "经审查，该申请符合受理条件，本中心决定予以受理（更正）。"
    response = clerk.patch(
        f"/api/documents/{second['id']}/", {"fields": {"body": corrected}}, format="json", **ZH
    )
    assert response.status_code == 200
    second = issued(clerk, second["id"], django_capture_on_commit_callbacks)

    listed = {d["id"]: d for d in clerk.get(f"/api/disputes/{demo.pk}/documents/", **ZH).json()}
    assert listed[first["id"]]["status"] == "superseded"
    assert listed[second["id"]]["status"] == "issued"
    assert listed[second["id"]]["number"] == first["number"]  # a correction keeps the number
    assert listed[second["id"]]["fields"]["body"] == corrected
    assert listed[first["id"]]["fields"] == first["fields"]
    # The superseded version is kept, with its file, and still served.
    assert download(clerk, first["id"])[1] == first_pdf
    _, second_pdf = download(clerk, second["id"])
    assert hashlib.sha256(second_pdf).hexdigest() == second["sha256"] != first["sha256"]
    # Only the current version is re-issued.
    assert clerk.post(f"/api/documents/{first['id']}/reissue/", **ZH).status_code == 409


def test_retry_after_a_failed_render(api_client, demo, django_capture_on_commit_callbacks, monkeypatch):
    clerk = client_for(api_client, "clerk")
    draft = drafted(clerk, demo)
    assert clerk.post(f"/api/documents/{draft['id']}/retry/", **ZH).status_code == 409

    def broken(html):
        raise OSError("字体文件缺失")

    monkeypatch.setattr("documents.services.render_pdf", broken)
    with django_capture_on_commit_callbacks(execute=True):
        clerk.post(f"/api/documents/{draft['id']}/issue/", **ZH)
    failed = clerk.get(f"/api/documents/{draft['id']}/", **ZH).json()
    assert (failed["status"], failed["render_state"]) == ("issuing", "failed")
    assert "字体文件缺失" in failed["render_error"]
    assert clerk.get(f"/api/documents/{draft['id']}/pdf/", **ZH).status_code == 404

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(f"/api/documents/{draft['id']}/retry/", **ZH)
    assert response.status_code == 202
    assert response.json()["render_state"] == "queued"
    detail = clerk.get(f"/api/documents/{draft['id']}/", **ZH).json()
    assert detail["status"] == "issued" and detail["number"] == failed["number"]


def test_input_is_checked(api_client, demo, django_capture_on_commit_callbacks):
    clerk = client_for(api_client, "clerk")
    url = f"/api/disputes/{demo.pk}/documents/"
    before = Document.objects.count()

    response = clerk.post(url, {"doc_type": "love_letter"}, format="json", **ZH)
    assert response.status_code == 400 and "doc_type" in response.json()
    response = clerk.post(
        url, {"doc_type": "acceptance_notice", "fields": {"motto": "x"}}, format="json", **ZH
    )
    assert response.status_code == 400 and "fields.motto" in response.json()
    assert Document.objects.count() == before

    draft = drafted(clerk, demo)
    response = clerk.patch(f"/api/documents/{draft['id']}/", {"fields": {"motto": "x"}}, format="json", **ZH)
    assert response.status_code == 400 and "fields.motto" in response.json()
    response = clerk.patch(f"/api/documents/{draft['id']}/", {"fields": "正文"}, format="json", **ZH)
    assert response.status_code == 400

    # A required field left empty: not issued, and no number taken.
    clerk.patch(f"/api/documents/{draft['id']}/", {"fields": {"addressee": ""}}, format="json", **ZH)
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(f"/api/documents/{draft['id']}/issue/", **ZH)
    assert response.status_code == 400 and "addressee" in response.json()
    document = Document.objects.get(pk=draft["id"])
    assert (document.status, document.number) == ("draft", "")


def test_no_put_or_delete(api_client, demo):
    clerk = client_for(api_client, "clerk")
    draft = drafted(clerk, demo)
    url = f"/api/documents/{draft['id']}/"
    assert clerk.put(url, {"fields": {"body": "x"}}, format="json", **ZH).status_code == 405
    assert clerk.delete(url, **ZH).status_code == 405
    assert Document.objects.get(pk=draft["id"]).fields == draft["fields"]


def _every_request(client, case_id, document_id):
    """Every operation of the API on one case and one of its documents, as (name, response)."""
    doc = f"/api/documents/{document_id}/"
    return [
        ("list", client.get(f"/api/disputes/{case_id}/documents/", **ZH)),
        (
            "create",
            client.post(
                f"/api/disputes/{case_id}/documents/", {"doc_type": "acceptance_notice"}, format="json", **ZH
            ),
        ),
        ("detail", client.get(doc, **ZH)),
        ("update", client.patch(doc, {"fields": {"body": "x"}}, format="json", **ZH)),
        ("pdf", client.get(f"{doc}pdf/", **ZH)),
        ("issue", client.post(f"{doc}issue/", **ZH)),
        ("retry", client.post(f"{doc}retry/", **ZH)),
        ("reissue", client.post(f"{doc}reissue/", **ZH)),
    ]


@pytest.mark.parametrize(
    "username",
    [
        "police",  # another agency's liaison
        "yunyang",  # a clerk of the neighbouring district's centre
        "committee",  # reports only, no case records
    ],
)
def test_out_of_reach_is_not_found(api_client, demo, username, django_capture_on_commit_callbacks):
    clerk = client_for(api_client, "clerk")
    document = issued(clerk, drafted(clerk, demo)["id"], django_capture_on_commit_callbacks)
    before = list(Document.objects.values().order_by("pk"))

    outsider = client_for(api_client, username)
    answers = {
        name: response.status_code for name, response in _every_request(outsider, demo.pk, document["id"])
    }

    assert answers == dict.fromkeys(answers, 404)
    assert list(Document.objects.values().order_by("pk")) == before


def test_a_missing_document_is_not_found(api_client, demo):
    clerk = client_for(api_client, "clerk")
    assert clerk.get("/api/documents/999999/", **ZH).status_code == 404
    assert clerk.get("/api/documents/999999/pdf/", **ZH).status_code == 404
    assert clerk.get("/api/disputes/999999/documents/", **ZH).status_code == 404


def test_the_agency_reads_but_does_not_write(api_client, demo, django_capture_on_commit_callbacks):
    clerk = client_for(api_client, "clerk")
    document = issued(clerk, drafted(clerk, demo)["id"], django_capture_on_commit_callbacks)
    _, pdf = download(clerk, document["id"])
    before = list(Document.objects.values().order_by("pk"))

    liaison = client_for(api_client, "liaison")
    answers = dict(_every_request(liaison, demo.pk, document["id"]))

    assert {name: r.status_code for name, r in answers.items()} == {
        "list": 200,
        "create": 403,
        "detail": 200,
        "update": 403,
        "pdf": 200,
        "issue": 403,
        "retry": 403,
        "reissue": 403,
    }
    assert document["id"] in [d["id"] for d in answers["list"].json()]
    assert answers["detail"].json()["sha256"] == document["sha256"]
    assert b"".join(answers["pdf"].streaming_content) == pdf
    assert answers["create"].json() == {"detail": zh("Your role may not draft or issue documents.")}
    assert list(Document.objects.values().order_by("pk")) == before


def test_the_list_does_not_query_per_document(api_client, demo):
    clerk = client_for(api_client, "clerk")
    url = f"/api/disputes/{demo.pk}/documents/"
    drafted(clerk, demo)
    with CaptureQueriesContext(connection) as one:
        assert clerk.get(url, **ZH).status_code == 200
    for doc_type in ("correction_notice", "rejection_decision", "acceptance_notice"):
        drafted(clerk, demo, doc_type)
    with CaptureQueriesContext(connection) as four:
        assert len(clerk.get(url, **ZH).json()) == 4
    assert len(four) == len(one)


def test_the_schema_describes_the_endpoints(tmp_path):
    path = tmp_path / "schema.yml"
    GENERATOR_STATS.reset()  # warnings of an earlier generation in this process are not ours
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    paths = yaml.safe_load(path.read_text())["paths"]
    assert set(paths["/api/disputes/{subject_id}/documents/"]) >= {"get", "post"}
    assert set(paths["/api/documents/{id}/"]) >= {"get", "patch"}
    assert not {"put", "delete"} & set(paths["/api/documents/{id}/"])
    for action in ("issue", "retry", "reissue"):
        assert "post" in paths[f"/api/documents/{{id}}/{action}/"]
    assert "application/pdf" in paths["/api/documents/{id}/pdf/"]["get"]["responses"]["200"]["content"]
