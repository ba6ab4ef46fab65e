"""Stored files (evidence uploads, issued PDFs) leave the server only through views that check reach.

The files are on disk here (a real FileSystemStorage under a temporary MEDIA_ROOT), and the URL
configuration is built both with DEBUG off and with DEBUG on (as under ``make run``), because Django's
development helper would otherwise serve MEDIA_ROOT to anyone at predictable paths.
"""

from __future__ import annotations

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import clear_url_caches, reverse

from core.roles import Role
from disputes.services import attachment_add
from documents.models import Document
from documents.services import document_draft_create, document_issue
from documents.types import DocumentType
from tests.disputes.factories import County
from tests.factories import county as other_county
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

EVIDENCE = b"%PDF-1.4 evidence of the applicant's house"


def _build_urls() -> None:
    import config.urls

    importlib.reload(config.urls)  # urls.py reads DEBUG when it is imported
    clear_url_caches()


@pytest.fixture(params=[False, True], ids=["debug-off", "debug-on"])
def debug(request, settings, stored):
    # After `stored`: the URLs are built with the MEDIA_ROOT that really holds the files.
    settings.DEBUG = request.param
    _build_urls()
    yield request.param
    settings.DEBUG = False
    _build_urls()


@pytest.fixture
def stored(tmp_path, settings, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    c = County()
    case = c.register()
    attachment = attachment_add(
        dispute_id=case.pk,
        actor=c.clerk,
        upload=SimpleUploadedFile("证据.pdf", EVIDENCE, content_type="application/pdf"),
    )
    draft = document_draft_create(actor=c.clerk, subject=case, doc_type=DocumentType.ACCEPTANCE_NOTICE)
    with django_capture_on_commit_callbacks(execute=True):
        document_issue(document_id=draft.pk, actor=c.clerk)
    document = Document.objects.get(pk=draft.pk)
    assert (tmp_path / attachment.file.name).read_bytes() == EVIDENCE
    assert (tmp_path / document.file.name).exists()
    return c, case, attachment, document


def _outsiders(c: County):
    """An anonymous visitor, another agency of the same county, and a clerk of another county."""
    foreign_clerk = user_with_role(Role.CENTRE_CLERK, region=other_county("邻县", code="429999"))
    return {"anonymous": None, "other agency": c.other_liaison, "other county": foreign_clerk}


def test_media_paths_serve_nothing_to_anyone(client, debug, stored, settings):
    c, _case, attachment, document = stored
    people = {**_outsiders(c), "the case's own clerk": c.clerk}
    for who, user in people.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for name in (attachment.file.name, document.file.name):
            response = client.get(settings.MEDIA_URL + name)
            assert response.status_code == 404, (who, name, debug)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            assert EVIDENCE not in body and not body.startswith(b"%PDF")


def test_download_views_check_reach(client, api_client, debug, stored):
    c, case, attachment, document = stored
    urls = [
        reverse("disputes:attachment-download", args=[case.pk, attachment.pk]),
        reverse("documents:download", args=[document.pk]),
    ]
    api_url = reverse("api-document-pdf", args=[document.pk])
    for who, user in _outsiders(c).items():
        client.logout()
        if user is None:
            for url in urls:
                response = client.get(url)
                assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
            assert api_client.get(api_url).status_code == 401
            continue
        client.force_login(user)
        api_client.force_authenticate(user)
        for url in urls:
            assert client.get(url).status_code == 404, (who, url, debug)
        assert api_client.get(api_url).status_code == 404, (who, debug)

    # The case's clerk gets both files, through the views.
    client.force_login(c.clerk)
    response = client.get(urls[0])
    assert response.status_code == 200 and b"".join(response.streaming_content) == EVIDENCE
    response = client.get(urls[1])
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
