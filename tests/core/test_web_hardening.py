"""Web hardening: the Content-Security-Policy, no caching of personal data, the API's schema for
signed-in users only, uploads checked by their content (docs/security.md, "Web hardening")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from rest_framework.test import APIClient

from documents.services import document_draft_create
from security.tokens import token_issue
from tests.disputes.factories import County

pytestmark = pytest.mark.django_db

TEMPLATES = Path(django_settings.BASE_DIR) / "templates"
# Rendered to PDF by WeasyPrint, never served as a page (the on-screen preview has its own policy).
PDF_ONLY = TEMPLATES / "documents" / "types"


@pytest.fixture
def county():
    return County()


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {d.split()[0]: d.split()[1:] for d in (p.strip() for p in header.split(";")) if d}


# --- Content-Security-Policy ---------------------------------------------------------------------


def test_pages_carry_a_policy_that_allows_only_our_own_scripts(county):
    case = county.register()
    response = client_for(county.clerk).get(case.get_absolute_url())
    assert response.status_code == 200
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert (
        "'unsafe-inline'" not in directives["script-src"] and "'unsafe-eval'" not in directives["script-src"]
    )
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"] and directives["form-action"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    # The login page too: it is the one an attacker would copy.
    assert policy(Client().get("/accounts/login/"))["script-src"] == ["'self'"]


def test_document_preview_alone_may_be_framed_by_our_pages_and_keeps_scripts_strict(county):
    case = county.register()
    draft = document_draft_create(actor=county.clerk, subject=case, doc_type="acceptance_notice")
    client = client_for(county.clerk)
    preview = policy(client.get(f"/documents/{draft.pk}/preview/"))
    page = policy(client.get(f"/documents/{draft.pk}/"))
    assert preview["frame-ancestors"] == ["'self'"] and page["frame-ancestors"] == ["'none'"]
    for directives in (preview, page):
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'", "'unsafe-inline'"]


def _served_templates() -> list[Path]:
    return [p for p in TEMPLATES.rglob("*.html") if PDF_ONLY not in p.parents]


def test_no_template_has_inline_script_or_handler_attributes():
    """Everything under templates/ except the PDF-only document types: no <script> without src (a
    json_script element is made at run time, so it is not in the sources), no on…= handler, no
    javascript: address and no style attribute."""
    templates = _served_templates()
    assert len(templates) > 50  # the scan reads the real folder
    found = []
    for path in templates:
        source = path.read_text(encoding="utf-8")
        name = path.relative_to(TEMPLATES)
        found += [
            f"{name}: {tag}" for tag in re.findall(r"<script\b[^>]*>", source, re.I) if "src=" not in tag
        ]
        found += [f"{name}: {m}" for m in re.findall(r"""\son[a-z]+\s*=\s*["']""", source, re.I)]
        found += [f"{name}: javascript:" for _ in re.findall(r"javascript:", source, re.I)]
        found += [f"{name}: {m}" for m in re.findall(r"""\sstyle\s*=\s*["']""", source, re.I)]
    assert found == []


def test_api_docs_page_loads_its_script_from_a_url(county):
    body = client_for(county.clerk).get("/api/docs/").content.decode()
    tags = re.findall(r"<script\b[^>]*>", body)
    assert tags and all("src=" in tag for tag in tags)
    assert "<style" not in body
    script = client_for(county.clerk).get("/api/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "SwaggerUIBundle" in script.content.decode()


# --- no caching of personal data -------------------------------------------------------------------


def test_case_pages_and_api_answers_are_not_stored_static_files_are(county, api_client):
    case = county.register()
    page = client_for(county.clerk).get(case.get_absolute_url())
    assert page["Cache-Control"] == "no-store" and page["Pragma"] == "no-cache"

    api_client.force_authenticate(county.clerk)
    answer = api_client.get(f"/api/disputes/{case.pk}/")
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    # An anonymous API answer (a refusal) is not kept either.
    assert APIClient().get("/api/disputes/")["Cache-Control"] == "no-store"


def test_a_view_that_chose_its_own_caching_keeps_it(county):
    # The document faces (no personal data) are kept a year.
    face = client_for(county.clerk).get("/documents/fonts/NotoSansSC-Regular.otf")
    assert face.status_code == 200 and face["Cache-Control"] == "private, max-age=31536000, immutable"


def test_static_files_stay_cacheable(county, settings):
    """WhiteNoise answers static files before the middleware: the browser may keep them, even for a
    signed-in user."""
    settings.WHITENOISE_USE_FINDERS = True  # serve from static/ without collectstatic (read per Client)
    settings.WHITENOISE_AUTOREFRESH = True
    response = client_for(county.clerk).get("/static/js/huajie.js")
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=") and "no-store" not in response["Cache-Control"]


# --- the API's schema and documentation for signed-in users only ---------------------------------


def test_schema_and_docs_are_refused_to_anonymous_visitors():
    schema = APIClient().get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 401 and "openapi" not in schema.content.decode()
    assert schema["WWW-Authenticate"].startswith("Token")
    for url in ("/api/docs/", "/api/docs/?script="):
        page = Client().get(url)
        assert page.status_code == 302 and page["Location"].startswith("/accounts/login/?next=/api/docs/")
    assert APIClient().get("/api/schema/", HTTP_AUTHORIZATION="Token nonsense").status_code == 401


def test_schema_and_docs_are_served_to_a_signed_in_user(county):
    token = token_issue(user=county.clerk)[1]
    by_token = APIClient().get(
        "/api/schema/", HTTP_ACCEPT="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert by_token.status_code == 200 and by_token.json()["openapi"].startswith("3.")
    client = client_for(county.clerk)
    assert client.get("/api/schema/", HTTP_ACCEPT="application/json").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and "swagger-ui" in docs.content.decode()


# --- uploads checked by their content -----------------------------------------------------------

HTML_PAGE = b"<!DOCTYPE html><html><body><script>fetch('/api/me/')</script></body></html>"


def _upload(client, case, name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(
        f"/disputes/{case.pk}/attachments/",
        {"file": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_a_web_page_renamed_pdf_is_refused_and_nothing_is_saved(county):
    from django.utils.translation import gettext, override

    from disputes.models import Attachment

    case = county.register()
    response = _upload(client_for(county.clerk), case, "申请书.pdf", HTML_PAGE)
    assert response.status_code == 200
    with override("zh-hans"):
        message = gettext(
            "The content of this file does not match its type (.%(extension)s): it may have been "
            "renamed or damaged. Nothing was attached."
        ) % {"extension": "pdf"}
    assert "文件内容" in message and message in response.content.decode()
    assert Attachment.objects.count() == 0 and not case.events.filter(action="attach").exists()


def test_a_real_pdf_is_attached_and_downloaded_as_a_file(county):
    from disputes.models import Attachment

    case = county.register()
    client = client_for(county.clerk)
    pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
    assert _upload(client, case, "申请书.pdf", pdf).status_code == 302
    attachment = Attachment.objects.get()
    response = client.get(f"/disputes/{case.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_download_is_never_sent_as_html_whatever_was_stored(county):
    """An attachment stored before the check (or claimed as text/html by the browser) still leaves as
    a download of its extension's kind."""
    from django.core.files.base import ContentFile

    from disputes.models import Attachment

    case = county.register()
    attachment = Attachment(
        dispute=case,
        original_name="说明.txt",
        size=len(HTML_PAGE),
        content_type="text/html",
        uploaded_by=county.clerk,
    )
    attachment.file.save("说明.txt", ContentFile(HTML_PAGE), save=True)
    response = client_for(county.clerk).get(f"/disputes/{case.pk}/attachments/{attachment.pk}/")
    assert response["Content-Type"] == "text/plain" and "html" not in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def _zip(*names: str) -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name in names:
            package.writestr(name, "<x/>")
    return buffer.getvalue()


OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64


@pytest.mark.parametrize(
    ("extension", "content", "accepted"),
    [
        ("pdf", b"%PDF-1.4 x", True),
        ("pdf", HTML_PAGE, False),
        ("png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, True),
        ("png", b"%PDF-1.4", False),
        ("jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 16, True),
        ("jpeg", b"\xff\xd8\xff\xe1" + b"\x00" * 16, True),
        ("jpg", b"\x89PNG\r\n\x1a\n", False),
        ("doc", OLE2, True),
        ("xls", OLE2, True),
        ("doc", _zip("word/document.xml"), False),
        ("docx", _zip("[Content_Types].xml", "word/document.xml"), True),
        ("docx", _zip("xl/workbook.xml"), False),
        ("xlsx", _zip("[Content_Types].xml", "xl/workbook.xml"), True),
        ("ofd", _zip("OFD.xml", "Doc_0/Document.xml"), True),
        ("ofd", b"PK\x03\x04 not really a zip", False),
        ("txt", "申请人：王大山\n请求撤销补偿决定。".encode(), True),
        ("txt", "申请人：王大山".encode("gb18030"), True),
        ("txt", "\ufeff申请人".encode(), True),
        ("txt", b"  \n<html><body>x</body></html>", False),
        ("txt", "\ufeff<!doctype html>".encode(), False),
        ("txt", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", False),
        ("txt", b"note\n<script>alert(1)</script>", False),
        ("txt", b"\x00\x01\x02binary", False),
        ("exe", b"MZ", False),
    ],
)
def test_content_must_match_the_extension(extension, content, accepted):
    import io

    from core.uploads import content_matches

    upload = io.BytesIO(content)
    assert content_matches(upload, extension) is accepted
    assert upload.tell() == 0  # left at its start for the storage to save


def test_the_server_error_page_stands_alone_and_only_its_style_is_inline(client, settings):
    """500.html needs no static file (it must show whatever else is broken); its own <style> is allowed
    on that page alone, scripts stay 'self'."""
    from django.urls import path

    def crash(request):
        raise RuntimeError("boom")

    settings.ROOT_URLCONF = type(
        "Urls", (), {"urlpatterns": [path("crash/", crash)], "handler500": "config.urls.handler500"}
    )
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500 and "系统出现错误" in response.content.decode()
    assert (
        "{% static" not in (TEMPLATES / "500.html").read_text()
        and "/static/" not in response.content.decode()
    )
    directives = policy(response)
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"] and directives["script-src"] == ["'self'"]
