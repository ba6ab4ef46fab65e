"""The documents services guard themselves, as disputes' do: an actor who cannot see the case gets the
same not-found the pages and the API give, and a role that does not draft documents is refused — with
nothing written either way."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from core.models import NumberSequence
from core.roles import Role
from documents import selectors
from documents.models import Document, DocumentStatus, RenderState
from documents.services import (
    document_draft_create,
    document_draft_update,
    document_issue,
    document_reissue,
    document_retry,
)
from documents.types import DocumentType
from tests.disputes.factories import County
from tests.factories import OrganisationFactory, county, user_with_role

pytestmark = pytest.mark.django_db

DOCUMENTS = Path(__file__).resolve().parents[2] / "documents"


@pytest.fixture
def c():
    return County()


@pytest.fixture
def case(c):
    return c.register()


@pytest.fixture
def foreign(c):
    """A clerk of another county's centre: may draft documents, but not about this case."""
    centre = OrganisationFactory(kind="centre", region=county("竹山县"))
    return user_with_role(Role.CENTRE_CLERK, organisation=centre)


def snapshot(document: Document) -> tuple:
    document.refresh_from_db()
    return (document.status, document.fields, document.number, document.render_state, document.version)


def test_out_of_reach_actor_gets_not_found_from_every_service(
    c, case, foreign, django_capture_on_commit_callbacks
):
    with pytest.raises(Http404):
        document_draft_create(actor=foreign, subject=case, doc_type=DocumentType.ACCEPTANCE_NOTICE)
    assert not Document.objects.exists()

    draft = document_draft_create(actor=c.clerk, subject=case, doc_type=DocumentType.ACCEPTANCE_NOTICE)
    before = snapshot(draft)
    with pytest.raises(Http404):
        document_draft_update(document_id=draft.pk, actor=foreign, fields={"body": "改写。"})
    with pytest.raises(Http404):
        document_issue(document_id=draft.pk, actor=foreign)
    assert snapshot(draft) == before
    assert not NumberSequence.objects.filter(series__startswith="doc:").exists()

    with django_capture_on_commit_callbacks(execute=True):
        document_issue(document_id=draft.pk, actor=c.clerk)
    issued = snapshot(draft)
    assert issued[0] == DocumentStatus.ISSUED
    Document.objects.filter(pk=draft.pk).update(
        status=DocumentStatus.ISSUING, render_state=RenderState.FAILED
    )
    failed = snapshot(draft)
    with pytest.raises(Http404):
        document_retry(document_id=draft.pk, actor=foreign)
    assert snapshot(draft) == failed
    Document.objects.filter(pk=draft.pk).update(status=DocumentStatus.ISSUED, render_state=RenderState.DONE)
    with pytest.raises(Http404):
        document_reissue(document_id=draft.pk, actor=foreign)
    assert Document.objects.count() == 1


def test_a_role_that_does_not_draft_is_refused_by_every_service(c, case):
    # The respondent's liaison sees the case (it is their agency's) but does not draft documents.
    assert (
        selectors.document_list(
            subject=selectors.subject_get(user=c.liaison, label="disputes.dispute", pk=case.pk)[1]
        ).count()
        == 0
    )
    with pytest.raises(PermissionDenied):
        document_draft_create(actor=c.liaison, subject=case, doc_type=DocumentType.ACCEPTANCE_NOTICE)
    draft = document_draft_create(actor=c.clerk, subject=case, doc_type=DocumentType.ACCEPTANCE_NOTICE)
    before = snapshot(draft)
    for service, kwargs in (
        (document_draft_update, {"fields": {"body": "改写。"}}),
        (document_issue, {}),
        (document_retry, {}),
        (document_reissue, {}),
    ):
        with pytest.raises(PermissionDenied):
            service(document_id=draft.pk, actor=c.liaison, **kwargs)
    assert snapshot(draft) == before and Document.objects.count() == 1


def test_selectors_scope_a_document_by_its_case(c, case, foreign):
    draft = document_draft_create(actor=c.clerk, subject=case, doc_type=DocumentType.ACCEPTANCE_NOTICE)
    document, _adapter, subject = selectors.document_get(user=c.liaison, pk=draft.pk)
    assert (document, subject) == (draft, case)
    with pytest.raises(Http404):
        selectors.document_get(user=foreign, pk=draft.pk)
    with pytest.raises(Http404):
        selectors.document_get(user=c.clerk, pk=draft.pk + 1000)
    with pytest.raises(Http404):
        selectors.subject_get(user=c.clerk, label="disputes.nothing", pk=case.pk)


# Import cycles and layering (documents knows no case) are checked for the whole project in
# tests/test_structure.py.
