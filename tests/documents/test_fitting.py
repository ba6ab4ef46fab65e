"""The documents card offers the types that fit the case's stage first, the others behind "more"; the
new-document page says when a type does not fit the stage. The mapping is the disputes adapter's."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from disputes.choices import ClosingReason, Status
from disputes.documents import FITTING_TYPES, fitting_types
from disputes.models import Dispute
from documents.types import DRAFTABLE
from documents.types import DocumentType as T
from tests.disputes.factories import County

pytestmark = pytest.mark.django_db


@pytest.fixture
def c():
    return County()


def offered(client: Client, case: Dispute) -> tuple[list[str], list[str]]:
    """(the types in the card's select, the types behind "more"), in page order."""
    page = client.get(reverse("disputes:detail", args=[case.pk])).content.decode()
    select = re.search(r'<select name="doc_type"[^>]*>(.*?)</select>', page, re.S)
    more = re.search(r'data-testid="document-more">(.*?)</details>', page, re.S)
    return (
        re.findall(r'<option value="([a-z_]+)"', select.group(1)) if select else [],
        re.findall(r'data-doc-type="([a-z_]+)"', more.group(1)) if more else [],
    )


def at(case: Dispute, status: str, **fields) -> Dispute:
    Dispute.objects.filter(pk=case.pk).update(status=status, **fields)
    return Dispute.objects.get(pk=case.pk)


def test_every_status_has_its_fitting_types():
    assert set(FITTING_TYPES) == set(Status.values)
    assert all(t in T.values for types in FITTING_TYPES.values() for t in types)


def test_the_card_offers_the_stage_types_first_and_the_rest_behind_more(c):
    client = Client()
    client.force_login(c.clerk)
    case = c.register()

    first, more = offered(client, case)
    assert first == [T.ACCEPTANCE_NOTICE, T.CORRECTION_NOTICE, T.REJECTION_DECISION]
    assert sorted(first + more) == sorted(DRAFTABLE) and not set(first) & set(more)
    assert T.HEARING_NOTICE in more

    first, more = offered(client, at(case, Status.RECON_HEARING))
    assert first == [T.HEARING_NOTICE, T.HEAD_ATTENDANCE_NOTICE]
    assert T.ACCEPTANCE_NOTICE in more and T.HEARING_NOTICE not in more

    # An agency that won has no loss to analyse.
    assert T.LOSS_ANALYSIS_REPORT not in fitting_types(at(case, Status.LIT_DECIDED, agency_lost=False))
    assert fitting_types(at(case, Status.LIT_DECIDED, agency_lost=True)) == [T.LOSS_ANALYSIS_REPORT]

    # A closed case: its own last document, else every type in the list and nothing hidden.
    assert fitting_types(at(case, Status.CLOSED, closing_reason=ClosingReason.CONFIRMED)) == [T.CONFIRMATION]
    first, more = offered(client, at(case, Status.CLOSED, closing_reason=ClosingReason.WITHDRAWN))
    assert sorted(first) == sorted(DRAFTABLE) and more == []


def test_a_user_who_does_not_draft_is_offered_nothing(c):
    client = Client()
    client.force_login(c.liaison)
    assert offered(client, c.register()) == ([], [])


def test_the_new_document_page_says_when_a_type_does_not_fit_the_stage(c):
    client = Client()
    client.force_login(c.clerk)
    case = c.register()

    def page(doc_type: str) -> str:
        response = client.get(reverse("documents:new", args=["disputes.dispute", case.pk, doc_type]))
        assert response.status_code == 200
        return response.content.decode()

    assert 'data-testid="not-fitting-stage"' not in page(T.ACCEPTANCE_NOTICE)
    unfitting = page(T.HEARING_NOTICE)
    assert 'data-testid="not-fitting-stage"' in unfitting
    # …with links to the types that do fit.
    assert reverse("documents:new", args=["disputes.dispute", case.pk, T.ACCEPTANCE_NOTICE]) in unfitting
