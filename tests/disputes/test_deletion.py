"""A case is a legal record: nothing deletes it or rewrites it behind the services.

The database refuses to delete a case that has a timeline, parties, stage rows, files, notes or a
series (``on_delete=PROTECT``); the admin offers no delete and no "revert"; the API has no DELETE.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override

from core.roles import Role
from disputes.models import (
    Attachment,
    Dispute,
    DisputeEvent,
    DisputeSeries,
    MediatorAssignment,
    Note,
    Party,
    Resolution,
    ResolutionSession,
)
from disputes.services import attachment_add, dispute_transition, note_add, series_create
from documents.models import Document
from documents.services import document_draft_create
from tests.disputes.factories import County
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def zh(msgid: str) -> str:
    with override("zh-hans"):
        return gettext(msgid)


RECORDS = [
    Dispute,
    Party,
    DisputeEvent,
    Resolution,
    ResolutionSession,
    MediatorAssignment,
    Attachment,
    Note,
    DisputeSeries,
    Document,
]


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in RECORDS}


@pytest.fixture
def county():
    return County()


@pytest.fixture
def full_case(county, settings, tmp_path):
    """A case with a record of every kind: parties, timeline, a resolution with a session and a
    mediator, a note, a file, a series and a drafted document."""
    settings.MEDIA_ROOT = tmp_path
    d = county.register()
    other = county.register(applicant="李四", act_date=date(2026, 1, 16))
    for case in (d, other):
        dispute_transition(
            dispute_id=case.pk, action="accept", actor=county.clerk, data={"accepted_on": "2026-03-03"}
        )
    dispute_transition(
        dispute_id=d.pk,
        action="assign_mediators",
        actor=county.clerk,
        data={"mediators": [county.mediator.pk]},
    )
    dispute_transition(
        dispute_id=d.pk,
        action="record_session",
        actor=county.mediator,
        data={"held_on": "2026-03-05", "summary": "双方到场，初步沟通"},
    )
    note_add(dispute_id=d.pk, actor=county.clerk, text="申请人来电询问进度")
    attachment_add(
        dispute_id=d.pk,
        actor=county.clerk,
        upload=SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
    )
    series_create(actor=county.clerk, name="土门镇征收系列", lead_id=d.pk, member_ids=[other.pk])
    document_draft_create(actor=county.clerk, subject=d, doc_type="acceptance_notice")
    d.refresh_from_db()
    return d


def test_the_case_has_a_record_of_every_kind(full_case):
    # Guards the tests below: each kind of record is really there to be protected.
    assert all(_counts()[model.__name__] for model in RECORDS), _counts()


def test_deleting_a_case_with_records_is_refused_and_removes_nothing(full_case):
    before = _counts()
    with pytest.raises(ProtectedError):
        Dispute.objects.get(pk=full_case.pk).delete()
    with pytest.raises(ProtectedError):
        Dispute.objects.filter(pk=full_case.pk).delete()
    assert _counts() == before


@pytest.mark.parametrize(
    "model",
    [Party, DisputeEvent, Resolution, MediatorAssignment, Attachment, Note],
    ids=lambda m: m.__name__,
)
def test_each_kind_of_record_protects_the_case_on_its_own(county, settings, tmp_path, model):
    """Every link to the case is PROTECT, not only the first one the collector happens to meet."""
    settings.MEDIA_ROOT = tmp_path
    d = county.register()
    dispute_transition(
        dispute_id=d.pk, action="accept", actor=county.clerk, data={"accepted_on": "2026-03-03"}
    )
    dispute_transition(
        dispute_id=d.pk,
        action="assign_mediators",
        actor=county.clerk,
        data={"mediators": [county.mediator.pk]},
    )
    note_add(dispute_id=d.pk, actor=county.clerk, text="备注")
    attachment_add(
        dispute_id=d.pk,
        actor=county.clerk,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4", content_type="application/pdf"),
    )
    with pytest.raises(ProtectedError) as refused:
        d.delete()
    assert any(isinstance(obj, model) for obj in refused.value.protected_objects)


def test_a_series_with_members_cannot_be_deleted(full_case):
    with pytest.raises(ProtectedError):
        DisputeSeries.objects.get(pk=full_case.series_id).delete()
    assert Dispute.objects.get(pk=full_case.pk).series_id is not None


# --- the admin -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client(county):
    # The county's administrator: the superuser flag opens the admin, the role gives the reach.
    superuser = user_with_role(
        Role.ADMINISTRATOR, organisation=county.centre, is_staff=True, is_superuser=True
    )
    client = Client()
    client.force_login(superuser)
    return client


def test_the_admin_offers_no_delete_of_a_case(admin_client, full_case):
    before = _counts()
    changelist = reverse("admin:disputes_dispute_changelist")
    page = admin_client.get(changelist)
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
    response = admin_client.post(
        changelist, {"action": "delete_selected", "_selected_action": [full_case.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302, 403)
    delete_url = reverse("admin:disputes_dispute_delete", args=[full_case.pk])
    assert admin_client.get(delete_url).status_code == 403
    assert admin_client.post(delete_url, {"post": "yes"}).status_code == 403
    change = admin_client.get(reverse("admin:disputes_dispute_change", args=[full_case.pk]))
    assert change.status_code == 200
    assert delete_url not in change.content.decode()
    event = DisputeEvent.objects.filter(dispute=full_case).first()
    assert (
        admin_client.post(
            reverse("admin:disputes_disputeevent_delete", args=[event.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert _counts() == before


def test_a_saved_version_is_shown_read_only_and_cannot_be_reverted(admin_client, full_case):
    first = full_case.history.order_by("history_date", "history_id").first()
    assert first.status != full_case.status  # reverting would have changed the case
    url = reverse("admin:disputes_dispute_simple_history", args=[full_case.pk, first.history_id])
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert first.number in html  # the version itself is shown
    assert "<form" not in html.split('id="content-main"')[1]
    assert 'name="_save"' not in html and escape(zh("Revert")) not in html and "Revert" not in html

    history_list = admin_client.get(reverse("admin:disputes_dispute_history", args=[full_case.pk]))
    assert history_list.status_code == 200
    assert url in history_list.content.decode()  # each version is listed, to be viewed
    revert_hint = "Choose a date from the list below to revert to a previous version of this object."
    assert escape(zh(revert_hint)) not in history_list.content.decode()

    before = (full_case.status, full_case.history.count(), _counts())
    for data in ({"_save": "Revert"}, {"_change_history": "1"}, {}):
        response = admin_client.post(url, data)
        assert response.status_code == 405
    full_case.refresh_from_db()
    assert (full_case.status, full_case.history.count(), _counts()) == before


# --- the API -------------------------------------------------------------------------------------


def test_the_api_has_no_delete_of_a_case_or_its_records(api_client, county, full_case):
    api_client.force_authenticate(county.clerk)
    before = _counts()
    for path in (
        f"/api/disputes/{full_case.pk}/",
        f"/api/disputes/{full_case.pk}/events/",
        f"/api/disputes/{full_case.pk}/notes/",
        f"/api/disputes/{full_case.pk}/attachments/",
        f"/api/disputes/{full_case.pk}/history/",
    ):
        response = api_client.delete(path)
        assert response.status_code == 405, path
    assert _counts() == before


def test_no_admin_offers_a_revert_or_a_delete_of_service_written_records():
    """Every admin that shows saved versions shows them read-only, and no read-only admin (case data,
    documents) can delete: guards the apps still to come, which copy these admins."""
    from django.contrib import admin
    from simple_history.admin import SimpleHistoryAdmin

    from core.admin import ReadOnlyAdmin, ReadOnlyHistoryAdmin

    history_admins = [a for a in admin.site._registry.values() if isinstance(a, SimpleHistoryAdmin)]
    assert history_admins  # the dispute admin at least
    assert all(isinstance(a, ReadOnlyHistoryAdmin) for a in history_admins)
    for model in (Dispute, DisputeEvent, DisputeSeries, Document):
        model_admin = admin.site._registry[model]
        assert isinstance(model_admin, ReadOnlyAdmin), model
        assert not model_admin.has_delete_permission(request=None)
