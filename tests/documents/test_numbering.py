"""Document numbers (文号): issuer short name + 化 + the type's character + 〔year〕 + N号, one gap-free
series per issuer, type and year; taken in the issuing transaction, so a failed issue gives it back."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.models import NumberSequence
from disputes.choices import ActKind, CaseKind, Consent, MatterCategory, PartyKind, PartyRole, Source
from disputes.services import PartyInput, dispute_register
from documents import services
from documents.models import Document, DocumentStatus
from documents.services import document_draft_create, document_issue, document_number, document_reissue
from documents.types import DocumentType as T
from tests.disputes.factories import County
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 3, 10, 9, 30, tzinfo=SHANGHAI)


@pytest.fixture(autouse=True)
def _pinned_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture(autouse=True)
def _fresh_storage(settings):
    settings.STORAGES = {**settings.STORAGES}


def stand_in_html(*, doc_type, number, **_):
    return f"<h1>{doc_type}</h1><p>{number}</p>"


def stand_in_pdf(html):
    return b"%PDF-1.7 stand-in " + html.encode(), 1


@pytest.fixture(autouse=True)
def _stand_in_renderer(monkeypatch):
    """A number does not depend on the text: a stand-in renderer keeps these tests about numbering, and
    independent of each type's template (test_lifecycle renders real PDFs)."""
    monkeypatch.setattr(services, "render_html", stand_in_html)
    monkeypatch.setattr(services, "render_pdf", stand_in_pdf)
    monkeypatch.setattr(services, "template_version", lambda doc_type: f"{doc_type}@stand-in")


@pytest.fixture
def c():
    return County()


@pytest.fixture
def case(c):
    return c.register()


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    def run(document, actor):
        with django_capture_on_commit_callbacks(execute=True):
            document_issue(document_id=document.pk, actor=actor)
        return Document.objects.get(pk=document.pk)

    return run


def draft(c, subject, doc_type=T.ACCEPTANCE_NOTICE, **fields):
    return document_draft_create(actor=c.clerk, subject=subject, doc_type=doc_type, fields=fields)


def last_value(series: str, year: int = 2026) -> int | None:
    row = NumberSequence.objects.filter(series=series, year=year).first()
    return row.last_value if row else None


def case_at(c, centre):
    """A case registered at another body (the factory always uses the county centre)."""
    data = {
        "kind": CaseKind.RESOLUTION,
        "source": Source.WALK_IN,
        "received_on": date(2026, 3, 2),
        "respondent": c.agency,
        "act_kind": ActKind.EXPROPRIATION,
        "act_date": date(2026, 1, 15),
        "act_summary": "征收补偿决定",
        "matter": MatterCategory.LAND,
        "claims": "提高补偿",
        "consent": Consent.NOT_ASKED,
    }
    parties = [PartyInput(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name="赵六")]
    return dispute_register(actor=c.clerk, centre=centre, data=data, parties=parties)


def test_number_format(c):
    assert document_number(issuer=c.centre, doc_type=T.ACCEPTANCE_NOTICE, year=2026, sequence=3) == (
        "郧西化受〔2026〕3号"
    )
    assert document_number(issuer=c.centre, doc_type=T.REJECTION_DECISION, year=2027, sequence=12) == (
        "郧西化不受〔2027〕12号"
    )
    nameless = OrganisationFactory(
        name="竹山县行政争议化解中心", short_name="", kind="centre", region=c.region
    )
    assert document_number(issuer=nameless, doc_type=T.TRANSFER_LETTER, year=2026, sequence=1) == (
        "竹山县行政争议化解中心化移〔2026〕1号"
    )


def test_numbers_run_per_type_without_gaps(c, case, issue):
    notices = [issue(draft(c, case), c.clerk) for _ in range(3)]
    rejection = issue(draft(c, case, T.REJECTION_DECISION, reason="不属于受理范围"), c.clerk)
    fourth = issue(draft(c, case), c.clerk)
    assert [d.number for d in (*notices, fourth)] == [f"郧西化受〔2026〕{n}号" for n in (1, 2, 3, 4)]
    assert [d.sequence for d in (*notices, fourth)] == [1, 2, 3, 4]
    assert rejection.number == "郧西化不受〔2026〕1号"
    assert (last_value("doc:郧西化受"), last_value("doc:郧西化不受")) == (4, 1)


def test_numbers_run_per_issuer(c, case, issue):
    station = OrganisationFactory(
        name="郧西县土门镇化解工作站", short_name="土门", kind="centre", region=c.region
    )
    other = case_at(c, station)
    a = issue(draft(c, case), c.clerk)
    b = issue(draft(c, other), c.clerk)
    assert (a.issuer, b.issuer) == (c.centre, station)
    assert (a.number, b.number) == ("郧西化受〔2026〕1号", "土门化受〔2026〕1号")


def test_two_bodies_with_one_short_name_share_one_series(c, case, issue):
    """The bureau and the centre of the county are both 郧西: their numbers can never collide."""
    bureau_case = case_at(c, c.bureau)
    a = issue(draft(c, case), c.clerk)
    b = issue(draft(c, bureau_case), c.clerk)
    assert (a.issuer, b.issuer) == (c.centre, c.bureau)
    assert (a.number, b.number) == ("郧西化受〔2026〕1号", "郧西化受〔2026〕2号")


def test_numbers_run_per_year_of_issue_in_china(c, case, issue):
    before = draft(c, case)
    after = draft(c, case)
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, tzinfo=SHANGHAI), tick=False):
        before = issue(before, c.clerk)
    # 2026-12-31 16:01 UTC is already New Year's Day in China.
    with time_machine.travel(datetime(2026, 12, 31, 16, 1, tzinfo=ZoneInfo("UTC")), tick=False):
        after = issue(after, c.clerk)
    assert (before.number, before.year) == ("郧西化受〔2026〕1号", 2026)
    assert (after.number, after.year, after.sequence) == ("郧西化受〔2027〕1号", 2027, 1)
    assert after.file.name.startswith("documents/2027/01/")


def test_a_failed_issue_gives_its_number_back(c, case, issue, monkeypatch):
    first = issue(draft(c, case), c.clerk)
    second = draft(c, case)

    def broken(doc_type):  # fails after the number was taken, inside the issuing transaction
        raise RuntimeError("template missing")

    monkeypatch.setattr(services, "template_version", broken)
    with pytest.raises(RuntimeError):
        issue(second, c.clerk)
    second.refresh_from_db()
    assert (second.status, second.number, second.sequence) == (DocumentStatus.DRAFT, "", None)
    assert last_value("doc:郧西化受") == 1

    monkeypatch.setattr(services, "template_version", lambda doc_type: f"{doc_type}@stand-in")
    assert first.number == "郧西化受〔2026〕1号"
    assert issue(second, c.clerk).number == "郧西化受〔2026〕2号"


def test_the_first_failed_issue_of_a_year_leaves_no_series(c, case, issue, monkeypatch):
    monkeypatch.setattr(services, "template_version", lambda doc_type: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        issue(draft(c, case), c.clerk)
    assert not NumberSequence.objects.filter(series__startswith="doc:").exists()


def test_a_refused_draft_takes_no_number(c, case, issue):
    empty = draft(c, case, T.CORRECTION_NOTICE)  # the materials to supply are not pre-filled
    with pytest.raises(ValidationError):
        issue(empty, c.clerk)
    assert last_value("doc:郧西化补") is None
    assert issue(draft(c, case, T.CORRECTION_NOTICE, items="身份证复印件"), c.clerk).number == (
        "郧西化补〔2026〕1号"
    )


def test_a_failed_render_keeps_its_number_and_the_next_one_follows(c, case, issue, monkeypatch):
    monkeypatch.setattr(services, "render_pdf", lambda html: 1 / 0)
    failed = issue(draft(c, case), c.clerk)
    monkeypatch.setattr(services, "render_pdf", stand_in_pdf)
    following = issue(draft(c, case), c.clerk)
    assert failed.status == DocumentStatus.ISSUING and failed.number == "郧西化受〔2026〕1号"
    assert following.number == "郧西化受〔2026〕2号"


def test_a_reissue_keeps_the_number_and_takes_none(c, case, issue):
    v1 = issue(draft(c, case), c.clerk)
    with time_machine.travel(datetime(2027, 1, 5, 10, 0, tzinfo=SHANGHAI), tick=False):
        v2 = issue(document_reissue(document_id=v1.pk, actor=c.clerk), c.clerk)
        v3 = issue(document_reissue(document_id=v2.pk, actor=c.clerk), c.clerk)
        nxt = issue(draft(c, case), c.clerk)
    assert [(d.number, d.version) for d in (v1, v2, v3)] == [("郧西化受〔2026〕1号", n) for n in (1, 2, 3)]
    assert (v2.year, v3.year) == (2026, 2026)  # a correction in January keeps last year's number
    assert nxt.number == "郧西化受〔2027〕1号"
    assert (last_value("doc:郧西化受", 2026), last_value("doc:郧西化受", 2027)) == (1, 1)
    assert list(Document.objects.filter(number="郧西化受〔2026〕1号").values_list("version", "status")) == [
        (1, DocumentStatus.SUPERSEDED),
        (2, DocumentStatus.SUPERSEDED),
        (3, DocumentStatus.ISSUED),
    ]
