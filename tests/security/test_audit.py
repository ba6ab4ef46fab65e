"""The audit log: what it records, that it cannot be changed, and who reads it (三权分立)."""

import io

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from core.roles import Role
from security import audit
from security.models import AuditEntry
from tests.disputes.factories import County, resident_id
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def c():
    county = County()
    county.case = county.register()
    return county


def _client(user, ip="10.0.0.7"):
    client = Client(REMOTE_ADDR=ip)
    client.force_login(user)
    return client


def test_refusals_downloads_transitions_and_changes_are_recorded(c):
    # A refusal: another agency's liaison asks for the case (404, as if it did not exist).
    outsider = _client(c.other_liaison, ip="10.0.0.9")
    assert outsider.get(c.case.get_absolute_url()).status_code == 404
    refused = AuditEntry.objects.get(action="refused", user=c.other_liaison)
    assert (refused.result, refused.ip, refused.path, refused.detail) == (
        "refused",
        "10.0.0.9",
        c.case.get_absolute_url(),
        {"status": 404},
    )
    # 403: a liaison on the list export's owner-only page is not the point; a committee page is.
    assert outsider.get(reverse("audit-log")).status_code == 403
    assert AuditEntry.objects.filter(action="refused", user=c.other_liaison, detail__status=403).exists()

    clerk = _client(c.clerk)
    # A download.
    assert clerk.get(reverse("disputes:export")).status_code == 200
    export = AuditEntry.objects.get(action="exported", user=c.clerk)
    assert export.path == reverse("disputes:export") and export.detail["file"].endswith(".xlsx")
    # Every transition, the registration first.
    moved = AuditEntry.objects.filter(action="transition", object_id=str(c.case.pk))
    assert moved.filter(user=c.clerk, detail__action="register", detail__to="registered").exists()
    # A data change made in a request: the record and its fields, never their values.
    note = clerk.post(
        reverse("disputes:note-add", args=[c.case.pk]), {"text": f"申请人身份证 {resident_id()}"}
    )
    assert note.status_code in (200, 302)
    created = AuditEntry.objects.filter(action="created", object_type="disputes.note", user=c.clerk)
    assert created.exists()
    assert not AuditEntry.objects.filter(object_label__contains=resident_id()).exists()


def test_document_issuing_is_recorded(c):
    from documents.services import document_draft_create, document_issue
    from documents.types import DocumentType

    document = document_draft_create(actor=c.clerk, subject=c.case, doc_type=DocumentType.ACCEPTANCE_NOTICE)
    document_issue(document_id=document.pk, actor=c.clerk)
    document.refresh_from_db()
    entry = AuditEntry.objects.get(action="document_issued", object_id=str(document.pk))
    assert entry.user == c.clerk and entry.object_label == document.number


def test_the_log_refuses_updates_and_deletes():
    entry = audit.record("sign_in", username="clerk")
    entry.username = "someone-else"
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(username="x")
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="The database's own refusal is PostgreSQL's.")
def test_the_database_refuses_update_and_delete_of_the_log():
    entry = audit.record("sign_in", username="clerk")
    for sql in (
        "UPDATE security_auditentry SET username = 'forged' WHERE id = %s",
        "DELETE FROM security_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).username == "clerk"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT has_table_privilege(current_user, 'security_auditentry', 'UPDATE'),"
            " has_table_privilege(current_user, 'security_auditentry', 'INSERT')"
        )
        can_update, can_insert = cursor.fetchone()
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        (superuser,) = cursor.fetchone()
    assert can_insert and (superuser or not can_update)


def test_only_the_audit_administrator_reads_and_exports_the_log(c):
    auditor = user_with_role(Role.AUDIT_ADMINISTRATOR, organisation=c.bureau)
    security = user_with_role(Role.SECURITY_ADMINISTRATOR, organisation=c.bureau)
    admin = user_with_role(Role.ADMINISTRATOR, organisation=c.bureau, is_staff=True, is_superuser=True)
    Client().post(
        "/accounts/login/", {"username": c.clerk.username, "password": "wrong"}, REMOTE_ADDR="10.4.4.4"
    )
    for user in (admin, security, c.clerk):
        assert _client(user).get(reverse("audit-log")).status_code == 403
        assert _client(user).get(reverse("audit-export")).status_code == 403
    reader = _client(auditor)
    page = reader.get(reverse("audit-log"), {"user": c.clerk.username.upper(), "action": "sign_in_failed"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "10.4.4.4" in html and "登录失败" in html
    # The audit administrator sees no case and no directory.
    assert reader.get(c.case.get_absolute_url()).status_code == 404
    assert reader.get(reverse("disputes:list")).status_code == 403
    response = reader.get(reverse("audit-export"), {"action": "sign_in_failed"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "时间" and any("10.4.4.4" in (r[4] or "") for r in rows[1:])
    # The export is itself recorded.
    assert AuditEntry.objects.filter(action="exported", user=auditor).exists()
    # Bad filters change nothing and say why.
    page = reader.get(reverse("audit-log"), {"since": "2026-12-02", "until": "2026-12-01"})
    assert "开始日期晚于结束日期" in page.content.decode()


def test_the_security_administrator_unlocks_an_account(c):
    security = user_with_role(Role.SECURITY_ADMINISTRATOR, organisation=c.bureau)
    for _ in range(5):
        Client().post("/accounts/login/", {"username": c.clerk.username, "password": "wrong"})
    locked = Client().post("/accounts/login/", {"username": c.clerk.username, "password": "pass-word-123"})
    assert locked.status_code == 429
    desk = _client(security)
    page = desk.get(reverse("security-desk"))
    assert c.clerk.username in page.content.decode()
    desk.post(reverse("security-desk"), {"form": "unlock", "username": c.clerk.username})
    assert AuditEntry.objects.filter(action="unlocked", user=security, object_label=c.clerk.username).exists()
    ok = Client().post("/accounts/login/", {"username": c.clerk.username, "password": "pass-word-123"})
    assert ok.status_code == 302
    assert _client(c.clerk).get(reverse("security-desk")).status_code == 403


def test_the_audit_log_on_the_api(c, api_client):
    auditor = user_with_role(Role.AUDIT_ADMINISTRATOR, organisation=c.bureau)
    # A refusal on the API is recorded too: another agency asks for the case.
    api_client.force_authenticate(c.other_liaison)
    assert api_client.get(f"/api/disputes/{c.case.pk}/").status_code == 404
    assert api_client.get("/api/audit/entries/").status_code == 403
    api_client.force_authenticate(auditor)
    response = api_client.get("/api/audit/entries/", {"action": "refused", "user": c.other_liaison.username})
    assert response.status_code == 200
    rows = response.json()["results"]
    refusals = {(r["path"], r["detail"]["status"]) for r in rows}
    assert refusals == {(f"/api/disputes/{c.case.pk}/", 404), ("/api/audit/entries/", 403)}
    bad = api_client.get(
        "/api/audit/entries/", {"since": "2026-12-02", "until": "2026-12-01", "colour": "red"}
    )
    assert bad.status_code == 400 and "colour" in bad.json()
