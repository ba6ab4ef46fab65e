"""What the documents app needs to know about a case: who may see it, the facts a document prints,
and the pre-filled text of each document type. Registered in DisputesConfig.ready()."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from core.access import get_scoped_or_404
from documents.subjects import SubjectAdapter, register_subject
from documents.types import DocumentType as T

from .choices import PartyRole
from .models import Dispute


def _resolve(user, pk: int) -> Dispute:
    return get_scoped_or_404(Dispute.objects.select_related("respondent", "centre", "region"), user, pk=pk)


def _date(value) -> str:
    return f"{value:%Y年%-m月%-d日}" if value else ""


def _context(d: Dispute, doc_type: str) -> dict:
    """The case facts printed in the document, frozen in the draft so an issued document keeps them."""
    parties = list(d.parties.all())
    applicants = [p for p in parties if p.role == PartyRole.APPLICANT]
    resolution, recon, lit = d.current_resolution, d.current_reconsideration, d.current_litigation
    return {
        "number": d.number,
        "kind": d.get_kind_display(),
        "applicants": "、".join(p.name for p in applicants),
        "applicant_details": [
            {
                "name": p.name,
                "identifier": p.identifier,
                "address": p.address,
                "phone": p.phone,
                "legal_representative": p.legal_representative,
            }
            for p in applicants
        ],
        "third_parties": "、".join(p.name for p in parties if p.role == PartyRole.THIRD_PARTY),
        "respondent": d.respondent.name,
        "centre": d.centre.name,
        "act_summary": d.act_summary,
        "act_document_number": d.act_document_number,
        "act_date": _date(d.act_date),
        "matter": d.get_matter_display(),
        "claims": d.claims,
        "facts": d.facts,
        "received_on": _date(d.received_on),
        "court_case_number": d.court_case_number or (lit.court_case_number if lit else ""),
        "agreement_terms": resolution.agreement_terms if resolution else "",
        "agreement_signed_on": _date(resolution.agreement_signed_on) if resolution else "",
        "transfer_to": resolution.transfer_to.name if resolution and resolution.transfer_to else "",
        "failure_reason": resolution.failure_reason if resolution else "",
        "hearing_at": f"{timezone.localtime(recon.hearing_at):%Y年%-m月%-d日 %H:%M}"
        if recon and recon.hearing_at
        else "",
        "hearing_place": recon.hearing_place if recon else "",
        "decision": recon.get_decision_type_display() if recon and recon.decision_type else "",
        "court": lit.court.name if lit else "",
        "litigation_outcome": lit.get_outcome_display() if lit and lit.outcome else "",
        "perform_by": _date(d.perform_by),
    }


def _initial(d: Dispute, doc_type: str) -> dict:
    c = _context(d, doc_type)
    applicant = c["applicants"] or "申请人"
    received = c["received_on"]
    texts: dict[str, dict[str, Any]] = {
        T.ACCEPTANCE_NOTICE: {
            "addressee": applicant,
            "body": f"你（单位）于{received}提出的行政争议化解申请收悉。经审查，该申请符合受理条件，本中心决定予以受理，"
            f"案号为{d.number}。本中心将指派化解员组织双方协商，请保持联系方式畅通。",
            "closing": "特此通知。",
        },
        T.CORRECTION_NOTICE: {
            "addressee": applicant,
            "items": "",
            "body": f"你（单位）于{received}提出的申请材料不齐全。请自收到本通知之日起十个工作日内补正下列材料；"
            "无正当理由逾期不补正的，视为放弃申请。",
            "closing": "特此通知。",
        },
        T.REJECTION_DECISION: {
            "addressee": applicant,
            "reason": "",
            "body": f"你（单位）于{received}提出的申请，经审查，不符合受理条件，本中心决定不予受理。",
            "closing": "如不服本决定，可依法申请行政复议或者提起行政诉讼。",
        },
        T.RESOLUTION_AGREEMENT: {
            "terms": c["agreement_terms"],
            "body": f"申请人{applicant}与被申请人{c['respondent']}因{c['act_summary']}发生行政争议，"
            "经本中心组织协商，双方在自愿、合法的基础上达成如下协议：",
            "closing": "本协议自双方签字（盖章）之日起生效。双方可自协议生效之日起三十日内共同向人民法院申请司法确认。",
        },
        T.CONFIRMATION: {
            "addressee": f"{applicant}、{c['respondent']}",
            "body": f"{applicant}与{c['respondent']}之间的行政争议，经本中心组织化解，双方已于{c['agreement_signed_on']}"
            "达成化解协议。现予以确认。",
            "closing": "",
        },
        T.TRANSFER_LETTER: {
            "addressee": c["transfer_to"],
            "body": f"{applicant}与{c['respondent']}因{c['act_summary']}发生的行政争议，经本中心组织化解未能达成一致"
            f"（{c['failure_reason'].rstrip('。；;.')}）。根据有关规定，现将该争议移送你单位依法处理，请于处理后函告本中心。",
            "attachments": "行政争议化解申请书及相关材料",
        },
        T.FEEDBACK_LETTER: {
            "addressee": d.centre.name,
            "body": f"你中心移送的{applicant}与{c['respondent']}行政争议（案号{d.number}）已收悉。现将处理情况反馈如下：",
            "closing": "特此函复。",
        },
        T.HEARING_NOTICE: {
            "addressee": f"{applicant}、{c['respondent']}",
            "hearing_time": c["hearing_at"],
            "hearing_place": c["hearing_place"],
            "body": "本机关决定对该行政复议案件举行听证，请按时参加。被申请人的负责人应当参加听证；不能参加的，"
            "应当说明理由并委托相应的工作人员参加。",
            "closing": "特此通知。",
        },
        T.HEAD_ATTENDANCE_NOTICE: {
            "addressee": f"{c['respondent']}主要负责人",
            "hearing_time": c["hearing_at"],
            "hearing_place": c["hearing_place"] or c["court"],
            "body": f"{applicant}诉你单位行政争议一案，定于下列时间开庭（听证）。请你单位负责人出庭应诉（参加听证），"
            "并就实质性化解争议发表意见。不能出庭的，请提前书面说明理由。",
            "closing": "特此通知。",
        },
        T.LEGAL_AID_NOTICE: {
            "addressee": applicant,
            "lawyer": "",
            "body": "你申请的法律援助事项，经审查符合法律援助条件，本机构决定指派下列律师为你提供法律援助。",
            "closing": "特此通知。",
        },
        T.FOLLOWUP_RECORD: {
            "visited_on": _date(timezone.localdate()),
            "visitors": "",
            "findings": "",
            "body": f"复议决定（{c['decision']}）作出后，本机关对申请人{applicant}进行回访，了解决定履行情况和当事人意见。",
        },
        T.LOSS_ANALYSIS_REPORT: {
            "causes": "",
            "plan": f"依法于{c['perform_by']}前履行生效裁判确定的义务。" if c["perform_by"] else "",
            "rectification": "",
            "body": f"{c['respondent']}在{applicant}诉本单位{c['act_summary']}一案中败诉。现将败诉原因分析及整改措施报告如下：",
        },
    }
    return texts.get(doc_type, {})


def register() -> None:
    register_subject(
        Dispute,
        SubjectAdapter(
            resolve=_resolve,
            context=_context,
            initial=_initial,
            issuer=lambda d: d.centre,
            url=lambda d: d.get_absolute_url(),
        ),
    )
