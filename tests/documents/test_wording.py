"""Every document type, for every source and case kind, at a stage where a clerk would issue it, reads
as a clerk would write it: no doubled punctuation from joined facts, the verb that matches how the case
came in (申请 only when the party applied), 诉 only about a lawsuit, the body that acts as the issuer,
and no empty placeholder.

The cases are built once for the module (through ``dispute_register``, then the stage rows a case has
by then) and rolled back at the end; each combination renders the draft's HTML from the adapter's
context and pre-filled text — exactly what the PDF is made from (test_render renders a PDF per type).
"""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from core.models import Organisation
from disputes.choices import (
    CaseKind,
    Consent,
    DecisionType,
    LitigationOutcome,
    Source,
    Status,
    TransferTarget,
)
from disputes.models import Dispute, Litigation, Reconsideration, Resolution
from documents.forms import DraftForm
from documents.render import render_html
from documents.services import document_draft_create, document_draft_update, document_issue
from documents.subjects import adapter_for
from documents.text import DOUBLED_PUNCTUATION, clause, join
from documents.types import DRAFTABLE
from documents.types import DocumentType as T
from tests.disputes.factories import County
from tests.factories import OrganisationFactory

# Each test in a transaction of its own (the module's cases are built once, before the first one).
pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
APPLIED = {Source.WALK_IN, Source.RECONSIDERATION, Source.GUIDED}
VERB = {Source.COURT_PUSH: "推送", Source.PETITION_TRANSFER: "转办", Source.AGENCY_TRANSFER: "移送"}

# Each type at the status where a clerk issues it; the head's attendance both at a reconsideration
# hearing and before a court session.
STAGES: list[tuple[str, str]] = [
    (T.ACCEPTANCE_NOTICE, Status.REGISTERED),
    (T.CORRECTION_NOTICE, Status.REGISTERED),
    (T.REJECTION_DECISION, Status.CORRECTION),
    (T.RESOLUTION_AGREEMENT, Status.AGREED),
    (T.CONFIRMATION, Status.CONFIRMATION_REQUESTED),
    (T.TRANSFER_LETTER, Status.FAILED),
    (T.FEEDBACK_LETTER, Status.TRANSFERRED),
    (T.HEARING_NOTICE, Status.RECON_HEARING),
    (T.HEAD_ATTENDANCE_NOTICE, Status.RECON_HEARING),
    (T.HEAD_ATTENDANCE_NOTICE, Status.LIT_ANSWERED),
    (T.LEGAL_AID_NOTICE, Status.MEDIATING),
    (T.LEGAL_AID_NOTICE, Status.LIT_NOTICED),
    (T.FOLLOWUP_RECORD, Status.RECON_DECIDED),
    (T.LOSS_ANALYSIS_REPORT, Status.PERFORMANCE),
    (T.MEETING_NOTICE, Status.MEDIATING),
    (T.AID_REFUSAL, Status.MEDIATING),
]
COMBINATIONS = list(itertools.product(STAGES, Source.values, CaseKind.values))

# The types that say how the case came in, and so carry the source's verb.
INTAKE_TYPES = {T.ACCEPTANCE_NOTICE, T.CORRECTION_NOTICE, T.REJECTION_DECISION, T.RESOLUTION_AGREEMENT}


def _build_case(county: County, source: str, kind: str) -> Dispute:
    extra = {}
    if source == Source.COURT_PUSH:
        extra = {
            "court": county.court,
            "consent": Consent.GIVEN,
            "court_case_number": "（2026）鄂0322行诉前12号",
        }
    # Facts typed as clerks type them: a closing mark on each, which joins must not double. Half the
    # acts have no document number, so the act's summary is followed by the sentence's own comma.
    if source in (Source.WALK_IN, Source.COURT_PUSH, Source.PETITION_TRANSFER):
        extra["act_document_number"] = ""
    d = county.register(
        kind=kind,
        source=source,
        act_summary="土门镇集体土地征收补偿安置决定。",
        claims="请求撤销补偿安置决定，按新标准补偿；",
        applicant="冯玉兰",
        **extra,
    )
    Resolution.objects.create(
        dispute=d,
        agreement_terms="1. 乙方于2026年12月10日前重新核定补偿金额。\n2. 甲方撤回化解申请。",
        agreement_signed_on=date(2026, 3, 20),
        failure_reason="双方对补偿标准分歧较大。",
        transfer_target=TransferTarget.RECONSIDERATION if kind == CaseKind.RESOLUTION else "",
        transfer_to=county.bureau if kind == CaseKind.RESOLUTION else None,
        transferred_on=date(2026, 4, 1) if kind == CaseKind.RESOLUTION else None,
    )
    Reconsideration.objects.create(
        dispute=d,
        accepted_on=date(2026, 4, 2),
        hearing_at=datetime(2026, 11, 1, 10, 0, tzinfo=SHANGHAI),
        hearing_place="郧西县司法局复议听证室。",
        decision_type=DecisionType.REVOKE,
        decided_on=date(2026, 5, 20),
    )
    Litigation.objects.create(
        dispute=d,
        court=county.court,
        court_case_number="（2026）鄂0322行初31号",
        filed_on=date(2026, 6, 1),
        session_at=datetime(2026, 12, 8, 9, 0, tzinfo=SHANGHAI),
        outcome=LitigationOutcome.JUDGMENT,
        agency_lost=True,
    )
    Dispute.objects.filter(pk=d.pk).update(perform_by=date(2026, 12, 31), agency_lost=True)
    return d


@pytest.fixture(scope="module")
def drafts(django_db_setup, django_db_blocker):
    """For each combination: what a new draft holds (context, pre-filled fields, issuer), and the
    bodies a clerk expects to issue it. Built in one transaction, rolled back after."""
    results = {}
    with django_db_blocker.unblock(), transaction.atomic():
        county = County()
        legal_aid = OrganisationFactory(
            name="郧西县法律援助中心",
            short_name="郧西法援",
            kind=Organisation.Kind.LEGAL_AID_CENTRE,
            region=county.region,
        )
        adapter = adapter_for(Dispute)
        for source, kind in itertools.product(Source.values, CaseKind.values):
            case = _build_case(county, source, kind)
            for doc_type, status in STAGES:
                Dispute.objects.filter(pk=case.pk).update(status=status)
                d = Dispute.objects.select_related("respondent", "centre", "region", "court").get(pk=case.pk)
                issuer = adapter.issuer(d, doc_type)
                results[(doc_type, status, source, kind)] = {
                    "context": adapter.context(d, doc_type),
                    "fields": adapter.initial(d, doc_type),
                    "issuer": issuer.name,
                }
        expected = {
            "centre": county.centre.name,
            "bureau": county.bureau.name,
            "legal_aid": legal_aid.name,
            "respondent": county.agency.name,
        }
        transaction.set_rollback(True)
    return results, expected


def _text(html: str) -> str:
    html = re.sub(r"<(style|title)[^>]*>.*?</\1>", "", html, flags=re.S)
    return re.sub(r"\s+", "", re.sub(r"<[^>]+>", "", html))


def _expected_issuer(doc_type: str, status: str, kind: str, bodies: dict) -> str:
    if doc_type == T.LOSS_ANALYSIS_REPORT:
        return bodies["respondent"]  # the agency that lost reports on its own loss
    if doc_type in (T.LEGAL_AID_NOTICE, T.AID_REFUSAL):
        return bodies["legal_aid"]
    if doc_type in (T.ACCEPTANCE_NOTICE, T.CORRECTION_NOTICE, T.REJECTION_DECISION):
        return bodies["bureau"] if kind == CaseKind.RECONSIDERATION else bodies["centre"]
    if doc_type in (T.FEEDBACK_LETTER, T.HEARING_NOTICE, T.FOLLOWUP_RECORD):
        return bodies["bureau"]  # the body the case went to / that holds the reconsideration
    if doc_type == T.HEAD_ATTENDANCE_NOTICE:
        return bodies["bureau"] if status == Status.RECON_HEARING else bodies["centre"]
    return bodies["centre"]  # what the centre does in resolution


def _litigation(doc_type: str, status: str) -> bool:
    return doc_type == T.LOSS_ANALYSIS_REPORT or status in (Status.LIT_ANSWERED, Status.LIT_NOTICED)


@pytest.mark.parametrize(
    ("stage", "source", "kind"),
    COMBINATIONS,
    ids=[f"{t}@{s}-{src}-{k}" for (t, s), src, k in COMBINATIONS],
)
def test_every_document_reads_as_a_clerk_writes_it(drafts, stage, source, kind):
    doc_type, status = stage
    results, bodies = drafts
    draft = results[(doc_type, status, source, kind)]
    # A clerk fills in what the case cannot know; the rest is as pre-filled.
    fields = {**draft["fields"]}
    for name in ("items", "reason", "lawyer", "visitors", "findings", "causes", "rectification"):
        if name in fields and not fields[name]:
            fields[name] = "已按规定填写。"
    if doc_type == T.MEETING_NOTICE:  # the meeting's own (the hearings app fills them from it)
        fields.update(hearing_time="2026年12月8日 9:00", hearing_place="本中心第一调解室")
    html = render_html(
        doc_type=doc_type,
        number="郧西化受〔2026〕7号",
        fields=fields,
        context=draft["context"],
        issuer_name=draft["issuer"],
        issued_on=date(2026, 11, 2),
    )
    text = _text(html)

    doubled = DOUBLED_PUNCTUATION.findall(text)
    assert not doubled, f"doubled punctuation {doubled} in: {text}"
    for empty in ("None", "{{", "{%", "〔〕", "（）", "于，", "于。", "于的", "：。", "：，"):
        assert empty not in text, f"empty placeholder {empty!r} in: {text}"

    issuer = _expected_issuer(doc_type, status, kind, bodies)
    assert draft["issuer"] == issuer
    assert issuer in text
    # The issuer speaks of itself as what it is.
    if issuer == bodies["bureau"]:
        assert "本中心" not in text
    if issuer == bodies["centre"]:
        assert "本机关" not in text

    if not _litigation(doc_type, status):
        # 诉 only about a lawsuit: the remedy (提起行政诉讼) names litigation as such.
        assert "诉" not in text.replace("行政诉讼", ""), f"诉 outside litigation in: {text}"

    claims_application = re.search(r"申请化解|提出的?(行政争议化解|行政复议)?申请", text)
    if source in APPLIED:
        assert "推送" not in text and "转办" not in text
        if doc_type in INTAKE_TYPES:
            assert claims_application, f"the party's application is not named in: {text}"
    else:
        assert not claims_application, f"申请 for a case {VERB[source]} in: {text}"
        if doc_type in INTAKE_TYPES:
            assert VERB[source] in text, f"{VERB[source]} missing in: {text}"

    if doc_type == T.HEAD_ATTENDANCE_NOTICE:
        if status == Status.RECON_HEARING:
            assert (
                "申请人冯玉兰对你单位作出的土门镇集体土地征收补偿安置决定" in text
                and "申请行政复议一案" in text
            )
            assert "参加听证通知书" in text and "《中华人民共和国行政诉讼法》" not in text
        else:
            assert "原告冯玉兰诉你单位" in text and "出庭应诉通知书" in text

    if doc_type == T.HEARING_NOTICE:
        # A transferred case reached the bureau from the centre; a reconsideration case from its source.
        expected = (
            "移送"
            if kind == CaseKind.RESOLUTION
            else ("提出行政复议申请" if source in APPLIED else VERB[source])
        )
        assert expected in text
        assert "2026年11月1日10:00" in text


def test_the_combinations_cover_every_type_source_and_kind():
    assert {t for (t, _s), _src, _k in COMBINATIONS} == set(DRAFTABLE)
    assert {src for _st, src, _k in COMBINATIONS} == set(Source.values)
    assert {k for _st, _src, k in COMBINATIONS} == set(CaseKind.values)


def test_joining_never_doubles_punctuation():
    assert clause("行政处罚决定。") == "行政处罚决定"
    assert clause(" 请求撤销；\n") == "请求撤销"
    assert join("行政处罚决定。", "于2026年3月2日申请", end="。") == "行政处罚决定，于2026年3月2日申请。"
    assert join("", None, "决定", end="。") == "决定。"
    assert join("", "") == ""
    assert DOUBLED_PUNCTUATION.search("决定。，于") and not DOUBLED_PUNCTUATION.search("决定，于")


# --- the follow-up record's visit date ---------------------------------------------------------


def test_the_visit_date_is_a_date_validated_and_printed_in_chinese(django_capture_on_commit_callbacks):
    county = County()
    case = county.register(kind=CaseKind.RECONSIDERATION, source=Source.RECONSIDERATION)
    draft = document_draft_create(actor=county.clerk, subject=case, doc_type=T.FOLLOWUP_RECORD)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", draft.fields["visited_on"])  # pre-filled with today

    with pytest.raises(ValidationError) as info:
        document_draft_update(document_id=draft.pk, actor=county.clerk, fields={"visited_on": "下周一"})
    assert "visited_on" in info.value.message_dict
    with pytest.raises(ValidationError):
        document_draft_update(document_id=draft.pk, actor=county.clerk, fields={"visited_on": "2026-02-30"})
    draft.refresh_from_db()
    assert draft.fields["visited_on"] != "下周一"

    # Typed as a clerk types it, stored as a date.
    document_draft_update(
        document_id=draft.pk,
        actor=county.clerk,
        fields={"visited_on": "2026年11月1日", "visitors": "张敏", "findings": "已履行。"},
    )
    draft.refresh_from_db()
    assert draft.fields["visited_on"] == "2026-11-01"
    html = render_html(
        doc_type=T.FOLLOWUP_RECORD,
        number="",
        fields=draft.fields,
        context=draft.context,
        issuer_name=draft.issuer.name,
        issued_on=date(2026, 11, 2),
    )
    assert "<td>2026年11月1日</td>" in html

    # Issuing refuses a draft whose date is missing.
    document_draft_update(document_id=draft.pk, actor=county.clerk, fields={"visited_on": ""})
    with pytest.raises(ValidationError) as info:
        document_issue(document_id=draft.pk, actor=county.clerk)
    assert "visited_on" in info.value.message_dict


def test_the_draft_form_takes_the_visit_date_as_a_date():
    form = DraftForm(
        {"visited_on": "2026-13-01", "visitors": "张敏", "findings": "x", "body": "x"},
        doc_type=T.FOLLOWUP_RECORD,
        for_issue=True,
    )
    assert not form.is_valid() and "visited_on" in form.errors
    form = DraftForm(
        {"visited_on": "2026-11-01", "visitors": "张敏", "findings": "x", "body": "x"},
        doc_type=T.FOLLOWUP_RECORD,
        for_issue=True,
    )
    assert form.is_valid() and form.cleaned_data["visited_on"] == date(2026, 11, 1)
    assert 'type="date"' in str(form["visited_on"])
