"""HTML → PDF with WeasyPrint, Chinese fonts embedded.

The CJK faces come from a PyPI wheel (``pylopdf-fonts-zh-cn``: Noto Serif SC, a Song face for the
body, and Noto Sans SC for headings), loaded with @font-face from the installed package, so a PDF
renders the same on a laptop without Chinese fonts, in CI and in the docker image; WeasyPrint
subsets them, so a two-page notice stays small. Debian's fonts-noto-cjk is a second fallback.

The templates (templates/documents/) get the editable fields and the frozen case facts as they are,
plus a few shapes that are awkward to build in a template language — paragraphs, numbered clauses,
the parties' particulars — computed here from the same data.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import threading
from datetime import date
from functools import cache
from pathlib import Path

from django.template.loader import get_template, render_to_string

from core.validators import (
    RESIDENT_ID_CHECK_CHARS,
    USCC_CHARSET,
    birth_date_from_resident_id,
    resident_id_check_char,
    sex_from_resident_id,
    uscc_check_char,
)

from .types import SPECS, printed_fields, template_name

BASE_TEMPLATE = "documents/base_document.html"


@cache
def font_dir() -> Path:
    import pylopdf_fonts_zh_cn

    return Path(pylopdf_fonts_zh_cn.__file__).resolve().parent


FONT_FILES = {"song": "NotoSerifSC-Regular.otf", "hei": "NotoSansSC-Regular.otf"}


@cache
def font_face_css(font_url: str = "") -> str:
    """@font-face rules for the two packaged faces. WeasyPrint reads them from disk (``file://``); a
    browser showing the preview cannot, so the preview passes ``font_url``, where the app serves them."""

    def src(key: str) -> str:
        name = FONT_FILES[key]
        return f"{font_url}{name}" if font_url else (font_dir() / name).as_uri()

    # In a browser, show the text in a system face while the (large) document faces load.
    display = " font-display: swap;" if font_url else ""
    return (
        f"@font-face {{ font-family: 'Huajie Song'; src: url('{src('song')}');{display} }}\n"
        f"@font-face {{ font-family: 'Huajie Hei'; src: url('{src('hei')}');{display} }}\n"
    )


def _template_source(name: str) -> str:
    """The source the template engine compiled (so a cached loader and the version always agree)."""
    template = get_template(name)
    source = getattr(getattr(template, "template", None), "source", None)
    if source is not None:
        return source
    origin = template.origin  # type: ignore[attr-defined]  # every backend's Template has it; the stub's protocol omits it
    return Path(origin.name).read_text(encoding="utf-8")


def template_version(doc_type: str) -> str:
    """The template's identity: its name and a hash of its source and of the base it extends, so an
    issued document records exactly which text produced it. Not cached here: the template engine
    caches the compiled templates, and hashing a few kilobytes costs microseconds."""
    digest = hashlib.sha256()
    for name in (BASE_TEMPLATE, template_name(doc_type)):
        digest.update(_template_source(name).encode("utf-8"))
        digest.update(b"\0")
    return f"{doc_type}@{digest.hexdigest()[:12]}"


# --- shapes for the templates -----------------------------------------------------------------

_DIGITS = "零一二三四五六七八九"

# A clause the clerk already numbered ("1.", "2、", "（三）", "第四条", "五、"): the template numbers
# clauses itself, so the clerk's own numbering is taken off rather than printed twice.
_NUMBERING = re.compile(
    r"^\s*(?:第[一二三四五六七八九十百\d]+条[、：:\s]?"
    r"|[（(][一二三四五六七八九十\d]+[)）][、.．]?"
    r"|[一二三四五六七八九十]+[、.．]"
    r"|\d+[、．)）]"
    r"|\d+\.(?!\d))\s*"
)


def chinese_numeral(n: int) -> str:
    """一, 二, … 十, 十一, … 九十九 (clause and section numbers)."""
    if not 0 < n < 100:
        return str(n)
    tens, units = divmod(n, 10)
    if tens == 0:
        return _DIGITS[units]
    return f"{'' if tens == 1 else _DIGITS[tens]}十{_DIGITS[units] if units else ''}"


def paragraphs(text: str) -> list[str]:
    """The non-empty lines of a text field: each is printed as its own paragraph."""
    return [line.strip() for line in str(text or "").splitlines() if line.strip()]


def clauses(text: str) -> list[dict]:
    """Numbered items (一、二、…) from a text field, one per line, the clerk's numbering removed."""
    items = [_NUMBERING.sub("", line, count=1) or line for line in paragraphs(text)]
    return [{"n": chinese_numeral(i), "i": i, "text": item} for i, item in enumerate(items, start=1)]


def _is_resident_id(value: str) -> bool:
    return (
        len(value) == 18
        and value[:17].isascii()
        and value[:17].isdigit()
        and value[17] in RESIDENT_ID_CHECK_CHARS
        and resident_id_check_char(value[:17]) == value[17]
    )


def _is_credit_code(value: str) -> bool:
    return (
        len(value) == 18
        and all(c in USCC_CHARSET for c in value)
        and uscc_check_char(value[:17]) == value[17]
    )


def party_particulars(details: list[dict] | None) -> list[dict]:
    """Each applicant as a document writes them: a person with sex and date of birth (read from the
    resident ID number) and the number, an organisation with its credit code and legal representative;
    any other identifier (a passport, a permit) as 证件号码."""
    parties = []
    for detail in details or []:
        identifier = str(detail.get("identifier") or "")
        resident, organisation = _is_resident_id(identifier), _is_credit_code(identifier)
        person = resident or (not organisation and not detail.get("legal_representative"))
        party = {**detail, "person": person, "sex": "", "born": "", "id_label": ""}
        if identifier:
            party["id_label"] = (
                "公民身份号码" if resident else "统一社会信用代码" if organisation else "证件号码"
            )
        if resident:
            party["sex"] = "男" if sex_from_resident_id(identifier) == "male" else "女"
            try:
                born: date = birth_date_from_resident_id(identifier)
            except ValueError:  # a valid check digit around an impossible date: print no birth date
                pass
            else:
                party["born"] = f"{born.year}年{born.month}月{born.day}日"
        parties.append(party)
    return parties


def title_lines(title: str) -> list[str]:
    """A long title on two lines, broken where the meaning allows (before a parenthesis), as GB/T 9704
    asks; a short one on one line."""
    cut = title.find("（", 1)
    return [title[:cut], title[cut:]] if len(title) > 18 and cut > 0 else [title]


def render_html(
    *,
    doc_type: str,
    number: str,
    fields: dict,
    context: dict,
    issuer_name: str,
    issued_on,
    preview=False,
    font_url: str = "",
) -> str:
    spec = SPECS[doc_type]
    fields = printed_fields(doc_type, fields or {})
    # The subject may name the document for its context (a notice to attend a hearing, not a court
    # session: no 应诉 in a reconsideration); the type's title otherwise.
    title = (context or {}).get("title") or spec.title
    return render_to_string(
        template_name(doc_type),
        {
            "spec": spec,
            "title": title,
            "title_lines": title_lines(title),
            "number": number,
            "fields": fields,
            "paras": {name: paragraphs(value) for name, value in fields.items()},
            "numbered": {name: clauses(value) for name, value in fields.items()},
            "case": context,
            "parties": party_particulars(context.get("applicant_details")),
            "issuer_name": issuer_name,
            "issued_on": issued_on,
            "preview": preview,
            "font_face_css": font_face_css(font_url),
        },
    )


# How many documents one font configuration serves before it is replaced: a bound, in case some cache
# inside Pango or fontconfig grows with use over a worker's lifetime (none was seen in 300 renders).
FONT_CONFIG_USES = 500

_local = threading.local()


def font_config():
    """The font configuration of this process and thread, shared by the documents it renders.

    Every document has the same @font-face rules, so the faces are registered (copied to a temporary
    folder and added to fontconfig) once, by the first document; the later ones find them there. A fresh
    configuration per document instead re-reads ~20 MB of font files and rescans the system fonts each
    time, costs ~50 ms more per document, peaks at twice the memory and leaks ~0.3 MB per document in
    fontconfig. Kept per thread (Pango is not thread-safe) and per process (a configuration made before
    a fork is not reused in the child)."""
    from weasyprint.text.fonts import FontConfiguration

    state = getattr(_local, "fonts", None)
    if state is None or state["pid"] != os.getpid() or state["uses"] >= FONT_CONFIG_USES:
        state = _local.fonts = {"pid": os.getpid(), "config": FontConfiguration(), "uses": 0}
    state["uses"] += 1
    return state["config"]


def render_pdf(html: str) -> tuple[bytes, int]:
    """The PDF bytes and its page count. Everything is built in memory: nothing is written anywhere
    until the whole document has rendered."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(font_dir())).render(font_config=font_config())
    buffer = io.BytesIO()
    document.write_pdf(buffer)
    return buffer.getvalue(), len(document.pages)
