"""PDF rendering: time per two-page document and the memory it holds.

100 documents (an acceptance notice, a hearing notice and a loss analysis report in turn, each with
case facts and text long enough for exactly two pages) go through ``render_pdf(render_html(...))``, as
the render task does. The work runs in a fresh interpreter so that the peak resident set size
(``ru_maxrss``: WeasyPrint, Pango and HarfBuzz allocate in C, where tracemalloc cannot see) is this
benchmark's alone and not what an earlier benchmark in the same ``make bench`` process peaked at.

Figures: ``pdf_p50_s``/``pdf_p95_s`` (seconds per document), ``pdf_peak_mb`` (peak RSS at the end) and
``pdf_growth_mb`` (peak RSS after document 100 minus after document 10: flat memory reads 0).
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
DOCUMENTS = 100
WARM_UP = 6  # two of each kind: fonts registered, caches and allocator arenas settled

# Applicants of the same length, so every document lays out to the same number of pages.
NAMES = ["王大山", "李秀英", "张建华", "刘德明", "陈桂兰", "赵永强", "吴小红", "郑海涛", "黄永福", "何翠兰"]
AGENCIES = ["郧西县自然资源和规划局", "郧西县人力资源和社会保障局", "郧西县住房和城乡建设局"]

BODY_ACCEPT = (
    "你（单位）于2026年3月2日提出的行政争议化解申请收悉。经审查，该申请符合《郧西县行政争议化解中心工作规则》"
    "规定的受理条件，本中心决定予以受理，案号为{number}。\n"
    "本中心将自受理之日起五个工作日内指派化解员，组织你（单位）与被申请人{agency}就争议事项进行协商。"
    "化解过程中，你（单位）可以委托一至二名代理人参加，可以提供证据材料，可以申请化解员回避。\n"
    "化解期间，你（单位）应当如实陈述争议事实，提供身份证明、行政行为文书、权属证明等材料，遵守化解秩序。"
    "化解期限一般为三十日，经双方同意可以延长。化解不成的，本中心将告知你（单位）依法申请行政复议或者提起"
    "行政诉讼的途径和期限，并可以将争议移送有关机关依法处理。\n"
    "本中心地址：郧西县城关镇天河大道88号行政争议化解中心二楼；办公时间：工作日上午8:30—12:00，下午14:30—17:30。"
)


def _case(i: int) -> dict:
    name, agency = NAMES[i % len(NAMES)], AGENCIES[i % len(AGENCIES)]
    return {
        "number": f"〔2026〕郧西化字第{100 + i}号",
        "kind": "实质性化解",
        "applicants": name,
        "applicant_details": [
            {
                "name": name,
                "identifier": "420322196403120316",
                "address": "湖北省十堰市郧西县土门镇黄龙村三组",
                "phone": "13972812345",
                "legal_representative": "",
            }
        ],
        "third_parties": "",
        "respondent": agency,
        "centre": "郧西县行政争议化解中心",
        "act_summary": "土门镇集体土地征收补偿安置决定",
        "act_document_number": f"郧西自然资征〔2026〕{10 + i % 90}号",
        "act_date": "2026年1月15日",
        "matter": "土地征收",
        "claims": "请求提高房屋及地上附着物补偿标准，并对过渡安置费予以补偿",
        "facts": f"{name}不服{agency}作出的土门镇集体土地征收补偿安置决定，认为事实不清、补偿标准偏低，申请化解。",
        "received_on": "2026年3月2日",
        "court_case_number": f"（2026）鄂0322行初{10 + i % 90}号",
        "agreement_terms": "",
        "agreement_signed_on": "",
        "transfer_to": "",
        "failure_reason": "",
        "hearing_at": "2026年3月20日 09:30",
        "hearing_place": "郧西县司法局复议听证室",
        "decision": "维持",
        "court": "郧西县人民法院",
        "litigation_outcome": "判决",
        "perform_by": "2026年6月30日",
    }


def _document(i: int) -> dict:
    case = _case(i)
    kind = ("acceptance_notice", "hearing_notice", "loss_analysis_report")[i % 3]
    if kind == "acceptance_notice":
        fields = {
            "addressee": case["applicants"],
            "body": BODY_ACCEPT.format(number=case["number"], agency=case["respondent"]),
            "closing": "特此通知。",
        }
    elif kind == "hearing_notice":
        fields = {
            "addressee": f"{case['applicants']}、{case['respondent']}",
            "hearing_time": case["hearing_at"],
            "hearing_place": case["hearing_place"],
            "body": "本机关决定对该行政复议案件举行听证，请按时参加。被申请人的负责人应当参加听证；不能参加的，"
            "应当说明理由并委托相应的工作人员参加。",
            "closing": "特此通知。",
        }
    else:
        fields = {
            "causes": "1. 作出征收补偿安置决定前未就补偿标准充分听取被征收人意见，程序存在瑕疵；\n"
            "2. 地上附着物调查登记不完整。",
            "plan": "依法于2026年6月30日前重新作出补偿安置决定，并将结果书面告知原告。",
            "rectification": "完善征收补偿调查登记和公示程序，对重大行政决定开展合法性审查。",
            "body": f"{case['respondent']}在{case['applicants']}诉本单位{case['act_summary']}一案中败诉。"
            "现将败诉原因分析及整改措施报告如下：",
        }
    from documents.types import SPECS

    return {
        "doc_type": kind,
        "number": f"郧西化{SPECS[kind].code}〔2026〕{i + 1}号",
        "fields": fields,
        "context": case,
    }


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _measure() -> dict[str, float]:
    import django

    django.setup()
    from documents.render import render_html, render_pdf

    issued_on = datetime(2026, 3, 10, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))

    def render(i: int) -> int:
        doc = _document(i)
        html = render_html(
            doc_type=doc["doc_type"],
            number=doc["number"],
            fields=doc["fields"],
            context=doc["context"],
            issuer_name="郧西县行政争议化解中心",
            issued_on=issued_on,
        )
        _pdf, pages = render_pdf(html)
        return pages

    for i in range(WARM_UP):
        render(i)
    timings, at_10 = [], 0.0
    for i in range(DOCUMENTS):
        started = time.perf_counter()
        pages = render(i)
        timings.append(time.perf_counter() - started)
        assert pages == 2, f"document {i} ({_document(i)['doc_type']}) has {pages} pages, not 2"
        if i + 1 == 10:
            at_10 = _maxrss_mb()
    at_100 = _maxrss_mb()
    return {
        "pdf_p50_s": round(statistics.median(timings), 3),
        "pdf_p95_s": round(_percentile(timings, 0.95), 3),
        "pdf_peak_mb": round(at_100, 1),
        "pdf_growth_mb": round(at_100 - at_10, 1),
    }


def run() -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    child = subprocess.run(
        [sys.executable, __file__, "--child"], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    if child.returncode != 0:
        raise RuntimeError(f"bench_pdf failed:\n{child.stderr[-4000:]}")
    return json.loads(child.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    if "--child" in sys.argv:
        sys.path.insert(0, str(ROOT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        print(json.dumps(_measure()))
    else:
        for key, value in run().items():
            print(f"{key}: {value}")
