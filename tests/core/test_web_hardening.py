"""Web hardening: the Content-Security-Policy, no caching of personal data, the API's schema for
signed-in users only, uploads checked by their content (docs/security.md, "Web hardening")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from documents.services import document_draft_create
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
    token = Token.objects.create(user=county.clerk)
    by_token = APIClient().get(
        "/api/schema/", HTTP_ACCEPT="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )
    assert by_token.status_code == 200 and by_token.json()["openapi"].startswith("3.")
    client = client_for(county.clerk)
    assert client.get("/api/schema/", HTTP_ACCEPT="application/json").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and "swagger-ui" in docs.content.decode()
