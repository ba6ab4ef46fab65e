"""What the documents app needs to know about a case: who may see it, which body issues each document,
the facts a document prints, the pre-filled text of each type, and which types fit the case's stage.
Registered in DisputesConfig.ready().

The wording follows three rules a clerk keeps without thinking:

* **the verb follows the source**: a party *applies* (申请) only when it did — a walk-in application, a
  reconsideration application, a party guided to reconsideration; a court *pushes* (推送), the
  petitions office *passes on* (转办), an agency *transfers* (移送);
* **诉 belongs to litigation**: a reconsideration is 申请人…对你单位…申请行政复议, never 诉你单位;
* **the issuing body is the body that acts**: the centre for what it does in resolution, the body
  holding the reconsideration (the justice bureau, or the body the case was transferred to) for the
  reconsideration's notices and visits, the legal-aid centre for a legal-aid assignment, the receiving
  body for its feedback, the respondent agency for its own loss analysis.

Facts are joined into sentences with ``documents.text.join``/``clause``, so a fact that ends in "。"
never prints "。，".
"""

from __future__ import annotations

from django.utils import timezone, translation

from core.access import get_scoped_or_404
from core.models import Organisation
from documents.subjects import SubjectAdapter, register_subject
from documents.text import chinese_date, clause, join
from documents.types import DocumentType as T

from .choices import CaseKind, ClosingReason, PartyRole, Source, Stage, Status, TransferTarget
from .models import Dispute

Kind = Organisation.Kind

# Sources where the party itself applied; every other source names who brought the case and how.
APPLIED_SOURCES = frozenset({Source.WALK_IN, Source.RECONSIDERATION, Source.GUIDED})
SOURCE_VERB: dict[str, str] = {
    Source.COURT_PUSH: "推送",
    Source.PETITION_TRANSFER: "转办",
    Source.AGENCY_TRANSFER: "移送",
}

# The context a document speaks in: it decides the issuing body and whether 诉 may be written.
RESOLUTION, RECONSIDERATION, LITIGATION = "resolution", "reconsideration", "litigation"

# How an issuing body refers to itself in its own documents.
SELF_REFERENCE: dict[str, str] = {
    Kind.CENTRE: "本中心",
    Kind.JUSTICE_BUREAU: "本机关",
    Kind.LEGAL_AID_CENTRE: "本机构",
    Kind.COURT: "本院",
    Kind.COMMITTEE: "本委员会",
}
# …and how it is addressed by another body.
SECOND_PERSON: dict[str, str] = {Kind.CENTRE: "你中心", Kind.COURT: "你院"}

# The document types that fit each status, most likely first (the documents card offers them first).
FITTING_TYPES: dict[str, tuple[str, ...]] = {
    Status.REGISTERED: (T.ACCEPTANCE_NOTICE, T.CORRECTION_NOTICE, T.REJECTION_DECISION),
    Status.CORRECTION: (T.CORRECTION_NOTICE, T.ACCEPTANCE_NOTICE, T.REJECTION_DECISION),
    Status.REJECTED: (T.REJECTION_DECISION,),
    Status.ACCEPTED: (T.ACCEPTANCE_NOTICE, T.LEGAL_AID_NOTICE),
    Status.MEDIATING: (T.RESOLUTION_AGREEMENT, T.MEETING_NOTICE, T.LEGAL_AID_NOTICE),
    Status.AGREED: (T.RESOLUTION_AGREEMENT, T.CONFIRMATION),
    Status.CONFIRMATION_REQUESTED: (T.CONFIRMATION, T.RESOLUTION_AGREEMENT),
    Status.FAILED: (T.TRANSFER_LETTER,),
    Status.TRANSFERRED: (T.TRANSFER_LETTER, T.FEEDBACK_LETTER),
    Status.RECON_ACCEPTED: (T.ACCEPTANCE_NOTICE, T.FEEDBACK_LETTER, T.LEGAL_AID_NOTICE),
    Status.RECON_REPLIED: (T.HEARING_NOTICE, T.HEAD_ATTENDANCE_NOTICE, T.LEGAL_AID_NOTICE),
    Status.RECON_HEARING: (T.HEARING_NOTICE, T.HEAD_ATTENDANCE_NOTICE),
    Status.RECON_SUSPENDED: (),
    Status.RECON_DECIDED: (T.FOLLOWUP_RECORD,),
    Status.LIT_FILED: (T.FEEDBACK_LETTER, T.LEGAL_AID_NOTICE),
    Status.LIT_NOTICED: (T.HEAD_ATTENDANCE_NOTICE, T.LEGAL_AID_NOTICE),
    Status.LIT_ANSWERED: (T.HEAD_ATTENDANCE_NOTICE,),
    Status.LIT_HEARD: (T.HEAD_ATTENDANCE_NOTICE,),
    Status.LIT_DECIDED: (T.LOSS_ANALYSIS_REPORT,),
    Status.LIT_APPEALED: (T.HEAD_ATTENDANCE_NOTICE,),
    Status.PERFORMANCE: (T.LOSS_ANALYSIS_REPORT, T.FOLLOWUP_RECORD),
    Status.CLOSED: (),
}


def fitting_types(d: Dispute) -> list[str]:
    """The types that fit the case's status now; a closed case's own last document."""
    types = list(FITTING_TYPES.get(d.status, ()))
    if d.status == Status.LIT_DECIDED and d.agency_lost is False:
        types.remove(T.LOSS_ANALYSIS_REPORT)
    if d.status == Status.PERFORMANCE and not d.agency_lost:
        types.remove(T.LOSS_ANALYSIS_REPORT)
    if d.status == Status.CLOSED:
        if d.closing_reason == ClosingReason.CONFIRMED:
            types.append(T.CONFIRMATION)
        if d.closing_reason == ClosingReason.RECON_DECIDED:
            types.append(T.FOLLOWUP_RECORD)
    return types


def _resolve(user, pk: int) -> Dispute:
    return get_scoped_or_404(
        Dispute.objects.select_related("respondent", "centre", "centre__parent", "region", "court"),
        user,
        pk=pk,
    )


def _forum(d: Dispute, doc_type: str) -> str:
    """The proceeding the document belongs to."""
    if doc_type in (T.ACCEPTANCE_NOTICE, T.CORRECTION_NOTICE, T.REJECTION_DECISION):
        return RECONSIDERATION if d.kind == CaseKind.RECONSIDERATION else RESOLUTION
    if doc_type in (T.RESOLUTION_AGREEMENT, T.CONFIRMATION, T.TRANSFER_LETTER, T.MEETING_NOTICE):
        return RESOLUTION
    if doc_type in (T.HEARING_NOTICE, T.FOLLOWUP_RECORD):
        return RECONSIDERATION
    if doc_type == T.LOSS_ANALYSIS_REPORT:
        return LITIGATION
    if doc_type == T.FEEDBACK_LETTER:
        r = d.current_resolution
        return LITIGATION if r and r.transfer_target == TransferTarget.LITIGATION else RECONSIDERATION
    # The head's attendance and legal aid follow the case's stage.
    if d.stage in (Stage.LITIGATION, Stage.POST_DECISION) and d.current_litigation:
        return LITIGATION
    if d.stage == Stage.RECONSIDERATION or d.current_reconsideration or d.kind == CaseKind.RECONSIDERATION:
        return RECONSIDERATION
    if doc_type == T.HEAD_ATTENDANCE_NOTICE:
        return LITIGATION
    return RESOLUTION


def reconsideration_body(d: Dispute) -> Organisation:
    """The body holding the case's reconsideration: the one it was transferred to; else the justice
    bureau (the centre itself, the bureau running the centre, or the region's bureau); the centre
    only where no bureau is recorded."""
    r = d.current_resolution
    if r and r.transfer_target == TransferTarget.RECONSIDERATION and r.transfer_to is not None:
        return r.transfer_to
    if d.centre.kind == Kind.JUSTICE_BUREAU:
        return d.centre
    parent = d.centre.parent
    if parent is not None and parent.kind == Kind.JUSTICE_BUREAU:
        return parent
    bureau = (
        Organisation.objects.filter(kind=Kind.JUSTICE_BUREAU, region_id=d.region_id, is_active=True)
        .order_by("pk")
        .first()
    )
    return bureau or d.centre


def _legal_aid_body(d: Dispute) -> Organisation:
    centre = (
        Organisation.objects.filter(kind=Kind.LEGAL_AID_CENTRE, region_id=d.region_id, is_active=True)
        .order_by("pk")
        .first()
    )
    return centre or reconsideration_body(d)


def _issuer(d: Dispute, doc_type: str) -> Organisation:
    forum = _forum(d, doc_type)
    if doc_type == T.LOSS_ANALYSIS_REPORT:
        return d.respondent  # the agency that lost reports on its own loss
    if doc_type in (T.LEGAL_AID_NOTICE, T.AID_REFUSAL):
        return _legal_aid_body(d)
    if doc_type == T.FEEDBACK_LETTER:
        r = d.current_resolution
        return r.transfer_to if r and r.transfer_to is not None else reconsideration_body(d)
    if forum == RECONSIDERATION:
        return reconsideration_body(d)
    return d.centre


def _intake(d: Dispute, applicants: str, received: str, respondent: str, self_ref: str) -> dict:
    """How the case reached the centre, in the words each document needs."""
    applied = d.source in APPLIED_SOURCES
    verb = "申请" if applied else SOURCE_VERB.get(d.source, "移送")
    by_source: dict[str, str] = {
        Source.COURT_PUSH: d.court.name if d.court is not None else "人民法院",
        Source.PETITION_TRANSFER: "信访工作机构",
        Source.AGENCY_TRANSFER: "有关行政机关",
    }
    by = by_source.get(d.source, applicants)
    reconsideration = d.kind == CaseKind.RECONSIDERATION or d.source in (
        Source.RECONSIDERATION,
        Source.GUIDED,
    )
    application = "行政复议申请" if reconsideration else "行政争议化解申请"
    if applied:
        received_object = f"你（单位）于{received}提出的{application}"
        agreement_intake = (
            f"于{received}提出行政复议申请" if reconsideration else f"于{received}向{d.centre.name}申请化解"
        )
        recon_intake = f"于{received}提出行政复议申请"
    else:
        received_object = f"{by}于{received}{verb}的你（单位）与{respondent}之间的行政争议"
        agreement_intake = f"该争议由{by}于{received}{verb}{d.centre.name}化解"
        recon_intake = f"该争议由{by}于{received}{verb}{self_ref}"
    return {
        "applied": applied,
        "intake_verb": verb,
        "intake_by": by,
        "application": application if applied else "行政争议",
        "received_object": received_object,
        "agreement_intake": agreement_intake,
        "recon_intake": recon_intake,
    }


def _context(d: Dispute, doc_type: str) -> dict:
    """The case facts printed in the document, frozen in the draft so an issued document keeps them."""
    # Official documents are written in Chinese whatever the clerk's interface language.
    with translation.override("zh-hans"):
        return _context_zh(d, doc_type)


def _context_zh(d: Dispute, doc_type: str) -> dict:
    parties = list(d.parties.all())
    applicants = [p for p in parties if p.role == PartyRole.APPLICANT]
    resolution, recon, lit = d.current_resolution, d.current_reconsideration, d.current_litigation
    issuer = _issuer(d, doc_type)
    forum = _forum(d, doc_type)
    self_ref = SELF_REFERENCE.get(issuer.kind, "本单位")
    applicant_names = "、".join(p.name for p in applicants)
    received = chinese_date(d.received_on)
    transfer_to = resolution.transfer_to if resolution else None
    transferred = transfer_to is not None
    context = {
        "number": d.number,
        "kind": str(d.get_kind_display()),
        "source": d.source,
        "forum": forum,
        "issuer_kind": issuer.kind,
        "self_ref": self_ref,
        "applicants": applicant_names,
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
        "centre_addressed": SECOND_PERSON.get(d.centre.kind, "你单位"),
        "act_summary": clause(d.act_summary),
        "act_document_number": d.act_document_number,
        "act_date": chinese_date(d.act_date),
        "matter": str(d.get_matter_display()),
        "claims": clause(d.claims),
        "facts": d.facts,
        "received_on": received,
        "court_case_number": d.court_case_number or (lit.court_case_number if lit else ""),
        "agreement_terms": resolution.agreement_terms if resolution else "",
        "agreement_signed_on": chinese_date(resolution.agreement_signed_on) if resolution else "",
        "transfer_to": transfer_to.name if transfer_to is not None else "",
        "transferred_on": chinese_date(resolution.transferred_on) if resolution else "",
        "failure_reason": clause(resolution.failure_reason) if resolution else "",
        "hearing_at": f"{timezone.localtime(recon.hearing_at):%Y年%-m月%-d日 %H:%M}"
        if recon and recon.hearing_at
        else "",
        "hearing_place": clause(recon.hearing_place) if recon else "",
        "session_at": f"{timezone.localtime(lit.session_at):%Y年%-m月%-d日 %H:%M}"
        if lit and lit.session_at
        else "",
        "decision": str(recon.get_decision_type_display()) if recon and recon.decision_type else "",
        "court": lit.court.name if lit else "",
        "litigation_outcome": str(lit.get_outcome_display()) if lit and lit.outcome else "",
        "perform_by": chinese_date(d.perform_by),
        **_intake(d, applicant_names, received, d.respondent.name, self_ref),
    }
    # A transferred case reached the reconsideration body from the centre, not from the party.
    if (
        forum == RECONSIDERATION
        and resolution is not None
        and transferred
        and resolution.transfer_target == TransferTarget.RECONSIDERATION
    ):
        context["recon_intake"] = join(
            f"经{d.centre.name}组织化解未能达成一致",
            f"由{d.centre.name}于{context['transferred_on']}移送{self_ref}",
        )
    if doc_type == T.HEAD_ATTENDANCE_NOTICE:
        context["title"] = (
            "行政机关负责人出庭应诉通知书" if forum == LITIGATION else "行政机关负责人参加听证通知书"
        )
    return context


def _act(c: dict) -> str:
    number = f"（{c['act_document_number']}）" if c["act_document_number"] else ""
    return f"{c['act_summary']}{number}"


def _initial(d: Dispute, doc_type: str) -> dict[str, str]:
    c = _context(d, doc_type)
    applicant = c["applicants"] or "申请人"
    us = c["self_ref"]
    reconsideration = c["forum"] == RECONSIDERATION
    handling = (
        f"{us}将依法审理，请保持联系方式畅通。"
        if reconsideration
        else f"{us}将指派化解员组织双方协商，请保持联系方式畅通。"
    )
    texts: dict[str, dict[str, str]] = {
        T.ACCEPTANCE_NOTICE: {
            "addressee": applicant,
            "body": f"{c['received_object']}收悉。"
            + join(
                f"经审查，该{'申请' if c['applied'] else '争议'}符合受理条件",
                f"{us}决定予以受理",
                f"案号为{d.number}",
                end="。",
            )
            + handling,
            "closing": "特此通知。",
        },
        T.CORRECTION_NOTICE: {
            "addressee": applicant,
            "items": "",
            "body": join(
                c["received_object"],
                f"{'申请' if c['applied'] else '相关'}材料不齐全",
                end="。",
            )
            + "请自收到本通知之日起十个工作日内补正下列材料；无正当理由逾期不补正的，"
            + ("视为放弃申请。" if c["applied"] else f"{us}将终止办理。"),
            "closing": "特此通知。",
        },
        T.REJECTION_DECISION: {
            "addressee": applicant,
            "reason": "",
            "body": join(c["received_object"], "经审查，不符合受理条件", f"{us}决定不予受理", end="。"),
            "closing": "如不服本决定，可以自收到本决定书之日起十五日内依法向人民法院提起行政诉讼。"
            if reconsideration
            else "如不服本决定，可依法申请行政复议或者提起行政诉讼。",
        },
        T.RESOLUTION_AGREEMENT: {
            "terms": c["agreement_terms"],
            "body": join(
                f"申请人{applicant}与被申请人{c['respondent']}因{c['act_summary']}发生行政争议",
                f"经{us}组织协商，双方在自愿、合法的基础上达成如下协议",
                end="：",
            ),
            "closing": "本协议自双方签字（盖章）之日起生效。双方可自协议生效之日起三十日内共同向人民法院申请司法确认。",
        },
        T.CONFIRMATION: {
            "addressee": f"{applicant}、{c['respondent']}",
            "body": join(
                f"{applicant}与{c['respondent']}之间的行政争议",
                f"经{us}组织化解",
                f"双方已于{c['agreement_signed_on']}达成化解协议"
                if c["agreement_signed_on"]
                else "双方已达成化解协议",
                end="。",
            )
            + "现予以确认。",
            "closing": "",
        },
        T.TRANSFER_LETTER: {
            "addressee": c["transfer_to"],
            "body": join(
                f"{applicant}与{c['respondent']}因{c['act_summary']}发生的行政争议",
                f"经{us}组织化解未能达成一致" + (f"（{c['failure_reason']}）" if c["failure_reason"] else ""),
                end="。",
            )
            + "根据有关规定，现将该争议移送你单位依法处理，请于处理后函告"
            + us
            + "。",
            "attachments": "行政争议化解申请书及相关材料" if c["applied"] else "行政争议有关材料",
        },
        T.FEEDBACK_LETTER: {
            "addressee": c["centre"],
            "body": join(
                f"{c['centre_addressed']}于{c['transferred_on']}移送的{applicant}与{c['respondent']}行政争议"
                f"（案号{d.number}）已收悉",
                end="。",
            )
            + "现将处理情况反馈如下："
            if c["transfer_to"]
            else f"{applicant}与{c['respondent']}行政争议（案号{d.number}）的处理情况反馈如下：",
            "closing": "特此函复。",
        },
        T.HEARING_NOTICE: {
            "addressee": f"{applicant}、{c['respondent']}",
            "hearing_time": c["hearing_at"],
            "hearing_place": c["hearing_place"],
            "body": f"{us}决定对该行政复议案件举行听证，请按时参加。被申请人的负责人应当参加听证；不能参加的，"
            "应当说明理由并委托相应的工作人员参加。",
            "closing": "特此通知。",
        },
        T.HEAD_ATTENDANCE_NOTICE: (
            {
                "addressee": f"{c['respondent']}主要负责人",
                "hearing_time": c["session_at"],
                "hearing_place": c["court"],
                "body": f"原告{applicant}诉你单位{_act(c)}一案，定于下列时间开庭。请你单位负责人出庭应诉，"
                "并就实质性化解争议发表意见。不能出庭的，请提前书面说明理由。",
                "closing": "特此通知。",
            }
            if c["forum"] == LITIGATION
            else {
                "addressee": f"{c['respondent']}主要负责人",
                "hearing_time": c["hearing_at"],
                "hearing_place": c["hearing_place"],
                "body": f"申请人{applicant}对你单位作出的{_act(c)}申请行政复议一案，{us}定于下列时间举行听证。"
                "请你单位负责人参加听证，并就实质性化解争议发表意见。不能参加的，请提前书面说明理由。",
                "closing": "特此通知。",
            }
        ),
        T.MEETING_NOTICE: {
            "addressee": f"{applicant}、{c['respondent']}",
            "hearing_time": "",
            "hearing_place": "",
            "issues": "",
            "body": f"{applicant}与{c['respondent']}行政争议（案号{d.number}）一案，{us}定于下列时间召开行政争议化解会，"
            "请按时参加。",
            "closing": "特此通知。",
        },
        T.AID_REFUSAL: {
            "addressee": applicant,
            "reason": "",
            "body": f"你申请的法律援助事项（案号{d.number}），经审查，不符合法律援助条件，{us}决定不予法律援助。",
            "closing": "特此决定。",
        },
        T.LEGAL_AID_NOTICE: {
            "addressee": applicant,
            "lawyer": "",
            "body": f"你申请的法律援助事项，经审查符合法律援助条件，{us}决定指派下列律师为你提供法律援助。",
            "closing": "特此通知。",
        },
        T.FOLLOWUP_RECORD: {
            "visited_on": timezone.localdate().isoformat(),
            "visitors": "",
            "findings": "",
            "body": ("复议决定" + (f"（{c['decision']}）" if c["decision"] else ""))
            + f"作出后，{us}对申请人{applicant}进行回访，了解决定履行情况和当事人意见。",
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
            issuer=_issuer,
            url=lambda d: d.get_absolute_url(),
            fitting_types=fitting_types,
        ),
    )
