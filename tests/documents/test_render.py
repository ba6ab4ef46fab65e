"""Every document type, issued from a real demo case, comes out as a PDF a clerk can hand over: the case
number, the applicants and the document number in its text, the title in Chinese characters (no missing
glyphs), every font embedded, at most two pages; and the issued row records which template made it and
the SHA-256 of exactly the bytes stored."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import pytest
from django.template.loader import get_template
from pypdf import PdfReader
from pypdf.generic import DictionaryObject, IndirectObject

from core.models import User
from core.validators import resident_id_check_char, uscc_check_char
from demo.services import demo_seed
from disputes.models import Dispute
from documents.models import Document, DocumentStatus, RenderState
from documents.render import chinese_numeral, clauses, party_particulars, template_version, title_lines
from documents.services import document_draft_create, document_issue
from documents.types import DRAFTABLE, SPECS, DocumentType, template_name

# The demo case each type is issued from (by the act's document number, the demo's natural key),
# chosen so the case is at the stage where a clerk would issue that document.
CASE_FOR = {
    DocumentType.ACCEPTANCE_NOTICE: "郧西人社工伤〔2026〕27号",  # 李秀英, accepted
    DocumentType.CORRECTION_NOTICE: "郧西自然资征〔2026〕11号",  # 王大山, just received
    DocumentType.REJECTION_DECISION: "郧西自然资征〔2026〕11号",
    DocumentType.RESOLUTION_AGREEMENT: "郧西公（治）决字〔2026〕88号",  # 张建华, agreement reached
    DocumentType.CONFIRMATION: "郧西市监处罚〔2026〕6号",  # a company, judicially confirmed
    DocumentType.TRANSFER_LETTER: "郧西住建征〔2025〕19号",  # 刘德明, failed and transferred
    DocumentType.FEEDBACK_LETTER: "郧西住建征〔2025〕19号",
    DocumentType.HEARING_NOTICE: "郧西自然资罚〔2026〕4号",  # 陈桂兰, hearing scheduled
    DocumentType.HEAD_ATTENDANCE_NOTICE: "郧西自然资登〔2025〕41号",  # 郑海, in litigation
    DocumentType.LEGAL_AID_NOTICE: "郧西人社保〔2026〕33号",  # 吴小红
    DocumentType.FOLLOWUP_RECORD: "郧西城管罚〔2026〕15号",  # 赵永强, decision revoked
    DocumentType.LOSS_ANALYSIS_REPORT: "郧西自然资登〔2025〕41号",  # 郑海, the agency lost
    DocumentType.MEETING_NOTICE: "郧西人社工伤〔2026〕27号",  # 李秀英, mediating
    DocumentType.AID_REFUSAL: "郧西人社保〔2026〕33号",  # 吴小红
}

# What a clerk types into the draft (the rest is pre-filled from the case).
FIELDS: dict[str, dict[str, str]] = {
    DocumentType.ACCEPTANCE_NOTICE: {"closing": "特此通知。"},
    DocumentType.CORRECTION_NOTICE: {
        "items": "1. 申请人居民身份证复印件；\n"
        "2. 郧西自然资征〔2026〕11号征收补偿安置决定书复印件；\n"
        "3. 被征收房屋及地上附着物的权属证明材料；\n"
        "4. 载明具体化解请求和事实理由的书面申请。",
    },
    DocumentType.REJECTION_DECISION: {
        "reason": "你（单位）申请化解的事项已向郧西县人民法院提起行政诉讼，人民法院已经作出生效裁判。"
        "根据《郧西县行政争议化解中心工作规则》的规定，人民法院已经作出生效裁判的行政争议，不属于本中心受理范围。",
        "closing": "你（单位）对本决定有异议的，可以自收到本决定书之日起十五日内向本中心书面提出。",
    },
    DocumentType.RESOLUTION_AGREEMENT: {
        "terms": "1. 乙方于2026年12月10日前对郧西公（治）决字〔2026〕88号行政处罚决定依法进行复查，"
        "并将复查结果书面告知甲方；\n"
        "2. 乙方复查后依法变更处罚决定的，甲方已缴纳的罚款依照有关规定予以退还；\n"
        "3. 甲方自本协议生效之日起五日内向本中心撤回化解申请，并不再就同一事项申请行政复议或者提起行政诉讼；\n"
        "4. 双方应当按照本协议的约定全面履行各自的义务。",
    },
    DocumentType.CONFIRMATION: {"closing": "特此确认。"},
    DocumentType.TRANSFER_LETTER: {
        "attachments": "行政争议化解申请书\n郧西住建征〔2025〕19号国有土地上房屋征收决定复印件\n化解工作记录",
    },
    DocumentType.FEEDBACK_LETTER: {
        "body": "你中心移送的刘德明与郧西县住房和城乡建设局行政争议已收悉。现将处理情况反馈如下：\n"
        "经审查，申请人刘德明的行政复议申请符合法定受理条件，本机关已依法受理，并通知被申请人在法定期限内"
        "提交书面答复及作出行政行为的证据、依据和其他有关材料。\n"
        "本机关将在法定期限内审结，审理中继续开展调解，推动争议实质性化解，并将结果及时告知你中心。",
    },
    DocumentType.HEARING_NOTICE: {},
    DocumentType.HEAD_ATTENDANCE_NOTICE: {
        "hearing_time": "2026年12月8日 9:00",
        "hearing_place": "郧西县人民法院第一审判庭",
    },
    DocumentType.LEGAL_AID_NOTICE: {"lawyer": "李明（湖北汉江律师事务所，执业证号14203201510612345）"},
    DocumentType.FOLLOWUP_RECORD: {
        "visitors": "张敏、陈建国",
        "findings": "被申请人已撤销原限期拆除决定，正在重新调查处理；申请人对复议决定表示满意，"
        "但担心重新处理期间的过渡安置问题。\n"
        "建议被申请人在重新处理时充分听取申请人意见，本中心将继续跟踪。",
    },
    DocumentType.AID_REFUSAL: {"reason": "申请人家庭人均月收入高于本县法律援助经济困难标准。"},
    DocumentType.MEETING_NOTICE: {
        "hearing_time": "2026年12月8日 9:00",
        "hearing_place": "郧西县行政争议化解中心第一调解室",
        "issues": "工伤认定所依据的事实是否清楚\n重新认定的期限",
    },
    DocumentType.LOSS_ANALYSIS_REPORT: {
        "causes": "1. 办理不动产登记时对申请材料的真实性审查不严，未核实共有人是否同意；\n"
        "2. 行政复议阶段未能及时发现登记程序中的瑕疵，错失自行纠错的时机。",
        "plan": "依法于判决确定的期限内重新办理登记，并将结果书面告知原告。",
        "rectification": "1. 修订不动产登记审查规程，对共有财产登记增设共有人到场或者公证确认环节；\n"
        "2. 组织登记窗口工作人员开展专题培训，年度内开展案卷评查。",
    },
}

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk():
    demo_seed()
    return User.objects.get(username="clerk")


@pytest.fixture
def issue(django_capture_on_commit_callbacks):
    """Issue as a request would: numbered, then rendered by the (eager) task queued on commit."""

    def run(document: Document, actor: User) -> Document:
        with django_capture_on_commit_callbacks(execute=True):
            document_issue(document_id=document.pk, actor=actor)
        return Document.objects.get(pk=document.pk)

    return run


def stored_bytes(document: Document) -> bytes:
    with document.file.open("rb") as f:
        return f.read()


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def fonts_of(resources, seen: set) -> list[DictionaryObject]:
    """Every font a page uses, following form XObjects (which carry resources of their own)."""
    resources = resources.get_object() if resources is not None else {}
    found = []
    for ref in (resources.get("/Font") or {}).values():
        key = ref.idnum if isinstance(ref, IndirectObject) else id(ref)
        if key not in seen:
            seen.add(key)
            found.append(ref.get_object())
    for ref in (resources.get("/XObject") or {}).values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            found += fonts_of(xobject["/Resources"], seen)
    return found


def font_files(font: DictionaryObject) -> list[bool]:
    """For each descriptor behind the font, whether the font program is in the PDF."""
    descendants = (
        [d.get_object() for d in font["/DescendantFonts"]] if font["/Subtype"] == "/Type0" else [font]
    )
    return [
        any(k in d["/FontDescriptor"].get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
        for d in descendants
    ]


def test_every_type_has_a_case_and_a_template():
    assert set(CASE_FOR) == set(DRAFTABLE) == set(FIELDS)  # a bulletin is generated: tests/reports
    for doc_type in DocumentType.values:
        assert get_template(template_name(doc_type))


@pytest.mark.parametrize("doc_type", DRAFTABLE)
def test_an_issued_document_prints_its_case_parties_number_and_title(doc_type, clerk, issue):
    case = Dispute.objects.get(act_document_number=CASE_FOR[doc_type])
    draft = document_draft_create(actor=clerk, subject=case, doc_type=doc_type, fields=FIELDS[doc_type])
    doc = issue(draft, clerk)
    assert (doc.status, doc.render_state, doc.render_error) == (DocumentStatus.ISSUED, RenderState.DONE, "")

    data = stored_bytes(doc)
    assert doc.sha256 == hashlib.sha256(data).hexdigest() and doc.size == len(data)
    pdf = PdfReader(io.BytesIO(data))
    assert doc.pages == len(pdf.pages) <= 2  # an ordinary notice fits on two pages

    text = compact("".join(page.extract_text() for page in pdf.pages))
    applicants = [p.name for p in case.parties.filter(role="applicant")]
    assert applicants and doc.context["applicants"] == "、".join(applicants)
    assert case.number in text
    for name in applicants:
        assert name in text
    # Numbered in the series of the body that issues it (the centre, the justice bureau, the
    # legal-aid centre, the agency reporting its own loss), whose name heads the document.
    assert doc.number.startswith(f"{doc.issuer.short_name}化") and doc.number in text
    assert doc.issuer.name in text
    # A character the embedded faces lack would come out as a blank box or a fallback face's glyph:
    # the title's Chinese characters must come back out of the PDF exactly (the title the case's
    # context gives, e.g. 出庭应诉 or 参加听证, else the type's).
    assert compact(doc.context.get("title") or SPECS[doc_type].title) in text

    seen: set = set()
    fonts = [f for page in pdf.pages for f in fonts_of(page.get("/Resources"), seen)]
    assert fonts
    for font in fonts:
        assert all(font_files(font)), f"{font['/BaseFont']} is not embedded"
        # Only the packaged faces: a system fallback font would mean a glyph missing from them.
        assert str(font["/BaseFont"]).split("+")[-1] in {"Huajie-Song", "Huajie-Hei"}, font["/BaseFont"]


def test_the_parties_are_written_out_in_the_agreement(clerk, issue):
    case = Dispute.objects.get(act_document_number=CASE_FOR[DocumentType.RESOLUTION_AGREEMENT])
    draft = document_draft_create(
        actor=clerk,
        subject=case,
        doc_type=DocumentType.RESOLUTION_AGREEMENT,
        fields=FIELDS[DocumentType.RESOLUTION_AGREEMENT],
    )
    pdf = PdfReader(io.BytesIO(stored_bytes(issue(draft, clerk))))
    text = compact("".join(page.extract_text() for page in pdf.pages))
    party = case.parties.get(role="applicant")
    assert f"申请人（甲方）：{party.name}，男，1985年1月20日出生，公民身份号码{party.id_number}" in text
    assert f"被申请人（乙方）：{case.respondent.name}" in text
    # The clerk's "1." numbering is replaced by the clause numbers of the document.
    assert "一、乙方于2026年12月10日前" in text and "四、双方应当" in text and "1.乙方" not in text
    # Both parties sign, and the centre that presided.
    assert "甲方（签字或盖章）" in text and "乙方（盖章）" in text and "负责人（签字）" in text
    assert "主持化解单位（盖章）：郧西县行政争议化解中心" in text


def test_the_recorded_template_version_follows_the_template_source(clerk, issue, settings, tmp_path):
    doc_type = DocumentType.ACCEPTANCE_NOTICE
    case = Dispute.objects.get(act_document_number=CASE_FOR[doc_type])
    first = issue(document_draft_create(actor=clerk, subject=case, doc_type=doc_type), clerk)
    assert first.template_version == template_version(doc_type)

    # The same template, edited: a copy earlier on the search path with one more sentence.
    source = Path(get_template(template_name(doc_type)).origin.name).read_text(encoding="utf-8")
    edited = tmp_path / template_name(doc_type)
    edited.parent.mkdir(parents=True)
    edited.write_text(source.replace("{% endblock %}", "<p>本通知书经修订。</p>{% endblock %}", 1))
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}]

    second = issue(document_draft_create(actor=clerk, subject=case, doc_type=doc_type), clerk)
    assert second.template_version != first.template_version
    assert second.template_version == template_version(doc_type)
    assert second.template_version.startswith(f"{doc_type}@")
    assert "本通知书经修订" in PdfReader(io.BytesIO(stored_bytes(second))).pages[0].extract_text()
    assert second.sha256 == hashlib.sha256(stored_bytes(second)).hexdigest() != first.sha256


def test_clauses_are_numbered_by_the_document_not_the_clerk():
    items = clauses("1. 补足差额；\n\n（二）撤回申请\n第三条 履行\n四、其他\n1.5万元于月底前支付")
    assert [(c["n"], c["text"]) for c in items] == [
        ("一", "补足差额；"),
        ("二", "撤回申请"),
        ("三", "履行"),
        ("四", "其他"),
        ("五", "1.5万元于月底前支付"),
    ]
    assert [chinese_numeral(n) for n in (1, 10, 11, 20, 35)] == ["一", "十", "十一", "二十", "三十五"]


def test_long_titles_break_before_the_parenthesis():
    assert title_lines("受理通知书") == ["受理通知书"]
    assert title_lines("行政机关负责人出庭应诉（参加听证）通知书") == [
        "行政机关负责人出庭应诉",
        "（参加听证）通知书",
    ]


def test_party_particulars_tell_a_person_from_an_organisation():
    first17, code17 = "42032219640312031", "91420322MA49XY000"
    person, company, other = party_particulars(
        [
            {"name": "王大山", "identifier": first17 + resident_id_check_char(first17)},
            {"name": "十堰鑫源建材有限公司", "identifier": code17 + uscc_check_char(code17)},
            {"name": "JOHN SMITH", "identifier": "E12345678"},
        ]
    )
    assert (person["person"], person["sex"], person["born"], person["id_label"]) == (
        True,
        "男",
        "1964年3月12日",
        "公民身份号码",
    )
    assert (company["person"], company["sex"], company["id_label"]) == (False, "", "统一社会信用代码")
    assert (other["person"], other["sex"], other["id_label"]) == (True, "", "证件号码")
