"""The official document types: title, the character in the document number (文号), the template,
and the fields a clerk may edit in a draft. Adding a type is adding an entry here and a template."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .text import chinese_date, parse_date

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class DocumentType(models.TextChoices):
    ACCEPTANCE_NOTICE = "acceptance_notice", _("Acceptance notice")
    CORRECTION_NOTICE = "correction_notice", _("Correction notice")
    REJECTION_DECISION = "rejection_decision", _("Decision not to accept")
    RESOLUTION_AGREEMENT = "resolution_agreement", _("Resolution agreement")
    CONFIRMATION = "confirmation", _("Confirmation")
    TRANSFER_LETTER = "transfer_letter", _("Transfer letter")
    FEEDBACK_LETTER = "feedback_letter", _("Feedback letter")
    HEARING_NOTICE = "hearing_notice", _("Hearing notice")
    HEAD_ATTENDANCE_NOTICE = "head_attendance_notice", _("Agency-head attendance notice")
    LEGAL_AID_NOTICE = "legal_aid_notice", _("Legal-aid assignment notice")
    FOLLOWUP_RECORD = "followup_record", _("Follow-up visit record")
    LOSS_ANALYSIS_REPORT = "loss_analysis_report", _("Loss analysis report")
    MEETING_NOTICE = "meeting_notice", _("Resolution meeting notice")
    AID_REFUSAL = "aid_refusal", _("Decision refusing legal aid")
    BULLETIN = "bulletin", _("Bulletin")


# Types the system writes from data (``services.document_generate``), never drafted about a case.
GENERATED: frozenset[str] = frozenset({DocumentType.BULLETIN})
# The types a clerk drafts about a case.
DRAFTABLE: list[str] = [value for value in DocumentType.values if value not in GENERATED]


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label: StrOrPromise
    multiline: bool = False
    required: bool = True
    # "date": stored as 2026-11-01 (validated), printed as 2026年11月1日.
    kind: str = "text"


@dataclass(frozen=True)
class DocumentSpec:
    title: str  # printed title, in Chinese: official documents are issued in Chinese whatever the UI language
    code: str  # the character(s) in the document number: 郧西化受〔2026〕3号
    fields: tuple[FieldSpec, ...] = field(default_factory=tuple)


_ADDRESSEE = FieldSpec("addressee", _("Addressee"))
_BODY = FieldSpec("body", _("Body"), multiline=True)
_CLOSING = FieldSpec("closing", _("Closing remarks"), multiline=True, required=False)

SPECS: dict[str, DocumentSpec] = {
    DocumentType.ACCEPTANCE_NOTICE: DocumentSpec("受理通知书", "受", (_ADDRESSEE, _BODY, _CLOSING)),
    DocumentType.CORRECTION_NOTICE: DocumentSpec(
        "补正通知书",
        "补",
        (_ADDRESSEE, FieldSpec("items", _("Materials to supply"), multiline=True), _BODY, _CLOSING),
    ),
    DocumentType.REJECTION_DECISION: DocumentSpec(
        "不予受理决定书",
        "不受",
        (_ADDRESSEE, FieldSpec("reason", _("Reasons"), multiline=True), _BODY, _CLOSING),
    ),
    DocumentType.RESOLUTION_AGREEMENT: DocumentSpec(
        "行政争议化解协议书", "协", (FieldSpec("terms", _("Agreed terms"), multiline=True), _BODY, _CLOSING)
    ),
    DocumentType.CONFIRMATION: DocumentSpec("行政争议化解确认书", "确", (_ADDRESSEE, _BODY, _CLOSING)),
    DocumentType.TRANSFER_LETTER: DocumentSpec(
        "行政争议移送函",
        "移",
        (_ADDRESSEE, _BODY, FieldSpec("attachments", _("Enclosures"), multiline=True, required=False)),
    ),
    DocumentType.FEEDBACK_LETTER: DocumentSpec("行政争议处理反馈函", "反", (_ADDRESSEE, _BODY, _CLOSING)),
    DocumentType.HEARING_NOTICE: DocumentSpec(
        "行政复议听证通知书",
        "听",
        (
            _ADDRESSEE,
            FieldSpec("hearing_time", _("Hearing time")),
            FieldSpec("hearing_place", _("Hearing place")),
            FieldSpec("issues", _("Issues to be heard"), multiline=True, required=False),
            _BODY,
            _CLOSING,
        ),
    ),
    DocumentType.MEETING_NOTICE: DocumentSpec(
        "行政争议化解会通知书",
        "会",
        (
            _ADDRESSEE,
            FieldSpec("hearing_time", _("Meeting time")),
            FieldSpec("hearing_place", _("Meeting place")),
            FieldSpec("issues", _("Matters to be discussed"), multiline=True, required=False),
            _BODY,
            _CLOSING,
        ),
    ),
    DocumentType.HEAD_ATTENDANCE_NOTICE: DocumentSpec(
        "行政机关负责人出庭应诉（参加听证）通知书",
        "出",
        (
            _ADDRESSEE,
            FieldSpec("hearing_time", _("Hearing time")),
            FieldSpec("hearing_place", _("Hearing place")),
            _BODY,
            _CLOSING,
        ),
    ),
    DocumentType.AID_REFUSAL: DocumentSpec(
        "不予法律援助决定书",
        "援不",
        (_ADDRESSEE, FieldSpec("reason", _("Reasons"), multiline=True), _BODY, _CLOSING),
    ),
    DocumentType.LEGAL_AID_NOTICE: DocumentSpec(
        "指派法律援助通知书", "援", (_ADDRESSEE, FieldSpec("lawyer", _("Assigned lawyer")), _BODY, _CLOSING)
    ),
    DocumentType.FOLLOWUP_RECORD: DocumentSpec(
        "行政复议决定后回访记录",
        "访",
        (
            FieldSpec("visited_on", _("Visited on"), kind="date"),
            FieldSpec("visitors", _("Visited by")),
            FieldSpec("findings", _("Findings"), multiline=True),
            _BODY,
        ),
    ),
    # Generated from the figures of its period (``documents.services.document_generate``), not drafted.
    DocumentType.BULLETIN: DocumentSpec(
        "行政争议化解工作通报",
        "通",
        (FieldSpec("remarks", _("Remarks and requirements"), multiline=True, required=False),),
    ),
    DocumentType.LOSS_ANALYSIS_REPORT: DocumentSpec(
        "行政诉讼败诉案件分析报告",
        "析",
        (
            FieldSpec("causes", _("Causes of the loss"), multiline=True),
            FieldSpec("plan", _("Performance plan"), multiline=True),
            FieldSpec("rectification", _("Rectification measures"), multiline=True),
            _BODY,
        ),
    ),
}


def clean_field(spec: FieldSpec, value: object) -> str:
    """A field's value as stored: text as typed; a date as 2026-11-01 (``ValidationError`` if it is
    not a date). An empty value stays empty (whether it may be is the issue's check)."""
    text = "" if value is None else str(value)
    if spec.kind == "date" and text.strip():
        parsed = parse_date(value)
        if parsed is None:
            raise ValidationError(_("Enter a valid date, e.g. 2026-11-01."))
        return parsed.isoformat()
    return text.strip() if spec.kind == "date" else text


def printed_fields(doc_type: str, fields: dict) -> dict:
    """The fields as the document prints them: a date field as 2026年11月1日 (a value typed before
    the field was a date is printed as it was typed)."""
    printed = {k: "" if v is None else v for k, v in (fields or {}).items()}
    for spec in SPECS[doc_type].fields:
        if spec.kind == "date" and printed.get(spec.name):
            parsed = parse_date(printed[spec.name])
            if parsed is not None:
                printed[spec.name] = chinese_date(parsed)
    return printed


def template_name(doc_type: str) -> str:
    return f"documents/types/{doc_type}.html"
