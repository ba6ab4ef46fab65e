"""ID and phone numbers: encrypted at rest, found by their keyed hash, masked for every role in pages,
the API and the Excel ledger, shown whole only by a deliberate and audited "show"."""

import io

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from core import crypto
from core.masking import mask_id_number, mask_phone
from core.roles import ROLE_CAPABILITIES, Capability, Role
from disputes.models import Party
from security.models import AuditEntry
from tests.disputes.factories import County, resident_id
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

ID = resident_id()  # 420322198001011238 style
PHONE = "13907191234"
MASKED_ID = ID[:6] + "********" + ID[-4:]
MASKED_PHONE = "139****1234"


@pytest.fixture
def world():
    c = County()
    case = c.register()
    users = {
        Role.CENTRE_CLERK: c.clerk,
        Role.COURT_CLERK: c.court_clerk,
        Role.MEDIATOR: c.mediator,
        Role.AGENCY_LIAISON: c.liaison,
        Role.AGENCY_HEAD_PRINCIPAL: user_with_role(Role.AGENCY_HEAD_PRINCIPAL, organisation=c.agency),
        Role.AGENCY_HEAD_DEPUTY: user_with_role(Role.AGENCY_HEAD_DEPUTY, organisation=c.agency),
        Role.LEGAL_AID_STAFF: user_with_role(Role.LEGAL_AID_STAFF, organisation=c.bureau),
        Role.ADMINISTRATOR: user_with_role(Role.ADMINISTRATOR, organisation=c.bureau),
    }
    from disputes.models import MediatorAssignment

    # A mediator reaches the cases they are assigned to.
    MediatorAssignment.objects.create(dispute=case, mediator=c.mediator, assigned_by=c.clerk)
    return c, case, users


def test_masks():
    assert mask_id_number("420322199001011231") == "420322********1231"
    assert mask_phone("13972812345") == "139****2345"
    assert mask_phone("0719-6222110") == "071*****2110"
    assert mask_id_number("") == mask_phone("") == ""


def test_the_numbers_are_encrypted_in_the_database_and_found_by_their_keyed_hash(world):
    c, case, _ = world
    party = case.parties.get()
    assert (party.id_number, party.phone) == (ID, PHONE)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_number, phone, id_number_hash FROM disputes_party WHERE id = %s", [party.pk]
        )
        raw_id, raw_phone, digest = cursor.fetchone()
        cursor.execute("SELECT id_number, phone FROM disputes_historicalparty WHERE id = %s", [party.pk])
        history = cursor.fetchall()
        cursor.execute("SELECT search_text FROM disputes_dispute WHERE id = %s", [case.pk])
        (search_text,) = cursor.fetchone()
    assert raw_id.startswith(crypto.PREFIX) and ID not in raw_id and PHONE not in raw_phone
    assert all(ID not in row[0] and PHONE not in row[1] for row in history) and history
    assert ID not in search_text and ID[6:14] not in search_text
    assert digest == crypto.blind_index(ID) and len(digest) == 64
    assert Party.objects.filter(id_number_hash=crypto.blind_index(ID.lower())).count() == 1  # the x is upper
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        Party.objects.filter(id_number__contains="420322").exists()
    with pytest.raises(FieldError):
        Party.objects.filter(id_number=ID).exists()


def test_key_rotation_keeps_every_value_readable(settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]
    crypto.reset_keys()
    try:
        case = County().register()  # written under the old key
        new = Fernet.generate_key().decode()
        settings.FIELD_ENCRYPTION_KEYS = [new, old]  # the new key first: it encrypts, both decrypt
        crypto.reset_keys()
        call_command("rotate_personal_data_keys", verbosity=0)
        settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key retired
        crypto.reset_keys()
        party = Party.objects.get(dispute=case)
        assert (party.id_number, party.phone) == (ID, PHONE)
        assert all(h.id_number == ID for h in party.history.all())
        assert Party.objects.filter(id_number_hash=crypto.blind_index(ID)).count() == 1
    finally:
        settings.FIELD_ENCRYPTION_KEYS = []
        crypto.reset_keys()


@pytest.mark.parametrize(
    "role",
    [
        Role.CENTRE_CLERK,
        Role.COURT_CLERK,
        Role.MEDIATOR,
        Role.AGENCY_LIAISON,
        Role.AGENCY_HEAD_PRINCIPAL,
        Role.AGENCY_HEAD_DEPUTY,
        Role.LEGAL_AID_STAFF,
        Role.ADMINISTRATOR,
    ],
)
def test_every_role_sees_the_numbers_masked_on_the_page_in_the_api_and_in_the_ledger(world, role):
    c, case, users = world
    user = users[role]
    client = Client()
    client.force_login(user)
    page = client.get(case.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert ID not in html and PHONE not in html
    assert MASKED_ID in html and MASKED_PHONE in html

    api = APIClient()
    api.force_authenticate(user)
    body = api.get(f"/api/disputes/{case.pk}/").content.decode()
    assert ID not in body and PHONE not in body and MASKED_ID in body
    history = api.get(f"/api/disputes/{case.pk}/history/").content.decode()
    assert ID not in history and PHONE not in history

    response = client.get(reverse("disputes:export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    cells = [str(v) for row in book.active.iter_rows(values_only=True) for v in row if v is not None]
    assert not any(ID in v or PHONE in v for v in cells)
    assert any(MASKED_ID in v for v in cells) and any(MASKED_PHONE in v for v in cells)


def test_show_reveals_the_numbers_to_a_role_that_needs_them_and_is_audited(world):
    c, case, users = world
    party = case.parties.get()
    may = {r for r, caps in ROLE_CAPABILITIES.items() if Capability.REVEAL_PERSONAL_DATA in caps}
    assert may == {
        Role.CENTRE_CLERK,
        Role.COURT_CLERK,
        Role.MEDIATOR,
        Role.LEGAL_AID_STAFF,
        Role.LEGAL_AID_LAWYER,
    }
    url = reverse("disputes:party-reveal", args=[case.pk, party.pk])
    for role, user in users.items():
        client = Client()
        client.force_login(user)
        page = client.get(case.get_absolute_url()).content.decode()
        assert (url in page) == (role in may), role
        before = AuditEntry.objects.filter(action="unmasked").count()
        response = client.post(url, REMOTE_ADDR="10.8.8.8")
        entry = AuditEntry.objects.filter(action="unmasked").order_by("-pk").first()
        assert AuditEntry.objects.filter(action="unmasked").count() == before + 1
        assert entry.user == user and entry.object_id == str(party.pk) and entry.ip == "10.8.8.8"
        if role in may:
            assert response.status_code == 200
            html = response.content.decode()
            assert ID in html and PHONE in html
            assert entry.result == "success" and case.number in entry.object_label
            assert ID not in entry.object_label + str(entry.detail)  # the log holds no number itself
        else:
            assert response.status_code == 403 and ID not in response.content.decode()
            assert entry.result == "refused"
    # A GET shows nothing: the showing is always deliberate.
    client = Client()
    client.force_login(c.clerk)
    assert client.get(url).status_code == 405


def test_show_on_the_api(world):
    c, case, users = world
    party = case.parties.get()
    api = APIClient()
    api.force_authenticate(c.clerk)
    response = api.post(f"/api/disputes/{case.pk}/parties/{party.pk}/reveal/")
    assert response.status_code == 200
    assert response.json() == {"id": party.pk, "id_number": ID, "phone": PHONE}
    assert AuditEntry.objects.filter(action="unmasked", user=c.clerk, object_id=str(party.pk)).exists()
    api.force_authenticate(c.liaison)
    assert api.post(f"/api/disputes/{case.pk}/parties/{party.pk}/reveal/").status_code == 403
    api.force_authenticate(c.other_liaison)  # out of reach: 404, as for the case itself
    assert api.post(f"/api/disputes/{case.pk}/parties/{party.pk}/reveal/").status_code == 404


def test_the_official_document_keeps_the_whole_number(world):
    from disputes.documents import _context

    _c, case, _ = world
    context = _context(case, "acceptance_notice")
    assert ID in str(context["applicant_details"])


@pytest.mark.parametrize(
    "role", [Role.COMMITTEE_MEMBER, Role.SECURITY_ADMINISTRATOR, Role.AUDIT_ADMINISTRATOR]
)
def test_the_roles_without_case_records_get_no_number_at_all(world, role):
    c, case, _ = world
    user = user_with_role(role, organisation=c.bureau)
    client = Client()
    client.force_login(user)
    for url in (case.get_absolute_url(), reverse("disputes:export")):
        response = client.get(url)
        assert response.status_code in (403, 404)
    api = APIClient()
    api.force_authenticate(user)
    response = api.get(f"/api/disputes/{case.pk}/")
    assert response.status_code in (403, 404) and ID not in response.content.decode()
    party = case.parties.get()
    assert client.post(reverse("disputes:party-reveal", args=[case.pk, party.pk])).status_code == 404


def test_the_assigned_legal_aid_lawyer_sees_the_numbers_masked_and_may_show_them():
    from datetime import date

    from legal_aid import services
    from tests.hearings.test_head_attendance import at
    from tests.legal_aid.test_legal_aid import AidCounty, apply

    c = AidCounty()
    case = c.case()
    application = apply(c, case)
    services.application_decide(
        application_id=application.pk, actor=c.staff, data={"grant": "yes", "decided_on": "2026-03-03"}
    )
    with at(date(2026, 3, 4)):
        services.assignment_make(
            application_id=application.pk,
            actor=c.staff,
            data={"lawyer": c.expert.pk, "assigned_on": "2026-03-04"},
        )
    lawyer = c.expert.user
    client = Client()
    client.force_login(lawyer)
    html = client.get(case.get_absolute_url()).content.decode()
    assert ID not in html and PHONE not in html and MASKED_ID in html
    api = APIClient()
    api.force_authenticate(lawyer)
    body = api.get(f"/api/disputes/{case.pk}/").content.decode()
    assert ID not in body and MASKED_ID in body
    response = client.get(reverse("disputes:export"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    cells = [str(v) for row in book.active.iter_rows(values_only=True) for v in row if v is not None]
    assert not any(ID in v or PHONE in v for v in cells) and any(MASKED_ID in v for v in cells)
    party = case.parties.get(role="applicant")
    shown = client.post(reverse("disputes:party-reveal", args=[case.pk, party.pk]))
    assert shown.status_code == 200 and ID in shown.content.decode()
    assert AuditEntry.objects.filter(action="unmasked", user=lawyer, result="success").exists()
    # Another lawyer, not assigned, reaches nothing.
    stranger = Client()
    stranger.force_login(c.generalist.user)
    assert stranger.post(reverse("disputes:party-reveal", args=[case.pk, party.pk])).status_code == 404
