"""Demo disputes in every stage, created through the same services a clerk uses (so numbers,
timelines and history are real). Idempotent: a case is recognised by its act's document number."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from core import workdays
from core.models import Organisation, User
from core.validators import resident_id_check_char, uscc_check_char
from disputes.choices import ActKind, CaseKind, Consent, MatterCategory, PartyKind, PartyRole, Source
from disputes.models import Dispute
from disputes.services import PartyInput, dispute_register, dispute_transition, series_create
from hearings.models import Room
from hearings.services import court_session_record, hearing_schedule, meeting_schedule


def _id(birth: str, serial: str) -> str:
    first17 = f"420322{birth}{serial}"
    return first17 + resident_id_check_char(first17)


def _uscc(body: str) -> str:
    first17 = (body + "0" * 17)[:17]
    return first17 + uscc_check_char(first17)


# (key = act document number, applicant, id or credit code, agency, matter, act kind, act summary,
#  claims, kind, source, days ago received, steps)
CASES = [
    (
        "郧西自然资征〔2026〕11号",
        "王大山",
        _id("19640312", "031"),
        "郧西县自然资源和规划局",
        MatterCategory.LAND,
        ActKind.EXPROPRIATION,
        "土门镇集体土地征收补偿安置决定",
        "请求提高房屋及地上附着物补偿标准",
        CaseKind.RESOLUTION,
        Source.WALK_IN,
        2,
        [],
    ),
    (
        "郧西人社工伤〔2026〕27号",
        "李秀英",
        _id("19710805", "042"),
        "郧西县人力资源和社会保障局",
        MatterCategory.WORK_INJURY,
        ActKind.CONFIRMATION,
        "不予认定工伤决定",
        "请求撤销不予认定工伤决定，重新认定",
        CaseKind.RESOLUTION,
        Source.PETITION_TRANSFER,
        20,
        ["accept", "assign", "session", "meeting"],
    ),
    (
        "郧西公（治）决字〔2026〕88号",
        "张建华",
        _id("19850120", "015"),
        "郧西县公安局",
        MatterCategory.PUBLIC_SECURITY,
        ActKind.PENALTY,
        "行政拘留五日并处罚款五百元",
        "请求撤销行政处罚决定",
        CaseKind.RESOLUTION,
        Source.WALK_IN,
        35,
        ["accept", "assign", "session", "agree", "request_confirmation"],
    ),
    (
        "郧西市监处罚〔2026〕6号",
        "十堰鑫源建材有限公司",
        _uscc("91420322MA49XY"),
        "郧西县市场监督管理局",
        MatterCategory.MARKET,
        ActKind.PENALTY,
        "没收违法所得并罚款三万元",
        "请求减轻处罚",
        CaseKind.RESOLUTION,
        Source.AGENCY_TRANSFER,
        60,
        ["accept", "assign", "agree", "request_confirmation", "confirm"],
    ),
    (
        "郧西住建征〔2025〕19号",
        "刘德明",
        _id("19580930", "057"),
        "郧西县住房和城乡建设局",
        MatterCategory.DEMOLITION,
        ActKind.EXPROPRIATION,
        "国有土地上房屋征收决定",
        "请求撤销征收决定",
        CaseKind.RESOLUTION,
        Source.WALK_IN,
        75,
        ["accept", "assign", "fail", "transfer_recon", "feedback", "reply"],
    ),
    (
        "郧西自然资罚〔2026〕4号",
        "陈桂兰",
        _id("19670214", "068"),
        "郧西县自然资源和规划局",
        MatterCategory.NATURAL_RESOURCES,
        ActKind.PENALTY,
        "责令退还非法占用土地并罚款",
        "请求撤销处罚决定",
        CaseKind.RECONSIDERATION,
        Source.RECONSIDERATION,
        25,
        ["accept", "reply", "hearing"],
    ),
    (
        "郧西城管罚〔2026〕15号",
        "赵永强",
        _id("19790611", "079"),
        "郧西县城市管理执法局",
        MatterCategory.PLANNING,
        ActKind.COMPULSION,
        "限期拆除违法建筑决定",
        "请求确认强制拆除行为违法",
        CaseKind.RECONSIDERATION,
        Source.RECONSIDERATION,
        80,
        ["accept", "reply", "decide_revoke", "effective"],
    ),
    (
        "郧西交运罚〔2026〕9号",
        "周文",
        _id("19900302", "083"),
        "郧西县交通运输局",
        MatterCategory.TRANSPORT,
        ActKind.PENALTY,
        "非法营运罚款二万元",
        "请求撤销罚款决定",
        CaseKind.RESOLUTION,
        Source.COURT_PUSH,
        18,
        ["refused", "notice", "court_notice"],
    ),
    (
        "郧西人社保〔2026〕33号",
        "吴小红",
        _id("19820716", "094"),
        "郧西县人力资源和社会保障局",
        MatterCategory.SOCIAL_INSURANCE,
        ActKind.CONFIRMATION,
        "养老保险待遇核定",
        "请求重新核定养老保险待遇",
        CaseKind.RESOLUTION,
        Source.COURT_PUSH,
        3,
        ["consented"],
    ),
    (
        "郧西自然资登〔2025〕41号",
        "郑海",
        _id("19750425", "105"),
        "郧西县自然资源和规划局",
        MatterCategory.LAND,
        ActKind.CONFIRMATION,
        "不动产登记行为",
        "请求撤销不动产登记",
        CaseKind.RECONSIDERATION,
        Source.RECONSIDERATION,
        120,
        [
            "accept",
            "reply",
            "decide_uphold",
            "file_suit",
            "notice",
            "answer",
            "court_session",
            "lost",
            "effective",
        ],
    ),
    *[
        (
            f"郧西自然资征〔2026〕{20 + i}号",
            name,
            _id(birth, f"{110 + i}"),
            "郧西县自然资源和规划局",
            MatterCategory.LAND,
            ActKind.EXPROPRIATION,
            "土门镇集体土地征收补偿安置决定（系列案）",
            "请求按同村标准补偿青苗及附着物",
            CaseKind.RESOLUTION,
            Source.WALK_IN,
            30,
            ["accept", "assign"] if i == 0 else ["accept"],
        )
        for i, (name, birth) in enumerate(
            [("黄永福", "19600101"), ("黄永贵", "19630505"), ("何翠兰", "19661212")]
        )
    ],
]


def _room(organisation: str, name: str) -> int | None:
    return (
        Room.objects.filter(organisation__name=organisation, name=name).values_list("pk", flat=True).first()
    )


def _ahead(days: int, hour: int, minute: int) -> str:
    """A time ``days`` from today, on a working day (the next one if that day is not)."""
    day = timezone.localdate() + timedelta(days=days)
    while not workdays.is_working_day(day):
        day += timedelta(days=1)
    return f"{day.isoformat()}T{hour:02d}:{minute:02d}"


def _step(
    dispute: Dispute, step: str, people: dict[str, User], orgs: dict[str, Organisation], day: date
) -> None:
    clerk, mediator, court = people["clerk"], people["mediator"], people["court"]
    d = day.isoformat()
    plans: dict[str, tuple[str, User, dict[str, Any]]] = {
        "accept": ("accept", clerk, {"accepted_on": d}),
        "assign": ("assign_mediators", clerk, {"mediators": [mediator.pk]}),
        "session": (
            "record_session",
            mediator,
            {
                "held_on": d,
                "place": "郧西县行政争议化解中心调解室",
                "participants": "申请人、被申请人法规股、化解员",
                "summary": "听取双方意见，释法明理，双方同意继续协商。",
            },
        ),
        "agree": (
            "reach_agreement",
            mediator,
            {"agreement_terms": "被申请人重新核算并补足差额，申请人撤回申请。", "signed_on": d},
        ),
        "request_confirmation": (
            "request_confirmation",
            clerk,
            {"court": orgs["court"].pk, "requested_on": d},
        ),
        "confirm": (
            "confirm",
            court,
            {"confirmed_on": d, "confirmation_number": f"（{day.year}）鄂0322民特{dispute.sequence}号"},
        ),
        "fail": ("fail", mediator, {"reason": "申请人坚持撤销征收决定，双方分歧较大，化解不成。"}),
        "transfer_recon": (
            "transfer",
            clerk,
            {"target": "reconsideration", "transfer_to": orgs["bureau"].pk, "transferred_on": d},
        ),
        "feedback": (
            "receive_feedback",
            clerk,
            {"feedback_on": d, "feedback_note": "县司法局复函：已依法受理行政复议申请。"},
        ),
        "reply": ("record_reply", clerk, {"reply_received_on": d}),
        "hearing": (
            "schedule_hearing",
            clerk,
            {
                "hearing_at": (timezone.localtime() + timedelta(days=6))
                .replace(hour=9, minute=30, second=0, microsecond=0)
                .strftime("%Y-%m-%dT%H:%M"),
                "room": _room("郧西县司法局", "复议听证室"),
                "issues": "处罚决定认定的占地面积是否准确\n罚款数额是否适当",
                "notice_served_on": d,
            },
        ),
        "meeting": (
            "resolution_meeting",
            clerk,
            {
                "meeting_at": _ahead(3, 14, 30),
                "room": _room("郧西县行政争议化解中心", "第一调解室"),
                "presiding": mediator.pk,
                "clerk": clerk.pk,
                "issues": "工伤认定所依据的事实\n重新认定的期限",
            },
        ),
        "court_notice": (
            "court_session",
            court,
            {
                "session_at": _ahead(8, 9, 0),
                "place": "第三法庭",
                "room": _room("郧西县人民法院", "第三法庭"),
                "notice_served_on": d,
                "presiding": court.pk,
            },
        ),
        "decide_revoke": (
            "decide",
            clerk,
            {
                "decision_type": "revoke",
                "decided_on": d,
                "decision_number": "郧西政复决字〔2026〕7号",
                "duty_to_perform": True,
                "perform_by": (day + timedelta(days=30)).isoformat(),
            },
        ),
        "decide_uphold": (
            "decide",
            clerk,
            {"decision_type": "uphold", "decided_on": d, "decision_number": "郧西政复决字〔2026〕2号"},
        ),
        "effective": ("take_effect", clerk, {"effective_on": d}),
        "file_suit": (
            "file_suit",
            court,
            {"court": orgs["court"].pk, "court_case_number": "（2026）鄂0322行初5号", "filed_on": d},
        ),
        "notice": (
            "receive_notice",
            people["liaison"] if dispute.respondent == people["liaison"].organisation else court,
            {"received_on": d},
        ),
        "answer": ("file_answer", court, {"answered_on": d}),
        "court_session": ("hold_session", court, {"session_at": f"{d}T09:00"}),
        "lost": (
            "record_outcome",
            court,
            {
                "outcome": "judgment",
                "decided_on": d,
                "agency_lost": "yes",
                "duty_to_perform": True,
                "perform_by": (day + timedelta(days=60)).isoformat(),
            },
        ),
    }
    if step in ("refused", "consented"):
        return
    action, actor, data = plans[step]
    if action == "schedule_hearing":
        # The hearings app owns this step (docs/seam.md): it records the hearing and moves the case.
        hearing_schedule(dispute_id=dispute.pk, actor=actor, data=data)
        return
    if action == "resolution_meeting":
        meeting_schedule(dispute_id=dispute.pk, actor=actor, data=data)
        return
    if action == "court_session":
        court_session_record(dispute_id=dispute.pk, actor=actor, data=data)
        return
    dispute_transition(dispute_id=dispute.pk, action=action, actor=actor, data=data)


@transaction.atomic
def demo_cases() -> int:
    people = {
        u.username: u for u in User.objects.filter(username__in=["clerk", "mediator", "court", "liaison"])
    }
    orgs = {
        "centre": Organisation.objects.get(name="郧西县行政争议化解中心"),
        "bureau": Organisation.objects.get(name="郧西县司法局"),
        "court": Organisation.objects.get(name="郧西县人民法院"),
    }
    today = timezone.localdate()
    created = 0
    for key, applicant, ident, agency, matter, act_kind, summary, claims, kind, source, ago, steps in CASES:
        if Dispute.objects.filter(centre=orgs["centre"], act_document_number=key).exists():
            continue
        received = today - timedelta(days=ago)
        court_push = source == Source.COURT_PUSH
        data = {
            "kind": kind,
            "source": source,
            "received_on": received,
            "respondent": Organisation.objects.get(name=agency),
            "act_kind": act_kind,
            "act_date": received - timedelta(days=20),
            "act_document_number": key,
            "act_summary": summary,
            "matter": matter,
            "claims": claims,
            "facts": f"{applicant}不服{agency}作出的{summary}，认为事实不清、补偿标准偏低，申请化解。",
            "consent": (Consent.REFUSED if "refused" in steps else Consent.GIVEN)
            if court_push
            else Consent.NOT_ASKED,
            "consent_note": "当事人表示希望直接由法院审理。" if "refused" in steps else "",
            "court": orgs["court"] if court_push else None,
            "court_case_number": f"（{received.year}）鄂0322行初{ago}号" if court_push else "",
        }
        legal = ident.startswith("91")  # a credit code, not a resident ID number
        party = PartyInput(
            role=PartyRole.APPLICANT,
            kind=PartyKind.LEGAL_PERSON if legal else PartyKind.PERSON,
            name=applicant,
            id_number="" if legal else ident,
            credit_code=ident if legal else "",
            legal_representative="黄明" if legal else "",
            phone="13972812345",
            address="湖北省十堰市郧西县",
        )
        dispute = dispute_register(
            actor=people["court" if court_push else "clerk"],
            centre=orgs["centre"],
            data=data,
            parties=[party],
        )
        step_days = max(1, ago // (len(steps) + 1))
        for i, step in enumerate(steps, start=1):
            _step(dispute, step, people, orgs, min(today, received + timedelta(days=i * step_days)))
        created += 1

    series_keys = [f"郧西自然资征〔2026〕{20 + i}号" for i in range(3)]
    members = list(
        Dispute.objects.filter(act_document_number__in=series_keys).order_by("act_document_number")
    )
    if len(members) == 3 and not members[0].series_id:
        series_create(
            actor=people["clerk"],
            name="土门镇征地补偿系列案",
            lead_id=members[0].pk,
            member_ids=[m.pk for m in members[1:]],
            description="同一征收决定引发的3户补偿争议，以黄永福案为示范案件先行化解。",
        )
    return created


def demo_documents() -> int:
    """An issued acceptance notice and a draft agreement on the settled market-regulation case, so
    the documents card has something in both states. Under ``make run`` the Celery worker renders
    the PDF as soon as it starts."""
    from documents.models import Document
    from documents.services import document_draft_create, document_issue

    case = Dispute.objects.filter(act_document_number="郧西市监处罚〔2026〕6号").first()
    clerk = User.objects.filter(username="clerk").first()
    from django.contrib.contenttypes.models import ContentType

    if case is None or clerk is None:
        return 0
    of_case = Document.objects.filter(
        subject_type=ContentType.objects.get_for_model(Dispute), subject_id=case.pk
    )
    if of_case.exists():
        return 0
    with transaction.atomic():
        notice = document_draft_create(actor=clerk, subject=case, doc_type="acceptance_notice")
        document_issue(document_id=notice.pk, actor=clerk)
        document_draft_create(actor=clerk, subject=case, doc_type="resolution_agreement")
    return 2


def demo_legal_aid() -> None:
    """李秀英 (work injury, mediating) screened eligible and her application waiting for the legal-aid
    centre's decision: the journey a clerk and the legal-aid staff take in the demo."""
    from legal_aid.models import Application, Screening
    from legal_aid.services import application_file, screening_record

    case = Dispute.objects.filter(act_document_number="郧西人社工伤〔2026〕27号").first()
    if case is None or Screening.objects.filter(dispute=case).exists():
        return
    clerk = User.objects.get(username="clerk")
    party = case.parties.get(role=PartyRole.APPLICANT)
    screening_record(
        dispute_id=case.pk,
        party_id=party.pk,
        actor=clerk,
        data={"matter": "work_injury", "hardship_declared": True},
    )
    if not Application.objects.filter(party=party).exists():
        application_file(
            dispute_id=case.pk,
            party_id=party.pk,
            actor=clerk,
            data={
                "received_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
                "materials": ["identity", "hardship", "case_papers"],
            },
        )
