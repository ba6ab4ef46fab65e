"""Bulletins (通报): built on schedule on the first day of the next period and on demand, issued as a
numbered PDF through the documents capability whose text holds the figures, archived with their data (a
later correction changes nothing issued), listed for the region's readers and sent to subscribers."""

from __future__ import annotations

import io
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from core.models import Organisation
from core.roles import Role
from disputes.choices import LitigationOutcome, Source
from documents.models import Document, DocumentStatus
from notifications.models import Notification
from reports.bulletins import bulletin_build, bulletins_due, subscription_set
from reports.models import Bulletin
from tests.disputes.factories import County
from tests.factories import OrganisationFactory, RegionFactory, user_with_role

from .data import clones, litigations

pytestmark = pytest.mark.django_db


@pytest.fixture
def c() -> County:
    county = County()
    committee = OrganisationFactory(
        name="郧西县行政争议化解委员会", kind=Organisation.Kind.COMMITTEE, region=county.region
    )
    county.member = user_with_role(Role.COMMITTEE_MEMBER, organisation=committee, name="郑国华")
    case = county.register(received_on=date(2026, 10, 12))
    county.pushed = clones(case, 3, source=Source.COURT_PUSH, consent="given", received_on=date(2026, 10, 20))
    clones(case, 1, source=Source.COURT_PUSH, consent="not_asked", received_on=date(2026, 10, 21))
    litigations(county.pushed, county.court, date(2026, 10, 28), [(LitigationOutcome.JUDGMENT, True)]
                + [(LitigationOutcome.JUDGMENT, False)] * 3)  # fmt: skip
    return county


def pdf_text(document: Document) -> str:
    document.refresh_from_db()
    assert document.status == DocumentStatus.ISSUED, document.render_error
    with document.file.open("rb") as f:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(f.read())).pages)


def test_built_on_the_first_day_of_the_next_period_once(c, django_capture_on_commit_callbacks):
    subscription_set(user=c.member, subscribed=True)
    with time_machine.travel(date(2026, 11, 1)), django_capture_on_commit_callbacks(execute=True):
        made = bulletins_due(date(2026, 11, 1))
    assert [(b.kind, b.first, b.last) for b in made] == [("month", date(2026, 10, 1), date(2026, 10, 31))]
    assert bulletins_due(date(2026, 11, 1)) == []  # the same day again: nothing more
    assert bulletins_due(date(2026, 11, 2)) == []  # not a first day
    bulletin = made[0]
    assert bulletin.organisation == c.centre and bulletin.requested_by is None
    four = {f["code"]: f for f in bulletin.snapshot["four"]}
    assert (four["pushed_rate"]["numerator"], four["pushed_rate"]["denominator"]) == (3, 4)
    assert bulletin.snapshot["title"] == "郧西县2026年10月行政争议化解工作通报"
    text = pdf_text(bulletin.document)
    assert "郧西化通〔2026〕1号" in text and "推送开展实质性化解率" in text and "75.00%" in text
    assert "郧西县自然资源和规划" in text and "25.00%" in text  # the agency's loss rate: 1 of 4
    assert Notification.objects.filter(recipient=c.member, kind="bulletin").count() == 1
    # On 1 January: the month, the quarter, the half-year and the year just closed.
    with django_capture_on_commit_callbacks(execute=True):
        kinds = sorted(b.kind for b in bulletins_due(date(2027, 1, 1)))
    assert kinds == ["half", "month", "quarter", "year"]


def test_a_later_correction_never_changes_an_issued_bulletin(c, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        bulletin = bulletin_build(organisation=c.centre, kind="month", day=date(2026, 10, 5), actor=c.clerk)
    before = pdf_text(bulletin.document)
    c.pushed[0].__class__.objects.filter(pk=c.pushed[0].pk).update(consent="not_asked")  # a correction
    bulletin.refresh_from_db()
    assert {f["code"]: f for f in bulletin.snapshot["four"]}["pushed_rate"]["numerator"] == 3
    assert pdf_text(bulletin.document) == before
    with django_capture_on_commit_callbacks(execute=True):
        again = bulletin_build(organisation=c.centre, kind="month", day=date(2026, 10, 5), actor=c.clerk)
    assert {f["code"]: f for f in again.snapshot["four"]}["pushed_rate"]["numerator"] == 2
    assert again.document.number != bulletin.document.number  # a new bulletin, numbered anew


def test_the_centre_builds_one_on_demand_and_readers_of_the_region_see_it(
    c, django_capture_on_commit_callbacks
):
    clerk = Client()
    clerk.force_login(c.clerk)
    page = clerk.get(reverse("reports:bulletins"))
    assert page.status_code == 200 and 'data-testid="build-form"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = clerk.post(
            reverse("reports:bulletins"), {"action": "build", "kind": "month", "day": "2026-10-05"}
        )
    bulletin = Bulletin.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "documents:detail", args=[bulletin.document_id]
    )
    assert bulletin.requested_by == c.clerk
    # An open period, a bad day: refused, nothing built.
    with time_machine.travel(date(2026, 12, 15)):
        clerk.post(reverse("reports:bulletins"), {"action": "build", "kind": "month", "day": "2026-12-01"})
    clerk.post(reverse("reports:bulletins"), {"action": "build", "kind": "month", "day": "2026-13-01"})
    assert Bulletin.objects.count() == 1
    # The committee member reads it (no build form); another county's member and an agency do not.
    member = Client()
    member.force_login(c.member)
    listing = member.get(reverse("reports:bulletins")).content.decode()
    assert f'data-bulletin="{bulletin.pk}"' in listing and 'data-testid="build-form"' not in listing
    assert (
        member.post(
            reverse("reports:bulletins"), {"action": "build", "kind": "month", "day": "2026-10-05"}
        ).status_code
        == 403
    )
    assert member.get(reverse("documents:download", args=[bulletin.document_id])).status_code == 200
    far = RegionFactory(name="谷城县", code="420625", level=c.region.level, parent=c.region.parent)
    stranger = Client()
    stranger.force_login(user_with_role(Role.COMMITTEE_MEMBER, organisation=OrganisationFactory(
        name="谷城县行政争议化解委员会", kind=Organisation.Kind.COMMITTEE, region=far), name="钱进"))  # fmt: skip
    assert f'data-bulletin="{bulletin.pk}"' not in stranger.get(reverse("reports:bulletins")).content.decode()
    assert stranger.get(reverse("documents:download", args=[bulletin.document_id])).status_code == 404
    liaison = Client()
    liaison.force_login(c.liaison)
    assert liaison.get(reverse("reports:bulletins")).status_code == 403


def test_subscribing_and_unsubscribing(c):
    member = Client()
    member.force_login(c.member)
    member.post(reverse("reports:bulletins"), {"action": "subscribe", "on": "1"})
    assert c.member.__class__.objects.filter(pk=c.member.pk, bulletin_subscription__isnull=False).exists()
    member.post(reverse("reports:bulletins"), {"action": "subscribe", "on": "0"})
    assert not c.member.__class__.objects.filter(pk=c.member.pk, bulletin_subscription__isnull=False).exists()
